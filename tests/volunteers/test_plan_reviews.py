"""The yearly service plan (備案): unit files it, the centre reviews first, the competent bureau second."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.roles import OrganisationKind, Role
from audit.models import AuditEvent
from tests.accounts.factories import OrganisationFactory, make_user
from tests.volunteers.factories import (
    PlanFactory,
    UnitFactory,
    bureau_caseworker_of,
    centre_staff,
    officer_of,
)
from volunteers.models import PlanStatus
from volunteers.permissions import unit_may_record_hours
from volunteers.units import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return UnitFactory()


@pytest.fixture
def officer(unit):
    return officer_of(unit)


def plan_in(unit, status=PlanStatus.DRAFT):
    return PlanFactory(unit=unit, status=status)


def test_the_whole_filing_goes_draft_submitted_centre_approved_approved_and_unlocks_hours(unit, officer):
    plan = plan_in(unit)
    assert not unit_may_record_hours(unit)
    services.submit_plan(plan=plan, actor=officer)
    services.approve_plan_first_review(plan=plan, actor=centre_staff())
    assert not unit_may_record_hours(unit)
    plan = services.approve_plan_second_review(plan=plan, actor=bureau_caseworker_of(unit))
    assert plan.status == PlanStatus.APPROVED
    assert plan.centre_reviewed_by is not None and plan.bureau_reviewed_by is not None
    assert unit_may_record_hours(unit)
    unit.refresh_from_db()
    assert unit.registration_number.startswith("北市志備字第")
    actions = list(
        AuditEvent.objects.filter(target_type="volunteers.serviceplan")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "service_plan.submitted",
        "service_plan.first_review_approved",
        "service_plan.approved",
    ]


def test_each_step_e_mails_the_next_people(unit, officer, django_capture_on_commit_callbacks):
    centre = centre_staff()
    caseworker = bureau_caseworker_of(unit)
    plan = plan_in(unit)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_plan(plan=plan, actor=officer)
    assert mail.outbox[-1].to == [centre.email]
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_plan_first_review(plan=plan, actor=centre)
    assert mail.outbox[-1].to == [caseworker.email]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_plan_second_review(plan=plan, actor=caseworker)
    to_officer = [message for message in mail.outbox if message.to == [officer.email]]
    assert to_officer and "核備" in to_officer[0].subject


def test_only_the_units_officer_may_submit(unit):
    plan = plan_in(unit)
    other_officer = officer_of(UnitFactory())
    for actor in (other_officer, centre_staff(), bureau_caseworker_of(unit)):
        with pytest.raises(PermissionDenied):
            services.submit_plan(plan=plan, actor=actor)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


@pytest.mark.parametrize(
    "who",
    ["officer", "bureau_caseworker", "other_bureau_caseworker", "sw_reviewer", "donor"],
)
def test_first_review_is_the_centres_alone(unit, officer, who):
    plan = plan_in(unit, PlanStatus.SUBMITTED)
    actor = {
        "officer": officer,
        "bureau_caseworker": bureau_caseworker_of(unit),
        "other_bureau_caseworker": make_user(Role.CASEWORKER),
        "sw_reviewer": make_user(Role.SW_REVIEWER),
        "donor": make_user(Role.DONOR),
    }[who]
    with pytest.raises(PermissionDenied):
        services.approve_plan_first_review(plan=plan, actor=actor)
    with pytest.raises(PermissionDenied):
        services.return_plan(plan=plan, actor=actor, reason="不行")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


@pytest.mark.parametrize(
    "who", ["officer", "centre", "other_bureau_caseworker", "sw_reviewer_of_other_bureau"]
)
def test_second_review_is_the_competent_bureaus_alone(unit, officer, who):
    plan = plan_in(unit, PlanStatus.CENTRE_APPROVED)
    actor = {
        "officer": officer,
        "centre": centre_staff(),
        "other_bureau_caseworker": make_user(Role.CASEWORKER),
        "sw_reviewer_of_other_bureau": make_user(Role.SW_REVIEWER),
    }[who]
    with pytest.raises(PermissionDenied):
        services.approve_plan_second_review(plan=plan, actor=actor)
    with pytest.raises(PermissionDenied):
        services.return_plan(plan=plan, actor=actor, reason="不行")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CENTRE_APPROVED


def test_the_social_welfare_bureaus_reviewer_does_the_second_review_of_its_own_units():
    social_welfare = OrganisationFactory(kind=OrganisationKind.SOCIAL_WELFARE_BUREAU, name="測試社會局")
    unit = UnitFactory(organisation__competent_bureau=social_welfare)
    plan = plan_in(unit, PlanStatus.CENTRE_APPROVED)
    reviewer = make_user(Role.SW_REVIEWER, organisation=social_welfare)
    assert services.approve_plan_second_review(plan=plan, actor=reviewer).status == PlanStatus.APPROVED


def test_a_stage_cannot_be_skipped(unit):
    plan = plan_in(unit, PlanStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.approve_plan_second_review(plan=plan, actor=bureau_caseworker_of(unit))
    draft = plan_in(UnitFactory())
    with pytest.raises(PermissionDenied):
        services.approve_plan_first_review(plan=draft, actor=centre_staff())


@pytest.mark.parametrize("status", [PlanStatus.SUBMITTED, PlanStatus.CENTRE_APPROVED])
def test_either_reviewer_returns_with_a_reason_and_the_officer_can_fix_and_resubmit(unit, officer, status):
    plan = plan_in(unit, status)
    reviewer = centre_staff() if status == PlanStatus.SUBMITTED else bureau_caseworker_of(unit)
    with pytest.raises(ValidationError) as exc:
        services.return_plan(plan=plan, actor=reviewer, reason="  ")
    assert "退回原因" in str(exc.value)
    plan.refresh_from_db()
    assert plan.status == status
    services.return_plan(plan=plan, actor=reviewer, reason="請補充保險規劃。")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED and plan.return_reason == "請補充保險規劃。"
    assert AuditEvent.objects.filter(
        action__startswith="service_plan.returned", reason="請補充保險規劃。"
    ).exists()
    services.update_plan(plan=plan, actor=officer, insurance_plan="全體志工投保。")
    services.submit_plan(plan=plan, actor=officer)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_a_plan_under_review_cannot_be_edited(unit, officer):
    plan = plan_in(unit, PlanStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.update_plan(plan=plan, actor=officer, title="改名")


def test_one_plan_per_unit_and_year(unit, officer):
    plan = plan_in(unit)
    with pytest.raises(ValidationError) as exc:
        services.create_plan(
            unit=unit,
            actor=officer,
            year=plan.year,
            title="重複",
            service_items="x",
            domain="health",
            expected_volunteers=3,
        )
    assert "year" in exc.value.message_dict


def test_unit_without_an_approved_plan_may_not_record_hours(unit):
    assert not unit_may_record_hours(unit)
    plan_in(unit, PlanStatus.CENTRE_APPROVED)
    assert not unit_may_record_hours(unit)
    assert not unit_may_record_hours(None)
    assert unit_may_record_hours(UnitFactory(approved=True))


# --- Through the screens ------------------------------------------------------------------------


def test_officer_submits_and_reviewers_decide_through_the_pages(client, unit, officer):
    plan = plan_in(unit)
    client.force_login(officer)
    assert client.post(reverse("volunteers:plan_submit", args=[plan.pk])).status_code == 302
    client.force_login(centre_staff())
    page = client.get(reverse("volunteers:review_queue"))
    assert plan.title in page.content.decode()
    client.post(reverse("volunteers:plan_review", args=[plan.pk]), {"action": "approve"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CENTRE_APPROVED
    client.force_login(bureau_caseworker_of(unit))
    assert plan.title in client.get(reverse("volunteers:review_queue")).content.decode()
    response = client.post(
        reverse("volunteers:plan_review", args=[plan.pk]), {"action": "return", "reason": ""}
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CENTRE_APPROVED
    assert "退回原因" in client.get(response.url).content.decode()
    client.post(reverse("volunteers:plan_review", args=[plan.pk]), {"action": "approve"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_another_units_officer_gets_404_on_a_plan_and_reviewers_of_other_bureaus_403_or_404(client, unit):
    plan = plan_in(unit, PlanStatus.CENTRE_APPROVED)
    client.force_login(officer_of(UnitFactory()))
    assert client.get(reverse("volunteers:plan_detail", args=[plan.pk])).status_code == 404
    assert client.post(reverse("volunteers:plan_submit", args=[plan.pk])).status_code == 404
    client.force_login(make_user(Role.CASEWORKER))
    assert client.get(reverse("volunteers:plan_detail", args=[plan.pk])).status_code == 404
    assert (
        client.post(reverse("volunteers:plan_review", args=[plan.pk]), {"action": "approve"}).status_code
        == 404
    )
    client.force_login(make_user(Role.DONOR))
    assert client.get(reverse("volunteers:plan_detail", args=[plan.pk])).status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CENTRE_APPROVED


def test_the_officer_cannot_approve_their_own_plan_through_the_page(client, unit, officer):
    plan = plan_in(unit, PlanStatus.SUBMITTED)
    client.force_login(officer)
    assert (
        client.post(reverse("volunteers:plan_review", args=[plan.pk]), {"action": "approve"}).status_code
        == 403
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_review_queue_makes_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(15):
        plan_in(UnitFactory(), PlanStatus.SUBMITTED)
    client.force_login(centre_staff())
    with django_assert_max_num_queries(15):
        response = client.get(reverse("volunteers:review_queue"))
    assert response.content.decode().count("/volunteers/plans/") == 15


def test_unit_page_makes_a_bounded_number_of_queries(client, unit, officer, django_assert_max_num_queries):
    for year in range(2015, 2025):
        PlanFactory(unit=unit, year=year, status=PlanStatus.APPROVED, created_by=officer)
    client.force_login(officer)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("volunteers:unit_detail", args=[unit.pk]))
    assert response.status_code == 200
    assert officer.email in response.content.decode()
