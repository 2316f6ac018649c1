"""The weights of record linkage (``archive.core.linkage``): the thresholds, the prior,
how often two records of one person (m) and two strangers (u) agree at each level of each
comparison (hand-set m, with the estimates beside them in docs/dedupe.md), and the words of
the reasons staff read (translated by ``archive.core.match_reasons``). Data, not logic: the
table a reviewer of the weights reads in one place."""

from __future__ import annotations

# A name match this close (one edit, different long vowels) may be the same name.
NAME_THRESHOLD = 0.85
FATHER_CLOSE = 0.95
PAIR_BLOCK_CAP = 500
SINGLE_BLOCK_CAP = 60

# A pair is proposed for review from this probability up (-1.58 bits): chosen on a
# synthetic training list of 100,000 of the realistic make (seed 1), the cut where recall
# 0.97 and precision 0.95 both have the most room, and reported on other lists (seeds 2
# and 3, and the lexicon make; docs/dedupe.md). A researcher decides every pair proposed.
PROPOSE_PROBABILITY = 0.25
# How many records of the same person a record has in the list, on average (the prior).
# Calibrated on the synthetic lists (bench/dedupe_ceiling.py, 5 % of people entered twice):
# since session 5 weighs the event, the year of birth's and the date of death's frequencies,
# 0.05 (the lists' true rate) makes the probabilities mean about what they say (pairs
# weighed at 0.2-0.5 were one person 2 to 4 times in 10 on the realistic training list);
# 0.15 did before, when the name's frequency counting the duplicates among the strangers
# and the dates weighed too little pulled the other way (docs/dedupe.md).
EXPECTED_DUPLICATES = 0.05
# Until a list is large enough to tell what is common, frequencies are smoothed as if this
# many more people with ordinary names had been seen.
PSEUDO_PEOPLE = 500

# (m, u) per comparison and level: m = P(level | same person), u = P(level | strangers).
# For "name: same" and "father: same" u is replaced by the value's frequency (see above);
# the u given here is the ordinary one, used for smoothing.
LEVELS: dict[str, dict[str, tuple[float, float]]] = {
    "name": {"same": (0.95, 0.001), "close": (0.03, 0.0009), "similar": (0.02, 0.0015)},
    "father": {"same": (0.9, 0.046), "close": (0.05, 0.002), "uncertain": (0.05, 0.01)},
    "birth": {"0": (0.6, 0.048), "1": (0.37, 0.093), "2": (0.03, 0.091)},
    "prison": {"same": (0.95, 0.19), "different": (0.05, 0.81)},
    "death": {
        "same day": (0.35, 0.024),
        "same month": (0.42, 0.2),
        "same year": (0.2, 0.36),
        "days apart": (0.01, 0.05),
        "different": (0.03, 0.41),
    },
    "death_place": {"same": (0.95, 0.25), "different": (0.05, 0.75)},
    # The event (1988, November 2019): lists almost never put a person in the wrong one;
    # u is the event's share of the list (a different event separates the two instead).
    "event": {"same": (0.99, 0.58)},
    # Executed, disappeared, died in custody: lists mostly agree on a person's fate.
    "fate": {"same": (0.9, 0.73), "different": (0.1, 0.27)},
    # The person's facts (``PERSON_LEVELS``; m's reasons in docs/dedupe.md). u of "same" is
    # the value's share within the event, of "different" 1 - the sum of the squared shares,
    # both from the list; the u here only smooth a small list.
    # Place of birth: lists confuse it now and then with the place of residence or where the
    # identity card was issued.
    "birth_place": {"same": (0.93, 0.06), "different": (0.07, 0.94)},
    # Occupation: a student arrested in 1981 is a worker or a teacher by 1988, and lists
    # group trades differently.
    "occupation": {"same": (0.85, 0.2), "different": (0.15, 0.8)},
    "ethnicity": {"same": (0.95, 0.45), "different": (0.05, 0.55)},
    # Religion: the commonest is recorded wrongly least often; Baha'i, Sunni, Christian are
    # why lists record it at all.
    "religion": {"same": (0.97, 0.8), "different": (0.03, 0.2)},
    # Civil status changes (a prisoner married between arrests, widowed by another
    # execution): weak evidence either way.
    "civil_status": {"same": (0.85, 0.5), "different": (0.15, 0.5)},
    # Date of arrest: often remembered loosely, and a person arrested twice (1981, 1985)
    # is given either arrest by different lists.
    "arrest": {
        "same day": (0.3, 0.002),
        "same month": (0.33, 0.03),
        "same year": (0.22, 0.25),
        "different": (0.15, 0.72),
    },
}

# The date of death, by the coarser precision of the two dates (m of each level given what
# the two dates can show): two dates given to the day agree to the day unless a list
# slipped converting the Solar Hijri date (a day off, or Mordad 1367 read as July); two
# given to the month agree to the month unless a Solar month was put in the Gregorian one
# it straddles; two given to the year alone are within one event, and agree but for a
# Solar year put in the wrong Gregorian one. The m in ``LEVELS["death"]`` are these
# averaged over the precisions of the synthetic lists' pairs (bench/dedupe_estimate.py):
# weighing "same year" as 0.2 against 0.36 made two dates known only to the year, which
# agree for every two people of 1988, count against a pair (-0.85 bits), and agreeing to
# the month count for nothing. u of "same" is the value's share within the event (the
# term frequency); of "different", how often two of the event's people known to that
# precision differ (1 - the sum of the squared shares). Two days given a few days apart
# (``DEATH_DAYS_APART``) are what a slip converting the Solar Hijri date makes: a level of
# their own, whose u is how many of the event died within those days of a's date, so that
# a slip is no strong evidence either way and a date weeks away is.
DEATH_DAYS_APART = 3
DEATH_M: dict[str, dict[str, float]] = {
    "day": {"same day": 0.85, "days apart": 0.1, "different": 0.05},
    "month": {"same month": 0.9, "different": 0.1},
    "year": {"same year": 0.95, "different": 0.05},
}

# The person's facts compared as same or different, each weighed by its frequency.
PERSON_LEVELS = ("birth_place", "occupation", "ethnicity", "religion", "civil_status")


def gettext_noop(text: str) -> str:
    """Marks a reason for translation (makemessages reads the name) and leaves it as it
    is: the reasons are stored and written in English, and translated where staff read
    them (``archive.core.match_reasons``)."""
    return text


# Reasons in words, per comparison and level.
REASONS = {
    ("father", "same"): gettext_noop("same father's name"),
    ("father", "close"): gettext_noop("father's name in part or in a close spelling"),
    ("father", "uncertain"): gettext_noop("father's name perhaps the same, in another script"),
    ("birth", "0"): gettext_noop("same birth year"),
    ("birth", "1"): gettext_noop("birth year 1 apart"),
    ("birth", "2"): gettext_noop("birth year 2 apart"),
    ("prison", "same"): gettext_noop("same prison"),
    ("prison", "different"): gettext_noop("different prison"),
    ("death", "same day"): gettext_noop("same date of death"),
    ("death", "same month"): gettext_noop("died same month"),
    ("death", "same year"): gettext_noop("died same year"),
    ("death", "different"): gettext_noop("different date of death"),
    ("death", "days apart"): gettext_noop("dates of death a few days apart"),
    ("death_place", "same"): gettext_noop("same place of death"),
    ("death_place", "different"): gettext_noop("different place of death"),
    ("fate", "same"): gettext_noop("same fate"),
    ("fate", "different"): gettext_noop("different fate"),
    ("birth_place", "same"): gettext_noop("same place of birth"),
    ("birth_place", "different"): gettext_noop("different place of birth"),
    ("occupation", "same"): gettext_noop("same occupation"),
    ("occupation", "different"): gettext_noop("different occupation"),
    ("ethnicity", "same"): gettext_noop("same ethnicity"),
    ("ethnicity", "different"): gettext_noop("different ethnicity"),
    ("religion", "same"): gettext_noop("same religion"),
    ("religion", "different"): gettext_noop("different religion"),
    ("civil_status", "same"): gettext_noop("same civil status"),
    ("civil_status", "different"): gettext_noop("different civil status"),
    ("arrest", "same day"): gettext_noop("same date of arrest"),
    ("arrest", "same month"): gettext_noop("arrested the same month"),
    ("arrest", "same year"): gettext_noop("arrested the same year"),
    ("arrest", "different"): gettext_noop("different date of arrest"),
}
SAME_NAME = gettext_noop("same name")
SAME_NAME_RESPELT = gettext_noop("same name in another spelling")
SIMILAR_NAME = gettext_noop("similar name")
RARE_NAME_REASON = gettext_noop("a rare name")
# With the number of bearers: "a common name (1,234 people): ...".
COMMON_NAME_REASON = gettext_noop(
    "a common name (%(count)s people): strangers agree this well by chance"
)

COMMON_NAME = 20  # bearers of a name from which the reasons call it common
RARE_NAME = 2
