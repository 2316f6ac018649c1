"""One rule for "the same name, spelling aside": the lists' "same spelling", the API's
``exact`` and the duplicate finder's "same name" all ask ``names.is_exact_score``."""

from archive.core.names import EXACT, is_exact, is_exact_score, name_keys, score


def test_only_the_score_of_the_same_name_counts_as_exact():
    keys = name_keys("Ali Karimi", "علی کریمی")

    assert is_exact_score(score("Aly Karimy", keys))
    assert is_exact_score(score("علی کریمی", keys))
    assert not is_exact_score(score("Ali Karami", keys))  # 0.95: a long vowel apart
    assert not is_exact_score(score("Ali Mohammad Karimi", name_keys("Ali Karimi")))


def test_is_exact_and_the_score_rule_agree():
    keys = name_keys("Seyed Mohammad Hosseini")
    for query in ("Mohammad Hosseini", "Mohamad Hoseini", "M. Hosseini", "Hosseini"):
        assert is_exact(query, keys) == is_exact_score(score(query, keys)), query
    assert is_exact_score(EXACT) and not is_exact_score(0.98)
