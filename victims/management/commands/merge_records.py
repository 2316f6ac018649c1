"""``python manage.py merge_records victims|perpetrators KEEP OTHER [--undo]
[--choose field=other] [--as USER]``."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from archive.core.groups import CommandLine, account_for_command
from perpetrators import services as perpetrator_services
from perpetrators.models import Perpetrator
from victims import services as victim_services
from victims.models import Victim

# kind: (model, its services: merge, unmerge, merge_conflicts, error_lines, MergeError)
KINDS = {
    "victims": (Victim, victim_services, victim_services.merge_victims,
                victim_services.unmerge_victims),
    "perpetrators": (Perpetrator, perpetrator_services, perpetrator_services.merge_perpetrators,
                     perpetrator_services.unmerge_perpetrators),
}  # fmt: skip


class Command(BaseCommand):
    help = (
        "Merge the record OTHER into KEEP (the same person entered twice): KEEP takes "
        "OTHER's spellings, citations, submissions and every fact it lacks; OTHER is "
        "withdrawn and, if it was ever public, its address redirects to KEEP. Where both "
        "have a value, KEEP's stays unless --choose FIELD=other. --undo undoes the last such "
        "merge. Two unpublished records merge from the command line alone; when either is "
        "published, name a reviewer's account with --as (the history names it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help="Kind of record: victims or perpetrators")
        parser.add_argument("keep", help="ref of the record to keep")
        parser.add_argument("other", help="ref of the record merged into it")
        parser.add_argument("--undo", action="store_true", help="Undo the merge instead.")
        parser.add_argument(
            "--choose", action="append", default=[], metavar="FIELD=keep|other",
            help="For a fact both records give differently, which value to keep.",
        )  # fmt: skip
        parser.add_argument(
            "--as",
            "--user",
            dest="as_user",
            metavar="USER",
            help="The account whose permissions apply and whom the history names; needed "
            "when either record is published (a reviewer's).",
        )

    def handle(self, *args, kind, keep, other, undo, choose, as_user, **options):
        if kind not in KINDS:
            raise CommandError(
                f"'{kind}' records cannot be merged; only {' and '.join(KINDS)} can."
            )
        model, services, merge, unmerge = KINDS[kind]
        records = {}
        for ref in (keep, other):
            try:
                records[ref] = model.objects.get(ref=ref)
            except model.DoesNotExist:
                raise CommandError(f"no {model._meta.model_name} with ref '{ref}'") from None
        try:
            actor = account_for_command(as_user)
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        choices = {}
        for item in choose:
            field, _, value = item.partition("=")
            if not value:
                raise CommandError(f"--choose {item}: write FIELD=keep or FIELD=other")
            choices[field.strip()] = value.strip()
        kept, merged = records[keep], records[other]
        try:
            if undo:
                unmerge(keep=kept, other=merged, user=actor)
                self.stdout.write(f"Merge of {other} into {keep} undone.")
                return
            conflicts = services.merge_conflicts(kept, merged)
            merge(keep=kept, other=merged, user=actor, choices=choices)
        except PermissionDenied as exc:
            hint = ""
            if isinstance(actor, CommandLine):
                hint = " Run the command again with --as USERNAME, naming a reviewer's account."
            raise CommandError(f"{exc}{hint}") from None
        except services.MergeError as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError("; ".join(services.error_lines(exc))) from None
        merged.refresh_from_db()
        where = (
            f"{other} now redirects to {keep}"
            if merged.was_public()
            else f"{other} was never public, so its address stays unknown"
        )
        self.stdout.write(f"{other} merged into {keep}; {where}.")
        for c in conflicts:
            chosen = choices.get(c["field"], "keep")
            self.stdout.write(
                f"  {c['label']}: {keep} says {c['keep']!r}, {other} said {c['other']!r}; "
                f"kept {c[chosen]!r}"
            )
