import pytest

from disclosure.masking import ANONYMOUS, disclosed_donor_name, mask_person_name


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("李安", "李○"),  # two characters
        ("王小明", "王○明"),  # three
        ("陳林美華", "陳○○華"),  # four, single surname
        ("歐陽娜娜", "歐陽○娜"),  # compound surname, four
        ("司馬懿", "司馬○"),  # compound surname, three
        ("張簡志明", "張簡○明"),
        ("John Smith", "J*** S****"),  # foreign names
        ("Nguyen Thi Lan", "N***** T** L**"),
        ("王", "王○"),
        ("", ANONYMOUS),
    ],
)
def test_personal_names_are_masked(name, masked):
    assert mask_person_name(name) == masked


def test_companies_appear_in_full():
    assert (
        disclosed_donor_name("台灣好食品股份有限公司", kind="company", mode="full")
        == "台灣好食品股份有限公司"
    )


def test_display_names_and_anonymous_gifts():
    assert (
        disclosed_donor_name("王小明", kind="person", mode="display_name", display_name="愛心小天使")
        == "愛心小天使"
    )
    assert disclosed_donor_name("王小明", kind="person", mode="anonymous") == "善心人士"
    assert disclosed_donor_name("大安慈善會", kind="company", mode="anonymous") == "善心人士"
    assert disclosed_donor_name("王小明", kind="person", mode="full") == "王○明"
