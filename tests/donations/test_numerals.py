import pytest

from donations.numerals import amount_in_words, chinese_numerals


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "零"),
        (5, "伍"),
        (10, "壹拾"),
        (500, "伍佰"),
        (1010, "壹仟零壹拾"),
        (12000, "壹萬貳仟"),
        (100005, "壹拾萬零伍"),
        (101000, "壹拾萬零壹仟"),
        (100000000, "壹億"),
        (100010000, "壹億零壹萬"),
        (1234567890, "壹拾貳億參仟肆佰伍拾陸萬柒仟捌佰玖拾"),
    ],
)
def test_chinese_numerals(n, words):
    assert chinese_numerals(n) == words


def test_amount_in_words_is_written_as_on_a_receipt():
    assert amount_in_words(500) == "新臺幣伍佰元整"
