"""No live formulas in exports: every CSV and XLSX the portal writes goes through core/tabular.py.

Text that begins with =, +, -, @, a tab or a carriage return is quoted in CSV and stored as a string
(never a formula) in XLSX; real numbers stay numbers. One test per export (volunteers' exports are
in tests/security/test_export_formulas_volunteers.py).
"""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from accounts.roles import Role
from core.tabular import append_row, csv_cell, csv_writer
from disclosure.models import PayeeType, Spending, SpendingStatus
from disclosure.services import build_report
from donations import services as donation_services
from donations.models import Channel, PledgeStatus
from programs.models import Category
from tests.donations.factories import PledgeFactory
from tests.programs.factories import ProgramFactory

ATTACKS = ['=HYPERLINK("http://evil.example","點我")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


# --- the helper ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ATTACKS)
def test_csv_quotes_text_a_spreadsheet_would_run(text):
    assert csv_cell(text) == "'" + text


def test_csv_leaves_ordinary_text_and_real_numbers_alone():
    assert csv_cell("王小明") == "王小明"
    assert csv_cell(-500) == -500
    assert csv_cell(1.5) == 1.5
    out = io.StringIO()
    csv_writer(out, lineterminator="\n").writerow(["=1+1", -3, "a=b"])
    assert out.getvalue() == "'=1+1,-3,a=b\n"


@pytest.mark.parametrize("write_only", [True, False])
def test_xlsx_stores_text_as_strings_and_numbers_as_numbers(write_only):
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("t") if write_only else workbook.active
    append_row(sheet, [*ATTACKS, -500, 2.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    cells = next(load_workbook(io.BytesIO(buffer.getvalue())).worksheets[-1].iter_rows())
    assert [c.data_type for c in cells] == ["s"] * len(ATTACKS) + ["n", "n"]
    # (XML reads a carriage return back as a line feed; the text is otherwise as typed)
    assert [c.value for c in cells[: len(ATTACKS) - 1]] == ATTACKS[:-1]
    assert cells[-2].value == -500


# --- each export ---------------------------------------------------------------------------------


def assert_no_formula_in_csv(content: bytes):
    for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))):
        for value in row:
            assert not value.startswith(("=", "+", "@", "\t", "\r")), row
            assert not (value.startswith("-") and not _is_number(value)), row


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def assert_no_formula_in_xlsx(content: bytes):
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


@pytest.fixture
def hostile_month(db, make_user):
    """A month whose public report carries text that donors and caseworkers typed."""
    program = ProgramFactory(published=True, title="=cmd|'/C calc'!A0")
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    now = timezone.make_aware(datetime.datetime.combine(last_month.replace(day=10), datetime.time(12)))
    for text in ATTACKS[:4]:
        pledge = PledgeFactory(
            program=program, amount=700, disclosure_mode="display_name", display_name=text, guest_email=""
        )
        donation_services._mark_paid(pledge, paid_at=now, channel=Channel.CREDIT)
    Spending.objects.create(
        program=program,
        spent_on=last_month.replace(day=11),
        item="@SUM(1+1)*cmd|' /C calc'!A0",
        amount=300,
        payee_type=PayeeType.choices[0][0],
        voucher_number="=1+1",
        status=SpendingStatus.APPROVED,
        recorded_by=make_user(Role.CASEWORKER, organisation=program.bureau),
    )
    build_report(last_month.year, last_month.month)
    return {"year": last_month.year, "month": last_month.month}


@pytest.mark.parametrize("name", ["disclosure:income_csv", "disclosure:goods_csv", "disclosure:spending_csv"])
def test_the_public_months_csv_files_carry_no_formula(client, hostile_month, name):
    response = client.get(reverse(name, kwargs=hostile_month))
    assert response.status_code == 200
    content = b"".join(response) if response.streaming else response.content
    assert_no_formula_in_csv(content)
    if name == "disclosure:income_csv":
        assert "'=HYPERLINK(" in content.decode("utf-8-sig")


def test_the_public_months_workbook_carries_no_formula(client, hostile_month):
    response = client.get(reverse("disclosure:xlsx", kwargs=hostile_month))
    content = b"".join(response) if response.streaming else response.content
    assert_no_formula_in_xlsx(content)
    texts = [c.value for s in load_workbook(io.BytesIO(content)).worksheets for r in s.iter_rows() for c in r]
    assert ATTACKS[0] in texts  # kept as text, exactly as typed
    assert 700 in texts  # amounts stay numbers


@pytest.mark.django_db
def test_the_tax_export_carries_no_formula(client, make_user):
    reviewer = make_user(Role.SW_REVIEWER)
    pledge = PledgeFactory(
        receipt_name='=HYPERLINK("http://evil")',
        receipt_id_number="A123456789",
        tax_consent=True,
        guest_email="",
    )
    when = timezone.make_aware(datetime.datetime(2025, 5, 1, 12))
    donation_services._mark_paid(pledge, paid_at=when, channel=Channel.CREDIT)
    assert pledge.__class__.objects.get(pk=pledge.pk).status == PledgeStatus.PAID
    client.force_login(reviewer)
    response = client.get(reverse("donations:tax_export", kwargs={"roc_year": 114}))
    assert response.status_code == 200
    assert_no_formula_in_csv(response.content)
    assert "'=HYPERLINK(" in response.content.decode("utf-8-sig")


@pytest.mark.django_db
def test_the_dashboard_csv_carries_no_formula(client):
    category = Category.objects.create(name='=HYPERLINK("x")', slug="hostile", sort_order=99)
    ProgramFactory(published=True, category=category)
    response = client.get(reverse("dashboard:csv"))
    content = b"".join(response) if response.streaming else response.content
    assert_no_formula_in_csv(content)
    assert "'=HYPERLINK(" in content.decode("utf-8-sig")
