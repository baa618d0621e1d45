"""The monthly report: contents, reconciliation, frozen versions, files and open data."""

import csv
import datetime
import io
import subprocess
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from disclosure import services
from disclosure.builder import build_content, digest_of
from disclosure.models import MonthlyReport
from donations import services as donation_services
from donations.models import PledgeStatus
from tests.donations.factories import PledgeFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Taipei")


def at(year, month, day, hour=12):
    return datetime.datetime(year, month, day, hour, tzinfo=TZ)


def paid(pledge, when):
    donation_services._mark_paid(pledge, paid_at=when, channel=pledge.channel)
    return pledge


@pytest.fixture
def october(program, reviewer):
    """Three gifts in October 2026 (Taiwan time), one of them at 23:30 on the 31st."""
    gifts = [
        paid(PledgeFactory(program=program, amount=500, donor_name="王小明"), at(2026, 10, 3)),
        paid(
            PledgeFactory(program=None, amount=3000, donor_kind="company", donor_name="大安慈善會"),
            at(2026, 10, 15),
        ),
        paid(PledgeFactory(program=program, amount=1000, disclosure_mode="anonymous"), at(2026, 10, 31, 23)),
    ]
    # 1 November 00:30 Taiwan time is still 31 October in UTC: it belongs to November.
    paid(PledgeFactory(program=program, amount=7000), datetime.datetime(2026, 11, 1, 0, 30, tzinfo=TZ))
    return gifts


def test_the_report_masks_donors_and_adds_up(october, program):
    report, created = services.build_report(2026, 10)
    assert created and report.version == 1
    content = report.content
    assert [line["donor"] for line in content["income"]] == ["王○明", "大安慈善會", "善心人士"]
    assert content["totals"]["income"] == 4500
    assert all(line["receipt"] for line in content["income"])
    funds = {f["fund"]: f for f in content["funds"]}
    assert funds[f"program:{program.pk}"]["closing"] == 1500
    assert funds["unrestricted"]["closing"] == 3000
    assert report.digest == digest_of(content)


def test_rebuilding_an_unchanged_month_keeps_its_version(october):
    first, _ = services.build_report(2026, 10)
    again, created = services.build_report(2026, 10)
    assert (again.pk, created) == (first.pk, False)


def test_a_refund_after_publication_makes_version_2_and_version_1_stays_readable(client, october, reviewer):
    v1, _ = services.build_report(2026, 10)
    donation_services.refund_pledge(pledge=october[0], actor=reviewer, reason="重複捐款")
    v2, created = services.build_report(2026, 10)
    assert created and v2.version == 2
    assert "1 筆捐款已於其後退款" in v2.change_note
    assert v2.content["income"][0]["refunded"] is True
    v1.refresh_from_db()
    assert v1.content["income"][0]["refunded"] is False  # frozen as it was shown
    assert client.get(reverse("disclosure:month", args=[2026, 10]) + "?version=1").status_code == 200
    assert (
        v1.digest in client.get(reverse("disclosure:month", args=[2026, 10]) + "?version=1").content.decode()
    )
    # The refund itself is a negative adjustment in the month it happened.
    refund_month = october[0].__class__.objects.get(pk=october[0].pk).refunded_at.astimezone(TZ)
    later = build_content(refund_month.year, refund_month.month)  # the month in progress: provisional
    assert later["refunds"][0]["amount"] == -500


def test_published_reports_cannot_be_edited_in_place(october):
    report, _ = services.build_report(2026, 10)
    report.change_note = "edited"
    with pytest.raises(ValueError, match="frozen"):
        report.save()


def test_a_gift_without_a_receipt_refuses_the_report_and_alerts_staff(
    program, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    PledgeFactory(program=program, amount=800, status=PledgeStatus.PAID, paid_at=at(2026, 10, 9))
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.ReportRefused, match="沒有收據"),
    ):
        services.build_report(2026, 10)
    assert not MonthlyReport.objects.exists()
    assert reviewer.email in mailoutbox[-1].to


def test_a_fund_that_does_not_roll_forward_refuses_the_next_month(october, program):
    services.build_report(2026, 9)
    # A late remittance dated in September, recorded after September was published:
    paid(PledgeFactory(program=program, amount=100, channel="remittance"), at(2026, 9, 20))
    with pytest.raises(services.ReportRefused, match="期初餘額"):
        services.build_report(2026, 10)
    services.build_report(2026, 9)  # rebuild September (version 2) …
    report, _ = services.build_report(2026, 10)  # … and October rolls forward
    assert report.version == 1


def test_the_command_builds_any_month(october, capsys):
    call_command("build_disclosure", "2026", "10")
    assert "2026-10 version 1 published" in capsys.readouterr().out


def test_the_beat_schedule_builds_last_month_on_the_first(october):
    from django.conf import settings as django_settings

    entry = django_settings.CELERY_BEAT_SCHEDULE["build-last-month-disclosure"]
    assert entry["task"] == "disclosure.tasks.build_previous_month_report"
    assert entry["schedule"].day_of_month == {1}
    from django.utils import timezone

    from disclosure.tasks import build_previous_month_report

    today = timezone.localdate()
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    result = build_previous_month_report.delay().get()
    assert result.startswith(f"{year}-{month:02d} v1")
    assert MonthlyReport.objects.filter(year=year, month=month, version=1).exists()


def test_page_csvs_workbook_pdf_and_json_agree(client, october):
    report, _ = services.build_report(2026, 10)
    page = client.get(reverse("disclosure:month", args=[2026, 10])).content.decode()
    assert report.digest in page
    assert "王○明" in page and "王小明" not in page

    raw = client.get(reverse("disclosure:income_csv", args=[2026, 10])).content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["日期", "捐款人", "方式", "金額"]
    assert [int(r[3]) for r in rows[1:]] == [500, 3000, 1000]
    assert (
        len(
            list(
                csv.reader(
                    io.StringIO(
                        client.get(reverse("disclosure:goods_csv", args=[2026, 10])).content.decode(
                            "utf-8-sig"
                        )
                    )
                )
            )
        )
        == 1
    )

    workbook = load_workbook(io.BytesIO(client.get(reverse("disclosure:xlsx", args=[2026, 10])).content))
    assert [row[3] for row in workbook["收入"].iter_rows(min_row=2, values_only=True)] == [500, 3000, 1000]
    assert workbook["說明"]["B3"].value == report.digest

    pdf = client.get(reverse("disclosure:pdf", args=[2026, 10])).content
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert report.digest in text.replace("\n", "") and "大安慈善會" in text

    data = client.get("/api/v1/disclosure/2026-10/").json()
    assert data["sha256"] == report.digest == digest_of(data["content"])
    assert "政府資料開放授權條款" in data["licence"]
    assert [line["amount"] for line in data["content"]["income"]] == [500, 3000, 1000]
    assert client.get("/api/v1/disclosure/2026-09/").status_code == 404


def test_the_month_page_filters_and_paginates_with_bounded_queries(
    client, october, django_assert_max_num_queries
):
    services.build_report(2026, 10)
    page = client.get(reverse("disclosure:month", args=[2026, 10]), {"q": "大安"})
    assert [line["donor"] for line in page.context["page"]] == ["大安慈善會"]
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(6):
        client.get(reverse("disclosure:month", args=[2026, 10]), {"channel": "信用卡"})
    with django_assert_max_num_queries(6):
        client.get(reverse("disclosure:index"))


def test_the_program_page_shows_its_income_and_spending_from_the_reports(client, october, program):
    services.build_report(2026, 10)
    html = client.get(reverse("programs:detail", args=[program.pk])).content.decode()
    assert "NT$1,500" in html
