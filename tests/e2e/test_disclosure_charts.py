"""The disclosure month's charts are readable at desktop and phone widths, with their numbers in
a table beside them (below on a phone)."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from disclosure.services import build_report
from donations import services as donation_services
from tests.donations.factories import PledgeFactory
from tests.e2e.conftest import DESKTOP, PHONE
from tests.programs.factories import ProgramFactory, category

pytestmark = pytest.mark.django_db(transaction=True)

MEASURE = """() => [...document.querySelectorAll('.chart-pair')].map(pair => {
  const svg = pair.querySelector('svg.chart');
  const box = svg.getBoundingClientRect();
  const scale = box.width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')) * scale);
  const table = pair.querySelector('table').getBoundingClientRect();
  return {width: box.width, smallest: Math.min(...sizes), chart: {left: box.left, right: box.right,
          top: box.top, bottom: box.bottom}, table: {left: table.left, top: table.top}};
})"""


def test_month_charts_are_readable_on_desktop_and_phone_with_the_table_beside_them(live_server, page):
    program = ProgramFactory(
        published=True, title="獨居長者送餐", category=category("elderly"), money_target=10000
    )
    when = datetime.datetime(2026, 10, 5, 12, tzinfo=ZoneInfo("Asia/Taipei"))
    for amount, channel in ((500, "credit"), (1200, "atm"), (3000, "remittance")):
        donation_services._mark_paid(
            PledgeFactory(program=program, amount=amount), paid_at=when, channel=channel
        )
    build_report(2026, 10)

    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/disclosure/2026/10/")
    for pair in page.evaluate(MEASURE):
        assert pair["width"] >= 340 and pair["smallest"] >= 12, pair
        assert pair["table"]["left"] >= pair["chart"]["right"] - 1, pair  # beside it
        assert pair["table"]["top"] < pair["chart"]["bottom"], pair

    page.set_viewport_size(PHONE)
    page.reload()
    for pair in page.evaluate(MEASURE):
        assert pair["smallest"] >= 11, pair
        assert pair["table"]["top"] >= pair["chart"]["bottom"] - 1, pair  # below it on a phone
