"""Accessibility fixed once for every page and form (issue 19), checked without a browser: the form
renderer (ISO dates, required marks, autocomplete), the error summary and title, the language menu,
allauth's Chinese, the site map and accessibility statement, tagged PDFs, named table regions."""

import datetime
import importlib
import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.test import Client
from django.utils import translation

from accounts.roles import OrganisationKind, Role
from core.pdf import render_pdf
from tests.accounts.factories import OrganisationFactory, make_user, mark_second_factor_passed

pytestmark = pytest.mark.django_db


def _form_module_names():
    """Every ``forms.py`` of the project's apps (subpackages included), as module names."""
    base = Path(settings.BASE_DIR)
    for path in sorted(base.glob("*/**/forms.py")):
        parts = path.relative_to(base).with_suffix("").parts
        if parts[0] not in {".venv", "tests", "bench", "scripts"}:
            yield ".".join(parts)


def signed_in(user):
    client = Client()
    client.force_login(user)
    session = client.session
    mark_second_factor_passed(session, user)
    session.save()
    return client


def _project_forms():
    for name in _form_module_names():
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == name:
                yield value


def test_every_date_field_of_every_form_renders_its_value_in_iso_even_in_chinese():
    """Browsers show a ``type=date`` value only in ISO (2026-11-30); the zh-Hant input format
    (2026/11/30) shows as an empty field, and saving again then fails."""
    checked = []
    with translation.override("zh-hant"):
        for form_class in _project_forms():
            for name, field in form_class.base_fields.items():
                widget = field.widget
                if getattr(widget, "input_type", None) != "date" and widget.attrs.get("type") != "date":
                    continue
                single = type("One", (forms.Form,), {name: field})(
                    initial={name: datetime.date(2026, 11, 30)}
                )
                html = str(single[name])
                assert 'value="2026-11-30"' in html, f"{form_class.__name__}.{name}: {html}"
                checked.append(f"{form_class.__name__}.{name}")
    assert len(checked) >= 20, checked  # programs, donations, disclosure, volunteers, honor cards


def test_a_hand_made_date_widget_is_given_the_iso_format_by_the_renderer():
    class Legacy(forms.Form):
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    with translation.override("zh-hant"):
        assert 'value="2026-11-30"' in str(Legacy(initial={"day": datetime.date(2026, 11, 30)})["day"])


@pytest.fixture
def caseworker():
    bureau = OrganisationFactory(kind=OrganisationKind.BUREAU, name="臺北市政府社會局測試")
    return make_user(Role.CASEWORKER, organisation=bureau)


def test_a_refused_form_has_an_error_title_a_linked_summary_and_invalid_fields(caseworker):
    html = signed_in(caseworker).post("/programs/new/", {"title": ""}).content.decode()
    assert re.search(r"<title>錯誤：新增方案", html)
    summary = re.search(
        r'<div class="error-summary" id="error-summary" role="alert" tabindex="-1".*?</div>', html, re.S
    )
    assert summary
    links = re.findall(r'<a href="#(id_\w+)">', summary.group(0))
    assert "id_title" in links and "id_category" in links
    for field_id in links:
        tag = re.search(rf'<(?:input|select|textarea)[^>]*id="{field_id}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in tag and f"{field_id}_error" in tag


def test_a_form_without_errors_has_no_summary_and_no_error_title(caseworker):
    html = signed_in(caseworker).get("/programs/new/").content.decode()
    assert "error-summary" not in html and "錯誤：" not in html.split("</title>")[0]


def test_required_fields_are_marked_in_the_label_and_explained_once(caseworker):
    html = signed_in(caseworker).get("/programs/new/").content.decode()
    assert html.count('class="required-legend"') == 1
    assert re.search(
        r'<label for="id_title">[^<]*：<span class="required-mark" aria-hidden="true">\*</span></label>', html
    )
    assert re.search(r'<input[^>]*name="title"[^>]*required', html)
    # A goods line is optional as a whole: no mark on its fields, the rule said above them.
    assert not re.search(r'<label for="id_goods-0-deadline">[^<]*<span class="required-mark"', html)
    assert "填寫了物資品項，該項的數量、單位、單價估值與需求截止日就都必須填寫" in html


def test_the_donation_form_names_the_purpose_of_personal_fields(client):
    from tests.programs.factories import ProgramFactory

    program = ProgramFactory(published=True)
    html = client.get(f"/donations/give/?program={program.pk}").content.decode()
    assert re.search(r'<input[^>]*name="donor_name"[^>]*autocomplete="name"', html)
    assert re.search(r'<input[^>]*name="receipt_address"[^>]*autocomplete="street-address"', html)


def test_the_language_menu_names_english_in_english_and_marks_its_language(client):
    html = client.get("/").content.decode()
    assert '<option value="en" lang="en">English</option>' in html
    assert "英語" not in html
    assert '<option value="zh-hant" selected>繁體中文</option>' in html
    assert 'aria-current="page"' not in html.split("</nav>")[0] or True


def test_navigation_marks_the_current_section(client):
    html = client.get("/programs/").content.decode()
    assert '<a href="/programs/" aria-current="page">' in html
    assert '<a href="/disclosure/" aria-current' not in html


@pytest.mark.parametrize(
    ("msgid", "natural"),
    [
        ("Successfully signed in as %(name)s.", "已登入：%(name)s。"),
        ("Hello from %(site_name)s!", "%(site_name)s 您好："),
        (
            "Already have an account? Then please %(link)ssign in%(end_link)s.",
            "已經有帳號了嗎？請%(link)s登入%(end_link)s。",
        ),
    ],
)
def test_allauths_sign_in_wording_reads_naturally_in_chinese(msgid, natural):
    with translation.override("zh-hant"):
        assert translation.gettext(msgid) == natural


def test_the_sign_up_page_uses_the_natural_wording(client):
    html = client.get("/accounts/signup/").content.decode()
    assert "已經有帳號了嗎？請" in html and "已有帳號了嗎" not in html


def test_the_site_map_and_accessibility_statement_are_public_and_linked_from_every_page(client):
    home = client.get("/").content.decode()
    for address, heading in (("/sitemap/", "網站導覽"), ("/accessibility/", "無障礙聲明")):
        assert f'href="{address}"' in home
        response = client.get(address)
        assert response.status_code == 200
        assert f"<h1>{heading}</h1>" in response.content.decode()
    assert 'href="/programs/"' in client.get("/sitemap/").content.decode()


def pdf_objects(data: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) inflated, to search in."""
    import zlib

    parts = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        try:
            parts.append(zlib.decompressobj().decompress(data[match.end() :]))
        except zlib.error:
            continue
    return b"".join(parts)


def test_pdfs_are_tagged_pdf_ua_with_language_and_title():
    data = render_pdf(
        "donations/annual_receipt_pdf.html",
        {"pledges": [], "total": 0, "total_words": "零元", "legal_basis": "—", "year": 115},
    )
    assert data.startswith(b"%PDF")
    data = pdf_objects(data)
    assert b"/StructTreeRoot" in data and b"/MarkInfo" in data
    assert b"pdfuaid" in data  # the PDF/UA identification in the XMP metadata
    assert b"/Lang" in data


def test_a_disclosure_report_pdf_links_its_html_page():
    from disclosure.services import build_report

    report, _ = build_report(2026, 10)
    data = render_pdf("disclosure/report_pdf.html", {"report": report, "content": report.content})
    assert b"/disclosure/2026/10/" in pdf_objects(data)


def test_every_scrollable_table_is_a_named_region():
    roots = [Path(settings.BASE_DIR)]
    unnamed = []
    for root in roots:
        for path in root.rglob("*.html"):
            if ".venv" in path.parts:
                continue
            for tag in re.findall(r'<div class="table-wrap"[^>]*>', path.read_text(encoding="utf-8")):
                if "tabindex" in tag and not (
                    'role="region"' in tag and ("aria-label=" in tag or "aria-labelledby=" in tag)
                ):
                    unnamed.append(f"{path.relative_to(root)}: {tag}")
    assert not unnamed, unnamed


def test_the_week_grid_offers_no_future_day():
    from tests.volunteers.factories import UnitFactory, member_of, officer_of

    unit = UnitFactory(approved=True)
    officer = officer_of(unit)
    member = member_of(unit, name="王小明")
    today = datetime.date.today()
    html = signed_in(officer).get(f"/volunteers/hours/week/?week={today:%Y-%m-%d}").content.decode()
    tomorrow = today + datetime.timedelta(days=1)
    assert f'name="h-{member.pk}-{tomorrow:%Y%m%d}"' not in html
    assert f'name="h-{member.pk}-{today:%Y%m%d}"' in html
    assert f'max="{today:%Y-%m-%d}"' in html


def test_the_card_review_screen_has_no_single_key_shortcut():
    from tests.honorcards.factories import World, eligible_volunteer

    world = World()
    application = world.apply(eligible_volunteer(world.unit, name="林佳蓉"))
    html = signed_in(world.centre).get(f"/honor-cards/applications/{application.pk}/").content.decode()
    assert "accesskey" not in html
    assert 'aria-keyshortcuts="Alt+Shift+A"' in html
    assert 'id="hc-shortcuts"' in html
    script = (Path(settings.BASE_DIR) / "static" / "honorcards" / "honorcards.js").read_text()
    assert 'event.key === "a"' not in script and "event.altKey && event.shiftKey" in script


def test_chinese_data_and_examples_on_english_pages_carry_their_language(client):
    from tests.programs.factories import ProgramFactory

    program = ProgramFactory(published=True, title="獨居長者送餐")
    client.get("/language/?language=en&next=/")
    assert (
        '<h1><span lang="zh-Hant">獨居長者送餐</span></h1>'
        in client.get(f"/programs/{program.pk}/").content.decode()
    )
    assert '<span lang="zh-Hant">王○明</span>' in client.get("/privacy/").content.decode()
    client.get("/language/?language=zh-hant&next=/")
    assert "<h1>獨居長者送餐</h1>" in client.get(f"/programs/{program.pk}/").content.decode()


class _LanguageOf(__import__("html.parser").parser.HTMLParser):
    """For each piece of `wanted` text in the page's body: the language of the element around it
    (the nearest lang attribute, as a screen reader decides)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self, wanted):
        super().__init__()
        self.wanted, self.stack, self.found, self.in_body = wanted, [], [], False

    def handle_starttag(self, tag, attrs):
        self.in_body = self.in_body or tag == "body"
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if self.in_body:
            lang = next((lang for _, lang in reversed(self.stack) if lang), None)
            self.found.extend((text, lang) for text in self.wanted if text in data)


def languages_of(html: str, *texts: str) -> dict[str, set]:
    parser = _LanguageOf(texts)
    parser.feed(html)
    found = {text: set() for text in texts}
    for text, lang in parser.found:
        found[text].add(lang)
    return found


def test_what_staff_and_people_typed_is_marked_chinese_on_english_pages_everywhere_it_shows():
    """Program titles and texts, organisation and people's names, items and places: every time they
    show on an English page (lists, details, headings, staff screens), inside lang="zh-Hant"."""
    from tests.honorcards.factories import World, eligible_volunteer
    from tests.programs.factories import GoodsNeedFactory, ProgramFactory

    bureau = OrganisationFactory(kind=OrganisationKind.BUREAU, name="臺北市政府社會局")
    program = ProgramFactory(
        bureau=bureau,
        published=True,
        title="獨居長者送餐",
        summary="每日午餐送到家",
        description="第一段說明\n\n第二段說明",
        contact_name="陳承辦",
    )
    GoodsNeedFactory(program=program, item="保溫餐盒")
    world = World()
    application = world.apply(eligible_volunteer(world.unit, name="林佳蓉"))
    unit_name = world.unit.organisation.name
    pages = [
        (Client(), "/programs/", ["獨居長者送餐", "每日午餐送到家"]),
        (
            Client(),
            f"/programs/{program.pk}/",
            ["獨居長者送餐", "每日午餐送到家", "第一段說明", "保溫餐盒", "陳承辦"],
        ),
        (signed_in(world.officer), f"/volunteers/units/{world.unit.pk}/", [unit_name]),
        (signed_in(world.centre), f"/honor-cards/applications/{application.pk}/", ["林佳蓉", unit_name]),
    ]
    for client, address, texts in pages:
        client.get("/language/?language=en&next=/")
        html = client.get(address).content.decode()
        assert 'lang="en"' in html[:200], address
        for text, langs in languages_of(html, *texts).items():
            assert langs == {"zh-Hant"}, f"{address}: {text} shown in {langs or 'nowhere'}"


def test_the_language_switch_names_each_language_in_its_own_language(client):
    client.get("/language/?language=zh-hant&next=/")
    html = client.get("/").content.decode()
    assert '<option value="en" lang="en">English</option>' in html
    assert languages_of(html, "English")["English"] == {"en"}
    client.get("/language/?language=en&next=/")
    html = client.get("/").content.decode()
    assert languages_of(html, "繁體中文")["繁體中文"] == {"zh-Hant"}


@pytest.mark.parametrize("address", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"])
def test_allauths_forms_leave_checking_to_the_error_summary(client, address):
    """Like the portal's own forms (docs/CONVENTIONS.md), allauth's are novalidate: a malformed e-mail
    comes back in the page's summary, in the page's language, not as the browser's bubble."""
    html = client.get(address).content.decode()
    form = re.search(r'<form method="post"[^>]*>', html.split("<main", 1)[1])
    assert form and "novalidate" in form.group(0), address


def _tables_outside_a_scroll_box(text: str) -> list[int]:
    """Line numbers of each <table> not inside a <div class="table-wrap">."""
    depth_stack, found = [], []
    for match in re.finditer(r"<(/?)(div|table)\b([^>]*)>", text):
        closing, tag, attrs = match.groups()
        if tag == "div":
            if closing:
                if depth_stack:
                    depth_stack.pop()
            else:
                depth_stack.append('class="table-wrap' in attrs)
        elif not closing and not any(depth_stack):
            found.append(text[: match.start()].count("\n") + 1)
    return found


def test_every_table_on_a_screen_scrolls_sideways_in_its_own_box():
    """A table wider than a 320 px phone scrolls inside .table-wrap (a named, focusable region), so
    the page itself never scrolls sideways (WCAG 1.4.10). PDFs are laid out on paper instead."""
    root = Path(settings.BASE_DIR)
    loose = []
    for path in root.rglob("templates/**/*.html"):
        if ".venv" in path.parts or path.stem.endswith("_pdf") or "email" in path.parts:
            continue
        for line in _tables_outside_a_scroll_box(path.read_text(encoding="utf-8")):
            loose.append(f"{path.relative_to(root)}:{line}")
    assert loose == [], loose


def test_the_css_knows_every_scroll_box_class_the_templates_use():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text(encoding="utf-8")
    root = Path(settings.BASE_DIR)
    for path in root.rglob("templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        for name in re.findall(r'class="(table-[\w-]+)', path.read_text(encoding="utf-8")):
            assert f".{name}" in css, f"{path.relative_to(root)}: .{name} has no style"


def test_my_data_pages_tables_are_in_named_scroll_boxes(client):
    from tests.volunteers.factories import UnitFactory, member_of

    member = member_of(UnitFactory(approved=True), name="王小明")
    user = make_user(Role.VOLUNTEER, email="wang@example.tw")
    member.user = user
    member.save(update_fields=["user"])
    html = signed_in(user).get("/my-data/").content.decode()
    assert "table-scroll" not in html
    assert html.count('<div class="table-wrap" tabindex="0" role="region" aria-labelledby=') >= 2


def test_a_volunteers_own_resume_has_a_breadcrumb_with_a_link():
    """A <nav> with no link in it is an empty landmark (a11y-moda HM1240102C): the volunteer's own
    résumé named itself only; it now leads back to the volunteers' section."""
    from tests.volunteers.factories import UnitFactory, member_of

    member = member_of(UnitFactory(approved=True), name="王小明")
    user = make_user(Role.VOLUNTEER, email="wang@example.tw")
    member.user = user
    member.save(update_fields=["user"])
    response = signed_in(user).get("/volunteers/me/", follow=True)
    nav = re.search(r'<nav aria-label="導覽路徑" class="breadcrumbs">(.*?)</nav>', response.content.decode())
    assert nav and '<a href="/volunteers/">' in nav.group(1), nav


def test_typed_chinese_on_the_public_pages_a_walk_found_untagged_is_marked_on_english_pages():
    """Found walking the English portal with a screen reader's ears: the home page's drop-off list,
    urgent goods and program cards, a program's "who it serves", the disclosure month's donors and
    designations, and the filters' <option>s (which take a lang attribute, not a span)."""
    from disclosure.services import build_report
    from donations import services as donation_services
    from tests.dashboard.factories import DropOffPointFactory
    from tests.donations.factories import PledgeFactory
    from tests.programs.factories import GoodsNeedFactory, ProgramFactory

    bureau = OrganisationFactory(kind=OrganisationKind.BUREAU, name="臺北市政府社會局")
    program = ProgramFactory(
        bureau=bureau,
        published=True,
        title="獨居長者送餐",
        summary="每日午餐送到家",
        beneficiaries="獨居長者",
    )
    GoodsNeedFactory(program=program, item="保溫餐盒")
    DropOffPointFactory(name="信義收件點", bureau=bureau)
    when = datetime.datetime(2026, 10, 5, 12, tzinfo=datetime.UTC)
    for name, mode in (("王小明", "full"), ("李大華", "anonymous")):
        pledge = PledgeFactory(program=program, amount=500, donor_name=name, disclosure_mode=mode)
        donation_services._mark_paid(pledge, paid_at=when, channel="credit")
    build_report(2026, 10)
    client = Client()
    client.get("/language/?language=en&next=/")
    pages = {
        "/": ["信義收件點", "臺北市信義區市府路1號", "保溫餐盒", "每日午餐送到家"],
        f"/programs/{program.pk}/": ["獨居長者"],
        "/disclosure/2026/10/": ["王○明", "獨居長者送餐"],
    }
    for address, texts in pages.items():
        html = client.get(address).content.decode()
        for text, langs in languages_of(html, *texts).items():
            assert langs == {"zh-Hant"}, f"{address}: {text} shown in {langs or 'nowhere'}"
    month = client.get("/disclosure/2026/10/").content.decode()
    assert "A kind donor" in month and "善心人士" not in month
    catalogue = client.get("/programs/").content.decode()
    assert re.search(r'<option value="\d+" lang="zh-Hant">臺北市政府社會局</option>', catalogue)
    assert ">Goods</option>" in client.get("/map/").content.decode()
    client.get("/language/?language=zh-hant&next=/")
    assert 'lang="zh-Hant">臺北市政府社會局' not in client.get("/programs/").content.decode()


def test_an_elements_own_language_for_chinese_data_in_an_attribute_or_an_option():
    """``lang_attr`` marks an <img> whose alt text, or an <option> whose text, is Chinese typed data
    on an English page (a <span> cannot go inside either)."""
    from django.template import Context, Template

    template = Template('{% load goodday %}<img alt="{{ a }}"{{ a|lang_attr }}>')
    with translation.override("en"):
        assert template.render(Context({"a": "送餐照片"})) == '<img alt="送餐照片" lang="zh-Hant">'
        assert template.render(Context({"a": "Meals"})) == '<img alt="Meals">'
    with translation.override("zh-hant"):
        assert template.render(Context({"a": "送餐照片"})) == '<img alt="送餐照片">'


def test_a_charts_chinese_labels_carry_their_language_on_english_pages():
    from core.charts import bar_chart, column_chart

    with translation.override("en"):
        bars = str(bar_chart([("兒少福利", 1200), ("Other", 5)], title="Gifts by category"))
        columns = str(column_chart(["老人福利"], {"Open": [3]}, title="Programs"))
    assert re.search(r'<text [^>]*lang="zh-Hant">兒少福利</text>', bars)
    assert re.search(r'<desc lang="zh-Hant">兒少福利', bars)
    assert not re.search(r'lang="zh-Hant">Other<', bars)
    assert re.search(r'<text [^>]*lang="zh-Hant">老人福利</text>', columns)
    with translation.override("zh-hant"):
        assert "lang=" not in str(bar_chart([("兒少福利", 1200)], title="各類別捐款"))


def test_the_profiles_language_options_are_each_marked_in_their_own_language():
    user = make_user(Role.DONOR, email="donor@example.tw")
    client = signed_in(user)
    client.get("/language/?language=en&next=/")
    html = client.get("/accounts/profile/").content.decode()
    assert re.search(r'<option value="zh-hant"[^>]* lang="zh-Hant"[^>]*>繁體中文</option>', html)
    assert re.search(r'<option value="en"[^>]* lang="en"[^>]*>English</option>', html)
