"""The demo data's published months roll forward with no designated fund below zero."""

from io import StringIO

import pytest
from django.core.management import call_command

from disclosure.models import MonthlyReport, Spending
from disclosure.selectors import current_month, published_months

pytestmark = pytest.mark.django_db


def test_demo_months_all_publish_and_roll_forward_with_no_negative_designated_fund(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out, stderr=StringIO())
    assert "refused" not in out.getvalue()
    assert Spending.objects.exists()
    months = sorted(published_months(), key=lambda r: (r.year, r.month))
    assert len(months) == 3
    assert current_month() not in {(r.year, r.month) for r in months}  # in progress: provisional
    previous = None
    for summary in months:
        report = MonthlyReport.objects.get(pk=summary.pk)
        for fund in report.content["funds"]:
            if fund["fund"] != "unrestricted":
                assert fund["closing"] >= 0, (report, fund)
            if previous is not None:
                assert fund["opening"] == previous.get(fund["fund"], 0), (report, fund)
        previous = {f["fund"]: f["closing"] for f in report.content["funds"]}
