"""Hours behind an issued card stay put: a record a card counted is corrected only with a reason and
the volunteer centre's confirmation, and the card is then re-checked, the result on its page."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from honorcards import corrections
from honorcards.models import CorrectionStatus, RecordCorrection
from tests.honorcards.factories import World
from tests.volunteers.factories import ServiceRecordFactory
from volunteers.hours.services import correct_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


@pytest.fixture
def card(world):
    return world.issue()


def counted_record(card):
    return card.service_records.order_by("pk").first()


def test_a_record_an_issued_card_counted_cannot_be_corrected_directly(world, card):
    record = counted_record(card)
    with pytest.raises(ValidationError) as refused:
        correct_record(record=record, actor=world.officer, reason="誤植", hours=record.hours - 1)
    assert f"已用於榮譽卡 {card.number}" in str(refused.value)
    record.refresh_from_db()
    assert record.hours == counted_record(card).hours


def test_a_record_no_card_counted_is_still_corrected_directly(world, card):
    other = ServiceRecordFactory(volunteer=card.volunteer, unit=world.unit, hours=Decimal("2"))
    corrected = correct_record(record=other, actor=world.officer, hours=Decimal("3"))
    assert corrected.hours == Decimal("3.00")


def test_a_correction_request_needs_a_reason_and_changes_nothing_until_confirmed(world, card):
    record = counted_record(card)
    before = record.hours
    with pytest.raises(ValidationError) as refused:
        corrections.request_correction(record=record, actor=world.officer, reason=" ", hours=before - 1)
    assert "更正須說明原因" in str(refused.value)
    assert not RecordCorrection.objects.exists()

    correction = corrections.request_correction(
        record=record, actor=world.officer, reason="誤植", hours=before - 1
    )
    record.refresh_from_db()
    assert record.hours == before
    assert correction.status == CorrectionStatus.PENDING
    assert correction.proposed == {"hours": f"{(before - 1).normalize():f}"}
    assert AuditEvent.objects.filter(action="honorcard.correction_requested").exists()
    with pytest.raises(ValidationError):  # one open request per record
        corrections.request_correction(record=record, actor=world.officer, reason="再改", hours=before - 2)


def test_the_registry_rules_apply_when_the_correction_is_asked(world, card):
    record = counted_record(card)
    with pytest.raises(ValidationError):
        corrections.request_correction(
            record=record, actor=world.officer, reason="誤植", hours=Decimal("0.1")
        )
    assert not RecordCorrection.objects.exists()


def test_only_the_volunteer_centre_confirms(world, card):
    record = counted_record(card)
    correction = corrections.request_correction(
        record=record, actor=world.officer, reason="誤植", hours=record.hours - 1
    )
    for actor in (world.officer, world.reviewer):
        with pytest.raises(PermissionDenied):
            corrections.confirm_correction(correction=correction, actor=actor)
    with pytest.raises(ValidationError):
        corrections.refuse_correction(correction=correction, actor=world.centre, note="")
    corrections.refuse_correction(correction=correction, actor=world.centre, note="紀錄冊無此記載")
    record.refresh_from_db()
    assert record.hours == counted_record(card).hours
    assert RecordCorrection.objects.get().status == CorrectionStatus.REFUSED


def test_a_confirmed_correction_changes_the_record_and_rechecks_the_card(client, world, card):
    record = counted_record(card)
    before = record.hours
    correction = corrections.request_correction(
        record=record, actor=world.officer, reason="誤植", hours=record.hours - 1
    )
    done = corrections.confirm_correction(correction=correction, actor=world.centre)
    record.refresh_from_db()
    assert record.hours == before - 1 and done.status == CorrectionStatus.CONFIRMED
    assert done.recheck_passed is True
    assert done.recheck_hours == card.hours - 1
    client.force_login(world.reviewer)
    html = client.get(reverse("honorcards:card", args=[card.number])).content.decode()
    assert "採計紀錄更正與重新檢核" in html and "誤植" in html and "仍達" in html


def test_a_correction_below_the_threshold_is_flagged_on_the_card_page(client, world, card, settings):
    settings.HONOR_CARD_MIN_HOURS = int(card.hours)  # the card sits exactly at the threshold
    record = counted_record(card)
    correction = corrections.request_correction(
        record=record, actor=world.officer, reason="重複登錄", hours=Decimal("0.25")
    )
    done = corrections.confirm_correction(correction=correction, actor=world.centre)
    assert done.recheck_passed is False
    client.force_login(world.officer)
    html = client.get(reverse("honorcards:card", args=[card.number])).content.decode()
    assert "未達門檻" in html and "請審核人員決定是否註銷" in html


def test_the_centre_decides_on_its_page(client, world, card):
    record = counted_record(card)
    correction = corrections.request_correction(
        record=record, actor=world.officer, reason="誤植", hours=record.hours - 2
    )
    client.force_login(world.centre)
    page = client.get(reverse("honorcards:corrections")).content.decode()
    assert card.number in page and "誤植" in page
    response = client.post(
        reverse("honorcards:correction_decide", args=[correction.pk]), {"decision": "confirm"}
    )
    assert response.status_code == 302
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.CONFIRMED
    # Deciding twice is refused with a message, not a 500.
    again = client.post(
        reverse("honorcards:correction_decide", args=[correction.pk]),
        {"decision": "refuse", "note": "x"},
        follow=True,
    )
    assert "已經處理過" in again.content.decode()


def test_lists_of_hours_show_the_card_that_used_a_record(client, world, card):
    record = counted_record(card)
    client.force_login(world.officer)
    page = client.get(
        reverse("volunteers:hours_list"), {"month": f"{record.served_on:%Y-%m}"}
    ).content.decode()
    assert f"已用於榮譽卡 {card.number}" in page


def test_the_correction_page_sends_a_card_backed_record_to_the_centre(client, world, card):
    record = counted_record(card)
    before = record.hours
    client.force_login(world.officer)
    url = reverse("volunteers:correct_hours", kwargs={"pk": record.pk})
    assert f"已用於榮譽卡 {card.number}" in client.get(url).content.decode()
    data = {"served_on": record.served_on.isoformat(), "hours": "3", "domain": record.domain, "activity": ""}
    refused = client.post(url, data).content.decode()
    assert "更正須說明原因" in refused and not RecordCorrection.objects.exists()
    page = client.post(url, {**data, "reason": "誤植"}, follow=True).content.decode()
    assert "已送志願服務推廣中心確認" in page
    record.refresh_from_db()
    assert record.hours == before and RecordCorrection.objects.get().proposed == {"hours": "3"}


def test_the_week_grid_cannot_change_a_card_backed_record(world, card):
    from volunteers.hours.rules import week_of
    from volunteers.hours.services import record_week_grid
    from volunteers.models import ServiceRecordSource

    record = counted_record(card)
    record.source = ServiceRecordSource.GRID
    record.save()
    with pytest.raises(ValidationError, match=f"已用於榮譽卡 {card.number}"):
        record_week_grid(
            unit=world.unit,
            actor=world.officer,
            week_start=week_of(record.served_on)[0],
            cells={(record.volunteer_id, record.served_on): "1"},
            domain=record.domain,
        )
