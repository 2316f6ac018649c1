"""Receipt codes: unguessable, easy to copy by hand, stored only as a hash."""

from victims import receipts


def test_a_code_is_four_groups_of_four_unambiguous_characters():
    code = receipts.generate_code()
    groups = code.split("-")
    assert [len(g) for g in groups] == [4, 4, 4, 4]
    assert set("".join(groups)) <= set(receipts.ALPHABET)
    assert not set("".join(groups)) & set("01OIL")


def test_codes_do_not_repeat():
    assert len({receipts.generate_code() for _ in range(2000)}) == 2000


def test_a_code_typed_in_lower_case_with_spaces_and_persian_digits_is_recognised():
    code = "7KQ2-M9XD-4TPR-HW3N"
    typed = " ۷kq۲ m۹xd ۴tpr hw۳n "
    assert receipts.normalise_code(typed) == code.replace("-", "")
    assert receipts.hash_code(typed) == receipts.hash_code(code)


def test_text_that_cannot_be_a_code_is_refused():
    assert receipts.normalise_code("hello") is None
    assert receipts.normalise_code("0000-0000-0000-0000") is None  # 0 is not in the alphabet


def test_the_stored_hash_does_not_contain_the_code():
    code = receipts.generate_code()
    assert code.replace("-", "") not in receipts.hash_code(code)
