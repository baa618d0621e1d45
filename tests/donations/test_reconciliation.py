"""Offline gifts, imported statements matched to gifts, annual receipts and the tax export."""

import csv
import datetime
import io
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from donations import services
from donations.models import Pledge, PledgeStatus, StatementImport, StatementLine
from tests.donations.factories import PledgeFactory

pytestmark = pytest.mark.django_db


def paid(pledge, when=None):
    services._mark_paid(pledge, paid_at=when or timezone.now(), channel=pledge.channel)
    return pledge


def upload(text: str, name="statement.csv", encoding="utf-8-sig"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def test_staff_record_a_remittance_and_it_gets_a_receipt(client, reviewer, program):
    client.force_login(reviewer)
    response = client.post(
        reverse("donations:offline_gift"),
        {
            "channel": "remittance",
            "amount": 3000,
            "paid_on": timezone.localdate().isoformat(),
            "donor_kind": "company",
            "donor_name": "大安慈善會",
            "disclosure_mode": "full",
            "program": program.pk,
        },
    )
    assert response.status_code == 302
    pledge = Pledge.objects.get()
    assert (pledge.status, pledge.channel, pledge.recorded_by) == (PledgeStatus.PAID, "remittance", reviewer)
    assert pledge.receipts.count() == 1
    program.refresh_from_db()
    assert program.money_raised == 3000


def test_only_social_welfare_staff_record_offline_gifts(client, make_user):
    client.force_login(make_user(Role.CASEWORKER))
    assert client.get(reverse("donations:offline_gift")).status_code == 403


def test_an_imported_statement_matches_gifts_and_lists_the_unmatched_line(reviewer, program):
    today = timezone.localdate()
    by_card = paid(PledgeFactory(program=program, amount=500))
    remittance = paid(PledgeFactory(program=program, amount=3000, channel="remittance", donor_name="林志明"))
    text = (
        "日期,交易編號,付款人,金額,手續費\n"
        f"{today.isoformat()},{by_card.merchant_trade_no},,500,14\n"
        f"{today.isoformat()},,林志明,3000,0\n"
        f"{today.isoformat()},,不明匯款,1234,15\n"
    )
    statement = services_import(upload(text), reviewer)
    assert (statement.line_count, statement.matched_count, statement.total_fees) == (3, 2, 29)
    lines = {line.row: line for line in statement.lines.all()}
    assert lines[2].pledge == by_card
    assert lines[3].pledge == remittance
    assert lines[4].pledge is None
    assert lines[4].note == "查無相符的捐款"


def services_import(file, actor):
    from donations import reconciliation

    return reconciliation.import_statement(upload=file, actor=actor)


def test_a_bad_line_refuses_the_whole_file_with_the_row_named(reviewer):
    text = "日期,金額\n2026-11-01,500\n不是日期,300\n"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services_import(upload(text), reviewer)
    assert "第 3 列" in exc.value.messages[0]
    assert not StatementImport.objects.exists()
    assert not StatementLine.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused_by_its_content(client, reviewer):
    client.force_login(reviewer)
    fake = SimpleUploadedFile(
        "statement.xlsx", b"PK\x03\x04 not really a workbook", content_type="application/vnd.ms-excel"
    )
    response = client.post(reverse("donations:statement_import"), {"file": fake})
    assert "無法讀取此 Excel 檔案" in response.content.decode()
    png = SimpleUploadedFile("statement.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00", content_type="text/csv")
    response = client.post(reverse("donations:statement_import"), {"file": png})
    assert "不是 CSV 或 Excel" in response.content.decode()
    assert not StatementImport.objects.exists()


def test_a_big5_csv_and_an_xlsx_workbook_are_read(reviewer, program):
    from openpyxl import Workbook

    gift = paid(PledgeFactory(program=program, amount=800))
    big5 = f"日期,交易編號,金額\n{timezone.localdate().isoformat()},{gift.merchant_trade_no},800\n"
    assert services_import(upload(big5, encoding="big5"), reviewer).matched_count == 1
    workbook = Workbook()
    workbook.active.append(["日期", "金額", "付款人"])
    workbook.active.append([timezone.localdate().isoformat(), 999, "某人"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    statement = services_import(SimpleUploadedFile("s.xlsx", buffer.getvalue()), reviewer)
    assert (statement.line_count, statement.matched_count) == (1, 0)


def test_the_annual_receipt_lists_the_years_gifts(client, donor, program):
    this_year = timezone.now()
    paid(PledgeFactory(program=program, donor=donor, amount=500), this_year)
    paid(PledgeFactory(program=None, donor=donor, amount=1500), this_year)
    paid(PledgeFactory(program=program, donor=donor, amount=99999), this_year - datetime.timedelta(days=400))
    client.force_login(donor)
    roc_year = timezone.localdate().year - 1911
    pdf = client.get(reverse("donations:annual_receipt", args=[roc_year])).content
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert f"民國 {roc_year} 年度捐款收據" in text
    assert "新臺幣貳仟元整" in text
    assert "99,999" not in text


def test_the_tax_export_holds_only_consenting_donors(client, reviewer, program):
    consented = PledgeFactory(program=program, amount=1000, tax_consent=True, receipt_id_number="A123456789")
    declined = PledgeFactory(program=program, amount=2000, tax_consent=False, receipt_id_number="F131104093")
    paid(consented)
    paid(declined)
    client.force_login(reviewer)
    roc_year = timezone.localdate().year - 1911
    response = client.get(reverse("donations:tax_export", args=[roc_year]))
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert rows[0][:4] == ["捐贈年度", "捐贈者身分證統一編號", "捐贈者姓名", "捐贈金額"]
    assert [r[1] for r in rows[1:]] == ["A123456789"]


def test_the_tax_export_is_for_social_welfare_staff_only(client, make_user):
    client.force_login(make_user(Role.COMMITTEE))
    assert client.get(reverse("donations:tax_export", args=[115])).status_code == 403
