"""``python manage.py merge_records victims KEEP OTHER [--undo] [--choose field=other]``."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from victims.models import Victim
from victims.services import MergeError, merge_conflicts, merge_victims, unmerge_victims


class _Terminal:
    """The person at the terminal: every permission, no account (as the importer)."""

    pk = None
    is_active = True

    def has_perm(self, perm, obj=None):
        return True


class Command(BaseCommand):
    help = (
        "Merge the record OTHER into KEEP (the same person entered twice): KEEP takes "
        "OTHER's spellings, citations, submissions and every fact it lacks; OTHER is "
        "withdrawn and its address redirects to KEEP. Where both have a value, KEEP's "
        "stays unless --choose FIELD=other. --undo undoes the last such merge."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", help="Kind of record: victims")
        parser.add_argument("keep", help="ref of the record to keep")
        parser.add_argument("other", help="ref of the record merged into it")
        parser.add_argument("--undo", action="store_true", help="Undo the merge instead.")
        parser.add_argument(
            "--choose", action="append", default=[], metavar="FIELD=keep|other",
            help="For a fact both records give differently, which value to keep.",
        )  # fmt: skip
        parser.add_argument("--user", help="Username recorded in the history.")

    def handle(self, *args, kind, keep, other, undo, choose, user, **options):
        if kind != "victims":
            raise CommandError(f"'{kind}' records cannot be merged; only 'victims' can.")
        records = {}
        for ref in (keep, other):
            try:
                records[ref] = Victim.objects.get(ref=ref)
            except Victim.DoesNotExist:
                raise CommandError(f"no victim with ref '{ref}'") from None
        actor = _Terminal()
        if user:
            User = get_user_model()
            try:
                actor = User.objects.get(**{User.USERNAME_FIELD: user})
            except User.DoesNotExist:
                raise CommandError(f"no user called '{user}'") from None
        choices = {}
        for item in choose:
            field, _, value = item.partition("=")
            if not value:
                raise CommandError(f"--choose {item}: write FIELD=keep or FIELD=other")
            choices[field.strip()] = value.strip()
        kept, merged = records[keep], records[other]
        try:
            if undo:
                unmerge_victims(keep=kept, other=merged, user=actor)
                self.stdout.write(f"Merge of {other} into {keep} undone.")
                return
            conflicts = merge_conflicts(kept, merged)
            merge_victims(keep=kept, other=merged, user=actor, choices=choices)
        except (MergeError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(f"{other} merged into {keep}; {other} now redirects to {keep}.")
        for c in conflicts:
            chosen = choices.get(c["field"], "keep")
            self.stdout.write(
                f"  {c['label']}: {keep} says {c['keep']!r}, {other} said {c['other']!r}; "
                f"kept {c[chosen]!r}"
            )
