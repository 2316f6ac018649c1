"""Duplicates among perpetrators: the lists of the 1988 commissions' members (JVMI's, NCRI's,
others) name the same officials in their own spellings, with and without their clerical
titles. The scoring is ``archive.core.linkage``'s; what differs is the prior and the titles.

- The prior: an official is named in most lists, so a merged list of perpetrators holds
  each of them about three times or more (``EXPECTED_DUPLICATES``), where a victim appears once in
  twenty. With that prior the same name in two spellings is proposed on its own: the
  lists often give nothing else (no father's name, no year of birth), and a researcher
  would look at every such pair.
- The threshold: lists of officials are short, a missed pair costs more than a pair looked
  at and marked "different people" (remembered, never proposed again).
- Clerical titles (Ayatollah, Hojatoleslam, Sheikh, in both scripts) come and go between
  lists: they are left out of the names compared.
"""

from __future__ import annotations

from functools import lru_cache

from archive.core import names
from archive.core.linkage import Candidate, Match, Matcher, find_duplicates, split_aliases

# How many other records of the same official a record has in the list, on average.
EXPECTED_DUPLICATES = 3.0
# A list of officials is a few hundred records, and every pair of one official spelt two
# ways must reach a researcher: pairs are proposed from a lower probability than victims'.
PROPOSE_PROBABILITY = 0.1
TITLES = (
    "Ayatollah", "Ayatolah", "Ayat-ollah", "Ayatullah", "Hojatoleslam", "Hojjatoleslam",
    "Hojjat-ol-Eslam", "Hojatol-eslam", "Hojjatoleslam", "val-Moslemin", "Valmoslemin",
    "Sheikh", "Sheykh", "Shaikh", "Mullah", "Mulla",
    "آیت‌الله", "آیت الله", "آیت‌اله", "حجت‌الاسلام", "حجت الاسلام", "حجه‌الاسلام",
    "والمسلمین", "و المسلمین", "شیخ",
)  # fmt: skip


@lru_cache(maxsize=1)
def title_keys() -> frozenset[str]:
    """The key of each title written as one word (Hojjat-ol-Eslam, حجت الاسلام: its
    tokens run together), to be matched against a name's leading tokens run together."""
    out = set()
    for title in TITLES:
        toks = names.tokens(title)
        if toks:
            out.add(names.token_key(toks[0][0], "".join(tok for _s, tok in toks)))
    return frozenset(k for k in out if k)


def without_titles(name: str) -> str:
    """``name`` without the clerical titles it starts with (a name that is only a title
    stays). Only leading tokens that make a whole title go: the parts of a title are
    names too (Ali, -ollah in Zabihollah, written ذبیح الله), never dropped alone."""
    toks = names.tokens(name)
    start = 0
    while start < len(toks):
        for width in (4, 3, 2, 1):
            part = toks[start : start + width]
            if len(part) == width and _joined_key(part) in title_keys():
                start += width
                break
        else:
            break
    kept = [tok for _s, tok in toks[start:]]
    return " ".join(kept) if kept else name


def _joined_key(toks: list[tuple[str, str]]) -> str:
    return names.token_key(toks[0][0], "".join(tok for _s, tok in toks))


def load_candidates(queryset) -> list[Candidate]:
    """Candidates for every perpetrator in ``queryset``, titles left out of their names."""
    fields = ["pk", "ref", "name_latin", "name_fa", "aliases", "father_name", "gender",
              "birth_year"]  # fmt: skip
    out = []
    for pk, ref, latin, fa, aliases, father, gender, birth in queryset.values_list(
        *fields
    ).iterator(chunk_size=5000):
        others = tuple(without_titles(x) for x in split_aliases(aliases))
        out.append(
            Candidate(
                ref=ref,
                pk=pk,
                name_latin=without_titles(latin) if latin else "",
                name_fa=without_titles(fa) if fa else "",
                aliases=others,
                father_name=father,
                gender=gender,
                birth_year=birth,
            )
        )
    return out


def candidate_of(label: str, perpetrator) -> Candidate:
    """A Candidate for a perpetrator not yet saved (an import's row), titles left out."""
    return Candidate(
        ref=label,
        pk=perpetrator.pk or 0,
        name_latin=without_titles(perpetrator.name_latin) if perpetrator.name_latin else "",
        name_fa=without_titles(perpetrator.name_fa) if perpetrator.name_fa else "",
        aliases=tuple(without_titles(x) for x in split_aliases(perpetrator.aliases)),
        father_name=perpetrator.father_name or "",
        gender=perpetrator.gender or "",
        birth_year=perpetrator.birth_year,
    )


def import_matches(rows, *, matcher=None):
    """For an import: of the new rows ``(where, perpetrator)``, those that are probably
    officials already in the archive, weighed with the perpetrators' prior and threshold
    (``archive.core.dedupe.import_matches``), and the matcher for the next batch."""
    from archive.core.dedupe import import_matches as matches
    from perpetrators.models import Perpetrator

    # A few hundred officials: every one of them read and blocked (``Matcher``).
    def every_official() -> Matcher:
        people = load_candidates(Perpetrator.objects.filter(merged_into__isnull=True))
        return Matcher(people, expected=EXPECTED_DUPLICATES)

    return matches(
        rows,
        matcher=matcher,
        make_matcher=every_official,
        candidate_of=candidate_of,
        threshold=PROPOSE_PROBABILITY,
    )


def perpetrator_matches(queryset=None) -> list[Match]:
    """Likely pairs among perpetrators not already merged, skipping pairs a researcher has
    marked "different people"."""
    from perpetrators.models import Perpetrator, PerpetratorPair

    if queryset is None:
        queryset = Perpetrator.objects.all()
    queryset = queryset.filter(merged_into__isnull=True)
    judged = PerpetratorPair.objects.filter(status=PerpetratorPair.Status.DIFFERENT).values_list(
        "perpetrator_a__ref", "perpetrator_b__ref"
    )
    return find_duplicates(
        load_candidates(queryset),
        exclude={frozenset(p) for p in judged},
        expected=EXPECTED_DUPLICATES,
        threshold=PROPOSE_PROBABILITY,
    )


def store_matches(matches: list[Match]) -> int:
    """Save the matches in the review queue (as ``victims.dedupe.store_matches``): a pair
    already decided keeps its decision. Returns how many pairs are new."""
    from django.db import transaction
    from simple_history.utils import bulk_create_with_history

    from perpetrators.models import PerpetratorPair

    with transaction.atomic():
        existing = {
            (a, b): (pk, status)
            for pk, a, b, status in PerpetratorPair.objects.values_list(
                "pk", "perpetrator_a_id", "perpetrator_b_id", "status"
            )
        }
        to_create = []
        for m in matches:
            a, b = sorted((m.a.pk, m.b.pk))
            reasons = "; ".join(m.reasons)
            if (a, b) in existing:
                pk, status = existing[(a, b)]
                if status == PerpetratorPair.Status.PROPOSED:
                    PerpetratorPair.objects.filter(pk=pk).update(score=m.score, reasons=reasons)
                continue
            to_create.append(
                PerpetratorPair(
                    perpetrator_a_id=a, perpetrator_b_id=b, score=m.score, reasons=reasons
                )
            )
        bulk_create_with_history(to_create, PerpetratorPair, batch_size=1000)
    return len(to_create)
