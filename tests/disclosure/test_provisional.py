"""The month in progress is provisional (no version, no digest); an ended month is frozen."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from disclosure import services
from disclosure.models import MonthlyReport
from donations import services as donation_services
from tests.donations.factories import PledgeFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Taipei")


def give(program, amount, when):
    pledge = PledgeFactory(program=program, amount=amount)
    donation_services._mark_paid(pledge, paid_at=when, channel="credit")
    return pledge


def test_the_month_in_progress_is_never_built_as_a_version(program):
    give(program, 500, timezone.now())
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="尚未結束"):
        services.build_report(today.year, today.month)
    with pytest.raises(CommandError, match="尚未結束"):
        call_command("build_disclosure", str(today.year), str(today.month))
    assert not MonthlyReport.objects.exists()


def test_the_month_in_progress_is_shown_provisional_and_updated_as_gifts_arrive(client, program):
    today = timezone.localdate()
    url = reverse("disclosure:month", args=[today.year, today.month])
    give(program, 500, timezone.now())
    page = client.get(url).content.decode()
    assert "本月進行中" in page and 'class="digest"' not in page and "?version=" not in page
    give(program, 700, timezone.now())
    api = client.get(f"/api/v1/disclosure/{today.year}-{today.month:02d}/").json()
    assert (api["provisional"], api["version"], api["sha256"]) == (True, None, None)
    assert api["content"]["totals"]["income"] == 1200
    csv = client.get(reverse("disclosure:income_csv", args=[today.year, today.month]))
    assert "provisional" in csv["Content-Disposition"] and "X-Content-SHA256" not in csv
    assert not MonthlyReport.objects.exists()


def test_an_ended_month_is_frozen_with_its_digest_and_corrections_are_new_versions(client, program, reviewer):
    pledge = give(program, 500, datetime.datetime(2026, 10, 3, 12, tzinfo=TZ))
    v1, created = services.build_report(2026, 10)
    assert created and v1.version == 1 and len(v1.digest) == 64
    assert services.build_report(2026, 10) == (v1, False)
    page = client.get(reverse("disclosure:month", args=[2026, 10])).content.decode()
    assert v1.digest in page and "本月進行中" not in page
    donation_services.refund_pledge(pledge=pledge, actor=reviewer, reason="重複捐款")
    v2, created = services.build_report(2026, 10)
    assert created and v2.version == 2


def test_a_month_outside_the_calendar_is_not_found(client):
    assert client.get("/api/v1/disclosure/0000-01/").status_code == 404
    assert client.get("/disclosure/0000/01/").status_code == 404
