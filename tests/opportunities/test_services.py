"""Posting, publishing and closing opportunities; applying, deciding, withdrawing; the nightly
closing and the shift reminder."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from opportunities import applications, services
from opportunities.models import (
    APPLICATION_TRANSITIONS,
    Application,
    ApplicationStatus,
    ClosedReason,
    Opportunity,
    OpportunityStatus,
    ShiftReminder,
)
from tests.accounts.factories import make_user
from tests.opportunities.factories import citizen, identity, open_opportunity, opportunity_fields
from tests.volunteers.factories import (
    InsurancePolicyFactory,
    PlanFactory,
    UnitFactory,
    VolunteerFactory,
    member_of,
    officer_of,
)
from volunteers.events import services as event_services
from volunteers.models import Membership, PlanStatus, ShiftSignup, SignupStatus

pytestmark = pytest.mark.django_db

# E-mails are queued on commit: tests that read them run the commit callbacks
# (django_capture_on_commit_callbacks(execute=True)).


def test_a_unit_without_an_approved_plan_cannot_post():
    unit = UnitFactory()
    PlanFactory(unit=unit, status=PlanStatus.SUBMITTED)
    with pytest.raises(ValidationError, match="尚未核備"):
        services.create_opportunity(unit=unit, actor=officer_of(unit), **opportunity_fields())
    assert not Opportunity.objects.exists()


def test_another_units_officer_cannot_post_for_a_unit():
    unit = UnitFactory(approved=True)
    with pytest.raises(PermissionDenied):
        services.create_opportunity(
            unit=unit, actor=officer_of(UnitFactory(approved=True)), **opportunity_fields()
        )


def test_posting_makes_a_draft_with_an_event_and_a_district_from_the_address():
    opportunity = open_opportunity(publish=False)
    assert opportunity.status == OpportunityStatus.DRAFT
    assert opportunity.event.title == opportunity.title
    assert opportunity.district == "萬華區"
    assert opportunity.latitude is not None  # placed at the district's centre
    assert opportunity.shifts.count() == 1
    assert AuditEvent.objects.filter(action="opportunity.created").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": 10**6}, "capacity"),
        ({"ends_on": datetime.date(2000, 1, 1)}, "ends_on"),
        ({"starts_on": datetime.date(2226, 1, 1), "ends_on": datetime.date(2226, 1, 2)}, "starts_on"),
        ({"min_age": 60, "max_age": 18}, "max_age"),
        ({"latitude": 40, "longitude": 121}, "latitude"),
        ({"domain": "nonsense"}, "domain"),
    ],
)
def test_bad_opportunity_input_is_refused_with_a_message_and_nothing_saved(overrides, field):
    unit = UnitFactory(approved=True)
    with pytest.raises(ValidationError) as exc:
        services.create_opportunity(unit=unit, actor=officer_of(unit), **opportunity_fields(**overrides))
    assert field in exc.value.message_dict
    assert not Opportunity.objects.exists()


def test_publish_and_close_by_the_unit_and_reopen():
    opportunity = open_opportunity()
    assert opportunity.status == OpportunityStatus.PUBLISHED and opportunity.is_open
    services.close_opportunity(opportunity=opportunity, actor=opportunity.officer)
    opportunity.refresh_from_db()
    assert (opportunity.status, opportunity.closed_reason) == (OpportunityStatus.CLOSED, ClosedReason.BY_UNIT)
    services.publish_opportunity(opportunity=opportunity, actor=opportunity.officer)
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.PUBLISHED


def test_past_opportunities_are_not_open_even_before_the_nightly_task_and_it_closes_them_once():
    opportunity = open_opportunity()
    later = opportunity.ends_on + datetime.timedelta(days=1)
    Opportunity.objects.filter(pk=opportunity.pk).update(ends_on=opportunity.ends_on)
    assert services.close_past_opportunities(today=later) == 1
    assert services.close_past_opportunities(today=later) == 0
    opportunity.refresh_from_db()
    assert opportunity.closed_reason == ClosedReason.PAST
    with pytest.raises(ValidationError):
        services.publish_opportunity(opportunity=opportunity, actor=opportunity.officer)


def test_the_transitions_table_is_what_the_services_allow():
    assert APPLICATION_TRANSITIONS[(ApplicationStatus.SUBMITTED, "accept")] == ApplicationStatus.ACCEPTED
    assert (ApplicationStatus.DECLINED, "accept") not in APPLICATION_TRANSITIONS
    assert (ApplicationStatus.WITHDRAWN, "withdraw") not in APPLICATION_TRANSITIONS


def test_a_citizen_applies_and_the_unit_is_told(django_capture_on_commit_callbacks):
    opportunity = open_opportunity()
    user = citizen()
    with django_capture_on_commit_callbacks(execute=True):
        application = applications.apply(
            opportunity=opportunity, user=user, shifts=list(opportunity.shifts), answer="想幫忙", **identity()
        )
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.identity_number  # kept (encrypted) until the decision
    assert any(opportunity.officer.email in m.to and "新的志工報名" in m.subject for m in mail.outbox)
    assert any(m.to == [user.email] and "已收到" in m.subject for m in mail.outbox)


def test_staff_cannot_apply():
    opportunity = open_opportunity()
    with pytest.raises(PermissionDenied):
        applications.apply(opportunity=opportunity, user=make_user(Role.CASEWORKER), **identity())


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"identity_number": "A123"}, "identity_number"),
        ({"birth_date": None}, "birth_date"),
        ({"birth_date": datetime.date(3000, 1, 1)}, "birth_date"),
        ({"sex": "?"}, "sex"),
    ],
)
def test_bad_application_input_is_refused_and_nothing_saved(overrides, field):
    opportunity = open_opportunity()
    with pytest.raises(ValidationError) as exc:
        applications.apply(opportunity=opportunity, user=citizen(), **identity(**overrides))
    assert field in exc.value.message_dict
    assert not Application.objects.exists()


def test_age_limits_are_checked():
    opportunity = open_opportunity(min_age=18)
    with pytest.raises(ValidationError, match="年滿 18 歲"):
        applications.apply(
            opportunity=opportunity,
            user=citizen(),
            **identity(birth_date=timezone.localdate().replace(year=2015)),
        )


def test_a_second_live_application_and_one_to_a_closed_opportunity_are_refused():
    opportunity = open_opportunity()
    user = citizen()
    applications.apply(opportunity=opportunity, user=user, **identity())
    with pytest.raises(ValidationError, match="已報名"):
        applications.apply(opportunity=opportunity, user=user, **identity())
    services.close_opportunity(opportunity=opportunity, actor=opportunity.officer)
    with pytest.raises(ValidationError, match="不接受報名"):
        applications.apply(opportunity=opportunity, user=citizen(email="b@example.org"), **identity(2))


def test_acceptance_registers_links_and_rosters_the_applicant_with_warnings(
    django_capture_on_commit_callbacks,
):
    opportunity = open_opportunity(requires_basic_training=True)
    user = citizen()
    application = applications.apply(
        opportunity=opportunity, user=user, shifts=list(opportunity.shifts), **identity()
    )
    with django_capture_on_commit_callbacks(execute=True):
        warnings = applications.decide(application=application, actor=opportunity.officer, action="accept")
    application.refresh_from_db()
    user.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert application.identity_number == ""  # erased once decided
    volunteer = application.volunteer
    assert volunteer.user == user and user.role == Role.VOLUNTEER
    assert Membership.objects.filter(
        unit=opportunity.unit, volunteer=volunteer, left_on__isnull=True
    ).exists()
    assert ShiftSignup.objects.filter(shift__event=opportunity.event, volunteer=volunteer).exists()
    assert any("保險" in w for w in warnings) and any("基礎訓練" in w for w in warnings)
    assert "錄取" in mail.outbox[-1].subject


def test_acceptance_of_someone_on_the_register_needs_name_and_birth_date_to_agree():
    opportunity = open_opportunity()
    data = identity(5)
    VolunteerFactory(
        name="別人", identity_number=data["identity_number"], birth_date=datetime.date(1950, 1, 1)
    )
    application = applications.apply(opportunity=opportunity, user=citizen(), **data)
    with pytest.raises(ValidationError):
        applications.decide(application=application, actor=opportunity.officer, action="accept")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert not Membership.objects.filter(unit=opportunity.unit).exists()


def test_a_linked_volunteer_applies_without_identity_and_is_insured_quietly():
    opportunity = open_opportunity()
    user = make_user(Role.VOLUNTEER)
    volunteer = member_of(UnitFactory(approved=True), user=user)
    InsurancePolicyFactory(unit=opportunity.unit).insured.add(volunteer)
    application = applications.apply(opportunity=opportunity, user=user, shifts=list(opportunity.shifts))
    warnings = applications.decide(application=application, actor=opportunity.officer, action="accept")
    assert not any("保險" in w for w in warnings)
    assert Membership.objects.filter(unit=opportunity.unit, volunteer=volunteer).exists()


def test_declining_needs_a_message_which_is_mailed(django_capture_on_commit_callbacks):
    opportunity = open_opportunity()
    application = applications.apply(opportunity=opportunity, user=citizen(), **identity())
    with pytest.raises(ValidationError):
        applications.decide(application=application, actor=opportunity.officer, action="decline")
    with django_capture_on_commit_callbacks(execute=True):
        applications.decide(
            application=application, actor=opportunity.officer, action="decline", message="名額有限"
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    assert "名額有限" in mail.outbox[-1].body
    with pytest.raises(ValidationError):
        applications.decide(application=application, actor=opportunity.officer, action="accept")


def test_another_units_officer_cannot_decide():
    opportunity = open_opportunity()
    application = applications.apply(opportunity=opportunity, user=citizen(), **identity())
    with pytest.raises(PermissionDenied):
        applications.decide(
            application=application, actor=officer_of(UnitFactory(approved=True)), action="accept"
        )


def test_filling_the_last_place_closes_and_a_withdrawal_with_nobody_waiting_reopens():
    opportunity = open_opportunity(capacity=1)
    first = applications.apply(
        opportunity=opportunity, user=citizen(), shifts=list(opportunity.shifts), **identity(1)
    )
    second = applications.apply(opportunity=opportunity, user=citizen(email="s@example.org"), **identity(2))
    applications.decide(application=first, actor=opportunity.officer, action="accept")
    opportunity.refresh_from_db()
    assert opportunity.closed_reason == ClosedReason.FULL and not opportunity.is_open
    with pytest.raises(ValidationError, match="名額已滿"):
        applications.decide(application=second, actor=opportunity.officer, action="accept")
    applications.decide(
        application=second, actor=opportunity.officer, action="waitlist", message="候補第一位"
    )
    applications.withdraw(application=first, actor=first.applicant)
    # The place goes to the waiting applicant (tests/opportunities/test_waitlist.py): still full.
    second.refresh_from_db()
    assert second.status == ApplicationStatus.ACCEPTED
    opportunity.refresh_from_db()
    assert opportunity.closed_reason == ClosedReason.FULL
    applications.withdraw(application=second, actor=second.applicant)  # nobody waiting: reopens
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.PUBLISHED
    first.refresh_from_db()
    assert ShiftSignup.objects.get(volunteer=first.volunteer).status == SignupStatus.CANCELLED


def test_applying_and_withdrawing_in_a_loop_stops_at_the_third_application(
    django_capture_on_commit_callbacks,
):
    """Each application e-mails the unit's officers: a person may apply to one opportunity three
    times in all (withdrawn ones count), then is refused and nobody is e-mailed."""
    opportunity = open_opportunity()
    user = citizen()
    for _n in range(applications.MAX_TRIES):
        application = applications.apply(opportunity=opportunity, user=user, **identity())
        applications.withdraw(application=application, actor=user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError, match="多次報名"):
        applications.apply(opportunity=opportunity, user=user, **identity())
    assert mail.outbox == []
    # Someone else applies as usual.
    applications.apply(opportunity=opportunity, user=citizen(email="other@example.org"), **identity(2))


def test_only_the_applicant_withdraws():
    opportunity = open_opportunity()
    application = applications.apply(opportunity=opportunity, user=citizen(), **identity())
    with pytest.raises(PermissionDenied):
        applications.withdraw(application=application, actor=citizen(email="x@example.org"))


def test_an_accepted_application_cannot_be_withdrawn_once_the_opportunity_has_ended(client):
    """Past the last day the acceptance is history (the year's figures count it): not offered, a
    crafted POST refused, and closing the account erases what was typed but keeps the acceptance."""
    from django.urls import reverse

    from opportunities.models import Opportunity

    opportunity = open_opportunity()
    user = citizen()
    application = applications.apply(opportunity=opportunity, user=user, phone="0912", **identity())
    applications.decide(application=application, actor=opportunity.officer, action="accept")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Opportunity.objects.filter(pk=opportunity.pk).update(starts_on=yesterday, ends_on=yesterday)
    application.refresh_from_db()
    with pytest.raises(ValidationError, match="招募期間已結束"):
        applications.withdraw(application=application, actor=user)
    client.force_login(user)
    page = client.get(reverse("opportunities:my_applications")).content.decode()
    assert reverse("opportunities:withdraw", args=[application.pk]) not in page
    client.post(reverse("opportunities:withdraw", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert not AuditEvent.objects.filter(action="application.withdrawn").exists()

    from privacy.services import close_account

    close_account(user=user)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED and application.phone == ""


def test_the_reminder_is_sent_once_for_a_shift_within_a_day(django_capture_on_commit_callbacks):
    opportunity = open_opportunity()
    application = applications.apply(
        opportunity=opportunity, user=citizen(), shifts=list(opportunity.shifts), **identity()
    )
    applications.decide(application=application, actor=opportunity.officer, action="accept")
    shift = opportunity.shifts.get()
    start, _end = event_services.shift_bounds(shift)
    mail.outbox.clear()
    assert applications.send_shift_reminders(now=start - datetime.timedelta(days=2)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert applications.send_shift_reminders(now=start - datetime.timedelta(hours=3)) == 1
        assert applications.send_shift_reminders(now=start - datetime.timedelta(hours=2)) == 0
    assert ShiftReminder.objects.count() == 1 and len(mail.outbox) == 1
    assert "班次提醒" in mail.outbox[0].subject


def test_the_nightly_closing_erases_id_numbers_nobody_decided_on():
    opportunity = open_opportunity()
    application = applications.apply(opportunity=opportunity, user=citizen(), **identity())
    services.close_past_opportunities(today=opportunity.ends_on + datetime.timedelta(days=1))
    application.refresh_from_db()
    assert application.identity_number == "" and application.status == ApplicationStatus.SUBMITTED


def test_a_closed_account_withdraws_its_applications_and_erases_what_was_typed():
    from privacy.services import close_account

    opportunity = open_opportunity()
    user = citizen()
    application = applications.apply(
        opportunity=opportunity, user=user, phone="0912", answer="我的故事", **identity()
    )
    close_account(user=user)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert (application.phone, application.answer, application.identity_number) == ("", "", "")


def test_the_persons_data_download_lists_their_applications():
    from privacy.selectors import personal_data_of

    opportunity = open_opportunity(title="我報名的招募")
    user = citizen()
    applications.apply(opportunity=opportunity, user=user, **identity())
    section = next(s for s in personal_data_of(user) if s["key"] == "opportunity_applications")
    assert section["rows"][0]["opportunity"] == "我報名的招募"
    assert section["rows"][0]["identity_number"].count("*") >= 4  # masked
