"""A person's names as the scoring reads them (``names.distinct_queries``): a name and its
Persian spelling often read as one query, and are then asked once. Synthetic names only."""

from archive.core.names import distinct_queries, name_keys, score

NAMES = [
    ("Ali Karimi", "علی کریمی"),
    ("Mohammad Hosseini", "محمد حسینی", "Mohamad Hoseini"),
    ("Mohammadhossein Hosseinzadeh", "محمدحسین حسین\u200cزاده"),
    ("Fatemeh Ahmadi", "فاطمه احمدی", "F. Ahmadi"),
    ("Ali Karimi", "Ali Karimi Tehrani"),
]
KEYS = [
    name_keys(*names)
    for names in (
        ("Ali Karimi",),
        ("Aly Karimy", "علی کریمی"),
        ("Mohammad Hosseini Tehrani",),
        ("Mohammad Hosseinzadeh",),
        ("Fateme Ahmadi",),
        ("Farideh Ahmadi",),
        ("Hossein Mohammadi",),
    )
]


def test_a_name_and_its_persian_spelling_read_alike_are_asked_once():
    assert distinct_queries(["Ali Karimi", "علی کریمی"]) == ("Ali Karimi",)
    assert distinct_queries(["Mohammad Hosseini", "محمد حسینی"]) == ("Mohammad Hosseini",)


def test_names_read_differently_are_each_kept_in_order():
    assert distinct_queries(["Ali Karimi Tehrani", "Ali Karimi"]) == (
        "Ali Karimi Tehrani",
        "Ali Karimi",
    )
    assert distinct_queries(["Fatemeh Ahmadi", "F. Ahmadi"]) == ("Fatemeh Ahmadi", "F. Ahmadi")
    assert distinct_queries([]) == ()


def test_the_best_of_the_names_asked_once_is_the_best_of_them_all():
    for names in NAMES:
        kept = distinct_queries(names)
        assert set(kept) <= set(names)
        for keys in KEYS:
            assert max(score(q, keys) for q in kept) == max(score(q, keys) for q in names), (
                names,
                keys,
            )
