"""English mode: the catalogue in locale/en is complete and compiled, and real pages speak English.

Source strings (msgids) are the Traditional Chinese text; the English lives in
locale/en/LC_MESSAGES/django.po (and the compiled django.mo committed beside it). After adding a
wrapped string, run `manage.py makemessages -l en --ignore=.venv --no-obsolete`, translate it, and
`manage.py compilemessages --ignore=.venv`.
"""

import ast
import datetime
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from disclosure import services as disclosure_services
from donations import services as donation_services
from programs.models import ProgramStatus
from tests.donations.factories import PledgeFactory
from tests.programs.factories import ProgramFactory

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd%]|\{\w*\}")


def _catalogue_entries():
    """The .po file's entries as dicts: msgid, msgid_plural, msgstr (list), flags, line.
    A small reader of our own: the project does not depend on a .po library."""
    entries, entry, field = [], None, None
    for number, raw in enumerate((LOCALE / "django.po").read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            if entry and "msgid" in entry:
                entries.append(entry)
            entry, field = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}, "line": number}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(field, tuple):
                entry["msgstr"][field[1]] += value
            else:
                entry[field] += value
        else:
            keyword, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match:
                field = ("msgstr", int(match.group(1)))
                entry["msgstr"][field[1]] = value
            elif keyword == "msgstr":
                field = ("msgstr", 0)
                entry["msgstr"][0] = value
            else:
                field = keyword
                entry[field] = value
    if entry and "msgid" in entry:
        entries.append(entry)
    return [e for e in entries if e["msgid"]]  # the header has an empty msgid


def _english():
    with (LOCALE / "django.mo").open("rb") as handle:
        return gettext.GNUTranslations(handle)


def test_the_english_catalogue_is_not_empty():
    assert len(_catalogue_entries()) > 500


def test_every_message_in_the_english_catalogue_has_a_checked_translation():
    """No empty msgstr and no `#, fuzzy` guess left by makemessages: a new Chinese string must be
    translated (and the fuzzy flag removed once checked) before it lands."""
    missing = [
        f"line {e['line']}: {e['msgid']}"
        for e in _catalogue_entries()
        if "fuzzy" in e["flags"] or not e["msgstr"] or not all(text.strip() for text in e["msgstr"].values())
    ]
    assert missing == [], "untranslated or fuzzy entries in locale/en/LC_MESSAGES/django.po:\n" + "\n".join(
        missing
    )


def test_every_translation_keeps_the_placeholders_of_its_source():
    wrong = []
    for e in _catalogue_entries():
        expected = sorted(PLACEHOLDER.findall(e["msgid"]))
        for text in e["msgstr"].values():
            if sorted(PLACEHOLDER.findall(text)) != expected and not e.get("msgid_plural"):
                wrong.append(f"line {e['line']}: {e['msgid']} → {text}")
    assert wrong == []


def test_the_compiled_catalogue_matches_the_po_file():
    """django.mo is committed: it must be recompiled (compilemessages) whenever django.po changes."""
    english = _english()
    stale = []
    for e in _catalogue_entries():
        if "fuzzy" in e["flags"] or e.get("msgid_plural"):
            continue
        context = e.get("msgctxt")  # e.g. "header": the short names of the header's sections
        compiled = english.pgettext(context, e["msgid"]) if context else english.gettext(e["msgid"])
        if compiled != e["msgstr"].get(0):
            stale.append(e["msgid"])
    assert stale == [], "run `manage.py compilemessages --ignore=.venv`; stale: " + ", ".join(stale[:10])


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    return html


@pytest.mark.django_db
def test_the_home_page_in_english_mode_has_english_headings(english):
    html = _page(english, "/")
    assert "Goodday: every gift, visible" in html
    assert "Skip to main content" in html
    assert "好日子：讓每一份愛心都看得見" not in html
    assert "跳到主要內容" not in html


@pytest.mark.django_db
def test_the_program_list_in_english_mode_has_english_headings_and_filters(english):
    ProgramFactory(status=ProgramStatus.PUBLISHED, title="Meals for seniors")
    html = _page(english, reverse("programs:list"))
    assert "<h1>Programs</h1>" in html
    assert "Filter programs" in html
    assert "Newest" in html  # a sort label defined in Python (programs/selectors.py)
    assert "篩選方案" not in html
    assert "最新" not in html


@pytest.mark.django_db
def test_a_disclosure_month_in_english_mode_has_english_headings(english):
    gift = PledgeFactory(program=None, amount=800, donor_name="王小明")
    paid_at = datetime.datetime(2026, 10, 3, 12, tzinfo=datetime.UTC)
    donation_services._mark_paid(gift, paid_at=paid_at, channel=gift.channel)
    disclosure_services.build_report(2026, 10)

    html = _page(english, reverse("disclosure:month", args=[2026, 10]))
    assert "Public disclosure for ROC year 115, month 10" in html
    assert "Donation income in detail" in html
    assert "Spending in detail" in html
    assert "Version 1" in html
    assert "民國 115 年 10 月公開徵信" not in html
    assert "捐款收入明細" not in html


@pytest.mark.django_db
def test_the_login_page_in_english_mode_is_in_english(english):
    html = _page(english, reverse(settings.LOGIN_URL))
    assert "Sign In" in html
    assert "Skip to main content" in html
    assert "登入" not in html


@pytest.mark.django_db
def test_the_same_pages_stay_in_traditional_chinese_by_default(client):
    html = client.get(reverse("programs:list")).content.decode()
    assert "篩選方案" in html
    assert "Filter programs" not in html


@pytest.mark.django_db
def test_a_programs_status_and_an_offers_status_speak_english_on_english_pages(english):
    """ProgramStatus and OfferStatus were the only TextChoices whose labels were plain strings: the
    badge on a program's page said 募集中 on an English page."""
    from programs.models import OfferKind, OfferStatus

    program = ProgramFactory(status=ProgramStatus.PUBLISHED, title="Meals for seniors")
    html = _page(english, reverse("programs:detail", args=[program.pk]))
    assert '<span class="badge">Open for giving</span>' in html
    assert "募集中" not in html
    from django.utils import translation

    with translation.override("en"):
        for choices in (ProgramStatus, OfferStatus, OfferKind):
            for value, label in choices.choices:
                assert not re.search(r"[\u3400-\u9fff]", str(label)), (choices.__name__, value, label)
    with translation.override("zh-hant"):
        assert ProgramStatus.RETURNED.label == "退回修正" and OfferStatus.DECLINED.label == "婉拒"
