"""Applying (one and many), the two reviews, returning and resubmitting, and who may take each step."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from core.roc import to_roc
from honorcards import services
from honorcards.eligibility import Declared, add_years
from honorcards.models import Application, ApplicationStatus, CardStatus, HonorCard
from tests.honorcards.factories import World, eligible_volunteer, history, image_bytes, photo
from tests.volunteers.factories import UnitFactory, member_of, officer_of, special_training

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def test_an_eligible_volunteer_is_applied_for_with_the_figures_from_the_records(world):
    application = world.apply()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.hours == Decimal("320")
    assert application.years == 3 and application.extra_days > 300  # 4 years back, last service 10 days ago
    assert application.eligibility["eligible"] is True
    assert application.photo.name
    assert AuditEvent.objects.filter(action="honorcard.applied", target_id=str(application.pk)).exists()


def test_a_volunteer_not_yet_eligible_is_refused_with_the_reasons(world):
    volunteer = eligible_volunteer(world.unit, hours=250)
    with pytest.raises(ValidationError) as exc:
        world.apply(volunteer)
    assert any("服務時數" in m for m in exc.value.messages)
    assert not Application.objects.exists()


def test_a_unit_cannot_apply_for_a_volunteer_of_another_unit(world):
    stranger = eligible_volunteer(UnitFactory(approved=True))
    with pytest.raises(ValidationError):
        world.apply(stranger)


def test_only_one_open_application_per_volunteer(world):
    volunteer = eligible_volunteer(world.unit)
    world.apply(volunteer)
    with pytest.raises(ValidationError, match="審核中"):
        world.apply(volunteer)


def test_declared_paper_figures_need_the_record_book_pages(world):
    volunteer = member_of(world.unit, service_started_on=None)
    declared = Declared(
        datetime.date(2015, 1, 1), datetime.date.today() - datetime.timedelta(days=20), Decimal(400)
    )
    with pytest.raises(ValidationError, match="封面與內頁"):
        world.apply(volunteer, declared=declared)
    application = world.apply(volunteer, declared=declared, cover=photo(), pages=[photo(), photo()])
    assert application.declared and application.pages.count() == 2


def test_the_centre_must_confirm_declared_figures(world):
    volunteer = member_of(world.unit, service_started_on=None)
    declared = Declared(
        datetime.date(2015, 1, 1), datetime.date.today() - datetime.timedelta(days=20), Decimal(400)
    )
    application = world.apply(volunteer, declared=declared, cover=photo(), pages=[photo()])
    with pytest.raises(ValidationError, match="核對"):
        services.centre_approve(application=application, actor=world.centre)
    services.centre_approve(application=application, actor=world.centre, confirm_declared=True)
    application.refresh_from_db()
    assert application.declared_confirmed


def test_first_review_return_resubmit_second_review_issues_a_card(world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    today = datetime.date.today()
    with django_capture_on_commit_callbacks(execute=True):
        _walk_the_whole_path(world, today)
    subjects = [m.subject for m in mail.outbox]
    assert any("待初審" in s for s in subjects) and any("退回補正" in s for s in subjects)
    assert any("待複審" in s for s in subjects) and any("已核發" in s for s in subjects)


def _walk_the_whole_path(world, today):
    application = world.apply()
    services.return_application(application=application, actor=world.centre, reason="照片模糊")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RETURNED
    assert application.returned_at_stage == "centre"
    services.resubmit_application(
        application=application, actor=world.officer, record_book_number="北市志字第1號", photo=photo()
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.return_reason == ""
    services.centre_approve(application=application, actor=world.centre)
    services.return_application(application=application, actor=world.reviewer, reason="時數待確認")
    application.refresh_from_db()
    assert application.returned_at_stage == "bureau"
    services.resubmit_application(
        application=application, actor=world.officer, record_book_number="北市志字第1號"
    )
    services.centre_approve(application=application, actor=world.centre)
    card = services.final_approve(application=application, actor=world.reviewer, today=today)
    assert card.number == f"{today.year - 1911}00001"
    assert card.expires_on == add_years(today, 3) - datetime.timedelta(days=1)
    assert card.service_records.count() == application.volunteer.service_records.count()
    application.refresh_from_db()
    assert (
        application.status == ApplicationStatus.APPROVED and application.bureau_reviewed_by == world.reviewer
    )


def test_a_return_needs_a_reason(world):
    application = world.apply()
    with pytest.raises(ValidationError, match="原因"):
        services.return_application(application=application, actor=world.centre, reason=" ")


def test_reviews_happen_in_order(world):
    application = world.apply()
    with pytest.raises(ValidationError):
        services.final_approve(application=application, actor=world.reviewer)
    with pytest.raises(ValidationError):
        services.return_application(application=application, actor=world.reviewer, reason="x")
    services.centre_approve(application=application, actor=world.centre)
    with pytest.raises(ValidationError):
        services.centre_approve(application=application, actor=world.centre)


def test_batch_apply_takes_the_eligible_and_reports_the_others(world):
    ok = eligible_volunteer(world.unit)
    no_photo = eligible_volunteer(world.unit)
    no_photo.photo = ""
    no_photo.save()
    short = eligible_volunteer(world.unit, hours=100)
    created, refused = services.submit_many(
        unit=world.unit, volunteers=[ok, no_photo, short], actor=world.officer
    )
    assert [a.volunteer for a in created] == [ok]
    assert {v for v, _ in refused} == {no_photo, short}


# --- through the pages ---


def test_the_officer_applies_through_the_form_with_uploads(client, world):
    volunteer = eligible_volunteer(world.unit)
    client.force_login(world.officer)
    page = client.get(reverse("honorcards:apply", args=[volunteer.pk]))
    assert page.status_code == 200 and "符合資格" in page.content.decode()
    png = photo("me.png")
    response = client.post(
        reverse("honorcards:apply", args=[volunteer.pk]),
        {"record_book_number": "北市志字第000123號", "photo": png},
    )
    assert response.status_code == 302
    application = Application.objects.get(volunteer=volunteer)
    assert application.record_book_number == "北市志字第000123號"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.jpg", b"%PDF-1.4 renamed pdf", "只接受 JPEG、PNG 或 GIF"),
        ("photo.png", b"GIF89a\x00garbage", "無法辨識|已損毀"),
        ("photo.gif", image_bytes("BMP"), "不是這三種格式"),
        ("photo.jpg", b"\xff\xd8" + b"\x00" * (5 * 1024 * 1024), "檔案太大"),
    ],
)
def test_uploads_with_the_wrong_content_are_refused_with_a_message(client, world, name, content, message):
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile

    volunteer = eligible_volunteer(world.unit)
    client.force_login(world.officer)
    response = client.post(
        reverse("honorcards:apply", args=[volunteer.pk]),
        {"record_book_number": "北市志字第1號", "photo": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert re.search(message, response.content.decode())
    assert not Application.objects.exists()


def test_an_oversized_page_image_is_refused(client, world, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    volunteer = eligible_volunteer(world.unit)
    client.force_login(world.officer)
    huge = SimpleUploadedFile("big.png", image_bytes("PNG", size=(6000, 4100)))
    response = client.post(
        reverse("honorcards:apply", args=[volunteer.pk]),
        {"record_book_number": "1", "photo": photo(), "record_book_pages": [huge]},
    )
    assert "像素過多" in response.content.decode()
    assert not Application.objects.exists()


def test_batch_apply_through_the_eligible_list(client, world):
    a, b = eligible_volunteer(world.unit), eligible_volunteer(world.unit)
    client.force_login(world.officer)
    page = client.get(reverse("honorcards:eligible"))
    assert a.name in page.content.decode()
    client.post(reverse("honorcards:eligible"), {"volunteer": [a.pk, b.pk]})
    assert Application.objects.filter(volunteer__in=[a, b]).count() == 2


def test_review_page_approves_then_moves_to_the_next_case(client, world):
    first, second = world.apply(), world.apply()
    client.force_login(world.centre)
    page = client.get(reverse("honorcards:application", args=[first.pk]))
    html = page.content.decode()
    assert "初審通過" in html and "資格檢核" in html and "application_image" not in html
    assert reverse("honorcards:application_image", args=[first.pk, "photo"]) in html
    response = client.post(reverse("honorcards:application", args=[first.pk]), {"action": "approve"})
    assert response["Location"] == reverse("honorcards:application", args=[second.pk])
    first.refresh_from_db()
    assert first.status == ApplicationStatus.CENTRE_APPROVED


def test_review_page_return_without_a_reason_shows_the_message(client, world):
    application = world.apply()
    client.force_login(world.centre)
    response = client.post(reverse("honorcards:application", args=[application.pk]), {"action": "return"})
    assert "退回時請填寫原因" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


@pytest.mark.parametrize("role", [Role.UNIT_OFFICER, Role.CARD_REVIEWER, Role.SW_REVIEWER])
def test_only_the_centre_takes_the_first_review(client, world, make_user, role):
    application = world.apply()
    user = world.officer if role == Role.UNIT_OFFICER else make_user(role)
    client.force_login(user)
    response = client.post(reverse("honorcards:application", args=[application.pk]), {"action": "approve"})
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


@pytest.mark.parametrize("role", [Role.UNIT_OFFICER, Role.CENTRE_STAFF, Role.SW_REVIEWER])
def test_only_the_card_reviewer_takes_the_second_review(client, world, make_user, role):
    application = world.apply()
    services.centre_approve(application=application, actor=world.centre)
    user = world.officer if role == Role.UNIT_OFFICER else make_user(role)
    client.force_login(user)
    response = client.post(reverse("honorcards:application", args=[application.pk]), {"action": "approve"})
    assert response.status_code == 403
    assert not HonorCard.objects.exists()


def test_another_units_officer_gets_404_for_an_application(client, world):
    application = world.apply()
    other = officer_of(UnitFactory(approved=True))
    client.force_login(other)
    assert client.get(reverse("honorcards:application", args=[application.pk])).status_code == 404
    assert (
        client.get(reverse("honorcards:application_image", args=[application.pk, "photo"])).status_code == 404
    )


def test_only_the_unit_resubmits_a_returned_application(client, world):
    application = world.apply()
    services.return_application(application=application, actor=world.centre, reason="補照片")
    client.force_login(world.officer)
    response = client.post(
        reverse("honorcards:resubmit", args=[application.pk]), {"record_book_number": "N1"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.record_book_number == "N1"


def test_queue_shows_age_and_filters_by_unit(client, world, django_assert_max_num_queries):
    other = UnitFactory(approved=True)
    other_officer = officer_of(other)
    mine = world.apply()
    theirs_volunteer = eligible_volunteer(other)
    services.submit_application(
        volunteer=theirs_volunteer, unit=other, actor=other_officer, record_book_number="x", photo=photo()
    )
    client.force_login(world.centre)
    with django_assert_max_num_queries(15):
        html = client.get(reverse("honorcards:queue")).content.decode()
    assert mine.volunteer.name in html and theirs_volunteer.name in html and "等候天數" in html
    html = client.get(reverse("honorcards:queue") + f"?unit={other.pk}").content.decode()
    assert theirs_volunteer.name in html and mine.volunteer.name not in html


def test_untrained_domain_hours_block_an_application(world):
    volunteer = member_of(world.unit, service_started_on=datetime.date(2018, 1, 1))
    special_training(volunteer, domain="health", completed_on=datetime.date(2017, 1, 1))
    history(
        volunteer, world.unit, start=datetime.date(2018, 1, 1), last=datetime.date.today(), total_hours=400
    )
    with pytest.raises(ValidationError, match="特殊訓練"):
        world.apply(volunteer)


def test_revoke_and_reissue(world):
    card = world.issue()
    with pytest.raises(ValidationError):
        services.revoke_card(card=card, actor=world.reviewer, reason="")
    new = services.reissue_card(card=card, actor=world.reviewer, reason="姓名更正")
    card.refresh_from_db()
    assert card.status == CardStatus.REPLACED and new.replaces == card
    assert new.expires_on == card.expires_on and new.number != card.number
    assert set(new.service_records.all()) == set(card.service_records.all())
    services.revoke_card(card=new, actor=world.reviewer, reason="資格不符")
    new.refresh_from_db()
    assert new.status == CardStatus.REVOKED and new.revoke_reason == "資格不符"


def test_expiry_reminders_go_once_a_month_before(world, django_capture_on_commit_callbacks):
    card = world.issue()
    today = card.expires_on - datetime.timedelta(days=30)
    mail.outbox.clear()
    assert services.send_expiry_reminders(today - datetime.timedelta(days=5)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_expiry_reminders(today) == 1
    assert services.send_expiry_reminders(today) == 0
    reminder = next(m for m in mail.outbox if "即將到期" in m.subject and world.officer.email in m.to)
    # Officials read ROC dates: the expiry is written 118.11.20, never 2029-11-20.
    assert to_roc(card.expires_on) in reminder.body
    assert card.expires_on.isoformat() not in reminder.body
