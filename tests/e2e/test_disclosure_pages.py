"""The public reads a disclosure month, filters it and downloads its CSV, in a real browser."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from disclosure.services import build_report
from donations import services as donation_services
from programs.constants import DEFAULT_CATEGORIES
from tests.donations.factories import PledgeFactory
from tests.e2e.conftest import assert_accessible
from tests.programs.factories import ProgramFactory, category

pytestmark = pytest.mark.django_db(transaction=True)


def test_public_reads_a_month_and_downloads_the_csv(live_server, page):
    for slug in [c[1] for c in DEFAULT_CATEGORIES]:
        category(slug)
    program = ProgramFactory(published=True, title="獨居長者送餐", money_target=10000)
    when = datetime.datetime(2026, 10, 5, 12, tzinfo=ZoneInfo("Asia/Taipei"))
    for name, amount in (("王小明", 500), ("陳美華", 1200)):
        pledge = PledgeFactory(program=program, amount=amount, donor_name=name)
        donation_services._mark_paid(pledge, paid_at=when, channel="credit")
    report, _ = build_report(2026, 10)

    page.goto(live_server.url + "/disclosure/")
    assert_accessible(page, label="disclosure index")
    page.get_by_role("link", name="民國 115 年 10 月").click()
    expect(page.get_by_text(report.digest)).to_be_visible()
    expect(page.get_by_role("cell", name="王○明")).to_be_visible()
    assert "王小明" not in page.content()
    assert_accessible(page, label="disclosure month")
    page.get_by_label("捐款人、用途或收據編號").fill("陳")
    page.get_by_role("button", name="篩選").click()
    expect(page.get_by_role("cell", name="陳○華")).to_be_visible()
    expect(page.get_by_role("cell", name="王○明")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="income.csv").click()
    path = download.value.path()
    with open(path, encoding="utf-8-sig") as f:
        rows = f.read().splitlines()
    assert rows[0].startswith("日期,捐款人,方式,金額")
    assert len(rows) == 3
