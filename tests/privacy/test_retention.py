"""The scheduled job anonymises what has passed the retention table, and nothing younger."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from audit.models import AuditEvent
from donations import services as donation_services
from donations.models import PledgeStatus
from privacy.retention import ANONYMISED, RETENTION, anonymise_expired
from privacy.tasks import anonymise_expired_personal_data
from tests.donations.factories import PledgeFactory
from tests.volunteers.factories import ServiceRecordFactory, UnitFactory, member_of

pytestmark = pytest.mark.django_db


def _paid(years_ago: float, **kwargs):
    pledge = PledgeFactory(guest_email="a@example.tw", receipt_id_number="A123456789", **kwargs)
    when = timezone.now() - datetime.timedelta(days=round(365.25 * years_ago))
    donation_services._mark_paid(pledge, paid_at=when, channel="credit")
    pledge.receipts.update(issued_at=when)
    return pledge


def test_gifts_older_than_ten_years_are_anonymised_younger_ones_are_kept():
    old, young = _paid(10.2), _paid(9.8)
    counts = anonymise_expired_personal_data.delay().get()
    assert counts["pledges"] == 1 and counts["receipts"] == 1
    old.refresh_from_db()
    young.refresh_from_db()
    assert old.receipt_name == ANONYMISED and old.receipt_id_number == "" and old.guest_email == ""
    assert old.amount == 500 and old.status == PledgeStatus.PAID  # the money stays in the books
    assert old.receipts.get().receipt_name == ANONYMISED
    assert young.receipt_name == "王小明" and young.receipt_id_number == "A123456789"
    assert AuditEvent.objects.filter(action="privacy.pledge_anonymised", target_id=str(old.pk)).exists()


def test_a_pledge_never_paid_is_anonymised_after_a_year():
    stale = PledgeFactory(status=PledgeStatus.EXPIRED)
    type(stale).objects.filter(pk=stale.pk).update(created_at=timezone.now() - datetime.timedelta(days=400))
    fresh = PledgeFactory(status=PledgeStatus.EXPIRED)
    anonymise_expired()
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.donor_name == ANONYMISED and fresh.donor_name == "王小明"


def test_a_volunteer_gone_for_five_years_is_anonymised_a_recent_one_is_kept():
    unit = UnitFactory()
    today = timezone.localdate()
    gone = member_of(unit, name="早已離隊")
    gone.memberships.update(left_on=today - datetime.timedelta(days=6 * 365))
    ServiceRecordFactory(volunteer=gone, unit=unit, served_on=today - datetime.timedelta(days=7 * 365))
    recent = member_of(unit, name="剛離隊")
    recent.memberships.update(left_on=today - datetime.timedelta(days=30))
    serving = member_of(unit, name="仍在隊")
    anonymise_expired()
    for volunteer in (gone, recent, serving):
        volunteer.refresh_from_db()
    assert gone.name == ANONYMISED and gone.identity_number == ""
    assert recent.name == "剛離隊" and serving.name == "仍在隊"


def test_running_the_job_twice_changes_nothing_more():
    _paid(11)
    anonymise_expired()
    assert anonymise_expired() == {"pledges": 0, "receipts": 0, "goods": 0, "volunteers": 0}


def test_the_job_is_in_the_beat_schedule():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "privacy.tasks.anonymise_expired_personal_data" in tasks


def test_the_readme_carries_the_retention_table():
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    for what, kept, _then in RETENTION:
        assert str(what) in readme and str(kept) in readme


def test_the_table_states_the_periods_the_job_applies():
    from privacy import retention

    texts = " ".join(str(kept) for _what, kept, _then in RETENTION)
    assert f"{retention.FINANCIAL_YEARS} 年" in texts
    assert f"{retention.UNPAID_PLEDGE_DAYS} 日" in texts
    assert f"{retention.VOLUNTEER_YEARS} 年" in texts
