"""How donors appear in the public disclosure — the one place these rules live.

- companies and organisations: their full name;
- people: the surname kept, the given name masked with ○ except its last character
  (王小明 → 王○明, 李安 → 李○, 歐陽娜娜 → 歐陽○娜); a compound surname (歐陽, 司馬 …) counts as
  the surname; names in Latin letters keep the first letter of each word (John Smith → J*** S****);
- a chosen display name as given; anonymous gifts as 善心人士.
"""

import re

ANONYMOUS = "善心人士"
MASK = "○"
COMPOUND_SURNAMES = {
    "歐陽", "司馬", "諸葛", "上官", "張簡", "范姜", "東方", "皇甫", "尉遲", "公孫", "慕容", "令狐",
    "長孫", "宇文", "司徒", "夏侯", "端木", "軒轅", "鍾離", "呼延", "南宮", "西門", "澹臺", "拓跋",
    "姜林", "張廖", "周黃", "劉張", "陳吳", "徐辜",
}  # fmt: skip
_LATIN = re.compile(r"[A-Za-z]")


def mask_person_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ANONYMOUS
    if _LATIN.search(name):
        return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())
    surname_length = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    surname, given = name[:surname_length], name[surname_length:]
    if not given:
        return surname + MASK
    if len(given) == 1:
        return surname + MASK
    return surname + MASK * (len(given) - 1) + given[-1]


def disclosed_donor_name(name: str, *, kind: str, mode: str, display_name: str = "") -> str:
    if mode == "anonymous":
        return ANONYMOUS
    if mode == "display_name":
        return (display_name or "").strip() or ANONYMOUS
    if kind == "company":
        return (name or "").strip() or ANONYMOUS
    return mask_person_name(name)


# --- Hand-outs: to whom, in general terms -------------------------------------------------------

INDIVIDUAL = "個別受益者"
# Words that make a recipient a group, a place or an organisation rather than a person.
_GROUP_WORDS = (
    "家庭", "戶", "分行", "銀行", "中心", "協會", "基金會", "機構", "學校", "國小", "國中", "學童",
    "兒童", "長者", "老人", "婦女", "街友", "居民", "災民", "個案", "據點", "服務站", "安置", "社區",
    "家園", "公所", "育幼院", "教養院", "養護", "收容", "弱勢", "低收", "獨居", "人次", "市民",
)  # fmt: skip
_DISTRICT = re.compile(r"..區")  # 萬華區, 臺北市大安區: a place (a bare two-character name is not)
_DIGITS = re.compile(r"\d{4,}|[A-Za-z]\d{9}")  # phone numbers, ID numbers, house numbers


def general_recipient(text: str) -> str:
    """A hand-out's recipient as the public sees it: a group, place or branch as recorded; anything
    that may be one person (a bare name) or carries numbers that could identify someone becomes
    "個別受益者". Hand-outs are recorded as groups or branches; this keeps a slip from being published."""
    text = (text or "").strip()
    if not text:
        return INDIVIDUAL
    if _DIGITS.search(text):
        return INDIVIDUAL
    if not any(word in text for word in _GROUP_WORDS) and not _DISTRICT.search(text):
        return INDIVIDUAL
    return text
