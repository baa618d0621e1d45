import datetime
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from disclosure import services
from disclosure.models import CommitteeMeeting

pytestmark = pytest.mark.django_db


def test_the_committee_reads_the_half_year_packet_and_its_pdf(client, make_user):
    client.force_login(make_user(Role.COMMITTEE))
    today = timezone.localdate()
    period = f"{today.year}H{1 if today.month <= 6 else 2}"
    page = client.get(reverse("disclosure:committee"), {"period": period})
    assert page.status_code == 200
    for heading in (
        "各基金收支",
        "保管中的物資",
        "逾兩週未付款的捐款",
        "尚未運用的指定用途餘額",
        "退回的支出",
    ):
        assert heading in page.content.decode()
    pdf = client.get(reverse("disclosure:committee"), {"period": period, "format": "pdf"}).content
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "社會救濟會報資料" in text


@pytest.mark.parametrize("role", [Role.DONOR, Role.CASEWORKER, Role.UNIT_OFFICER, Role.VOLUNTEER])
def test_others_cannot_read_the_packet(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(reverse("disclosure:committee")).status_code == 403


def test_minutes_are_recorded_by_staff_and_signed_off_once_by_a_member(make_user, reviewer):
    member = make_user(Role.COMMITTEE, name="張委員")
    with pytest.raises(PermissionDenied):
        services.record_meeting(
            actor=member,
            held_on=timezone.localdate(),
            title="x",
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 6, 30),
        )
    meeting = services.record_meeting(
        actor=reviewer,
        held_on=timezone.localdate(),
        title="115 年第 2 次會議",
        period_start=datetime.date(2026, 7, 1),
        period_end=datetime.date(2026, 12, 31),
        minutes="決議：同意備查。",
    )
    with pytest.raises(PermissionDenied):
        services.sign_off_meeting(meeting=meeting, actor=reviewer)
    services.sign_off_meeting(meeting=meeting, actor=member)
    meeting.refresh_from_db()
    assert meeting.signed_off_by == "張委員"
    assert AuditEvent.objects.filter(action="committee.signed_off", target_id=str(meeting.pk)).exists()
    with pytest.raises(ValidationError, match="已簽核"):
        services.sign_off_meeting(meeting=meeting, actor=member)


def test_committee_members_cannot_change_money_records(client, make_user):
    client.force_login(make_user(Role.COMMITTEE))
    assert client.get(reverse("disclosure:build")).status_code == 403
    assert client.get(reverse("disclosure:spending_queue")).status_code == 403
    assert client.get(reverse("donations:offline_gift")).status_code == 403
    assert not CommitteeMeeting.objects.exists()
