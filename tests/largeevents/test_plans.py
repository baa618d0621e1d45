"""Large events' volunteer plans: filing, the competent bureau's review (each move of the workflow
table, by whom), bulk enrolment by import, and the hours reaching the records and the figures."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import OrganisationKind, Role
from audit.models import AuditEvent
from core.seeding import fake_national_id
from largeevents import selectors, services
from largeevents.models import LargeEventPlan, LargeEventPlanStatus
from largeevents.workflows import PLAN_FLOW
from tests.accounts.factories import OrganisationFactory, make_user
from tests.corporate.factories import event_of, shift_of
from tests.volunteers.factories import (
    InsurancePolicyFactory,
    ServiceRecordFactory,
    UnitFactory,
    VolunteerFactory,
    centre_staff,
    officer_of,
)
from volunteers.models import ServiceRecordSource, ShiftSignup, Volunteer

pytestmark = pytest.mark.django_db

S = LargeEventPlanStatus


@pytest.fixture
def world():
    unit = UnitFactory(approved=True)
    officer = officer_of(unit)
    event = event_of(unit, creator=officer, title="臺北馬拉松")
    sports = OrganisationFactory(kind=OrganisationKind.BUREAU, name="臺北市政府體育局")
    return {
        "unit": unit,
        "officer": officer,
        "event": event,
        "shift": shift_of(event, capacity=5),
        "bureau": sports,
        "reviewer": make_user(Role.CASEWORKER, organisation=sports),
        "policy": InsurancePolicyFactory(unit=unit),
    }


def fields(world, **overrides):
    return {
        "competent_bureau": world["bureau"],
        "expected_attendance": 30000,
        "duties": "補給站 40 人\n醫護引導 10 人",
        "headcount": 50,
        "insurance_policy": world["policy"],
        "training_plan": "行前說明會 2 小時",
        "training_hours": Decimal("2"),
        **overrides,
    }


def filed(world, **overrides):
    return services.create_plan(actor=world["officer"], event=world["event"], **fields(world, **overrides))


def test_the_workflow_table_names_every_move():
    assert PLAN_FLOW.as_rows() == [
        ("submit", ["draft", "returned"], "submitted"),
        ("approve", ["submitted"], "approved"),
        ("return", ["submitted"], "returned"),
        ("withdraw", ["draft", "returned", "submitted"], "withdrawn"),
    ]


def test_the_organiser_files_submits_and_the_named_bureau_approves(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    plan = filed(world)
    assert plan.status == S.DRAFT
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_plan(plan=plan, actor=world["officer"])
    assert world["reviewer"].email in mailoutbox[-1].to
    services.approve_plan(plan=plan, actor=world["reviewer"])
    plan.refresh_from_db()
    world["event"].refresh_from_db()
    assert plan.status == S.APPROVED and plan.reviewed_by == world["reviewer"]
    assert world["event"].is_city_event  # open to every registered volunteer
    actions = list(
        AuditEvent.objects.filter(target_id=str(plan.pk), action__startswith="large_event_plan.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["large_event_plan.created", "large_event_plan.submitted", "large_event_plan.approved"]


def test_the_bureau_returns_with_a_reason_and_the_organiser_corrects_and_resubmits(world):
    plan = filed(world)
    services.submit_plan(plan=plan, actor=world["officer"])
    with pytest.raises(ValidationError):
        services.return_plan(plan=plan, actor=world["reviewer"], reason="  ")
    services.return_plan(plan=plan, actor=world["reviewer"], reason="請補訓練時數")
    plan.refresh_from_db()
    assert plan.status == S.RETURNED and plan.return_reason == "請補訓練時數"
    services.update_plan(plan=plan, actor=world["officer"], **fields(world, training_hours=Decimal("4")))
    services.submit_plan(plan=plan, actor=world["officer"])
    plan.refresh_from_db()
    assert plan.status == S.SUBMITTED and plan.training_hours == Decimal("4")


def test_a_plan_under_review_or_approved_cannot_be_edited(world):
    plan = filed(world)
    services.submit_plan(plan=plan, actor=world["officer"])
    with pytest.raises(PermissionDenied):
        services.update_plan(plan=plan, actor=world["officer"], headcount=1)


def test_moves_the_table_does_not_allow_are_refused(world):
    plan = filed(world)
    with pytest.raises(ValidationError):
        services.approve_plan(plan=plan, actor=world["reviewer"])
    services.submit_plan(plan=plan, actor=world["officer"])
    with pytest.raises(ValidationError):
        services.submit_plan(plan=plan, actor=world["officer"])
    services.approve_plan(plan=plan, actor=world["reviewer"])
    with pytest.raises(ValidationError):
        services.return_plan(plan=plan, actor=world["reviewer"], reason="x")
    with pytest.raises(ValidationError):
        services.withdraw_plan(plan=plan, actor=world["officer"])


def test_only_the_named_bureau_reviews(world):
    plan = filed(world)
    services.submit_plan(plan=plan, actor=world["officer"])
    unit_bureau = make_user(Role.CASEWORKER, organisation=world["unit"].organisation.competent_bureau)
    for actor in (
        world["officer"],
        centre_staff(),
        make_user(Role.SW_REVIEWER),
        unit_bureau,
        make_user(Role.SITE_ADMIN),
    ):
        with pytest.raises(PermissionDenied):
            services.approve_plan(plan=plan, actor=actor)


def test_the_social_welfare_bureaus_reviewers_review_when_it_is_named(world):
    swb = OrganisationFactory(kind=OrganisationKind.SOCIAL_WELFARE_BUREAU, name="臺北市政府社會局")
    plan = filed(world, competent_bureau=swb)
    services.submit_plan(plan=plan, actor=world["officer"])
    services.approve_plan(plan=plan, actor=make_user(Role.SW_REVIEWER, organisation=swb))


@pytest.mark.parametrize(
    "case",
    ["no_insurance", "insurance_ends_early"],
)
def test_a_plan_without_insurance_for_every_event_day_cannot_be_submitted(world, case):
    policy = None
    if case == "insurance_ends_early":
        policy = InsurancePolicyFactory(
            unit=world["unit"],
            starts_on=datetime.date(2020, 1, 1),
            ends_on=world["event"].starts_on - datetime.timedelta(days=1),
        )
    plan = filed(world, insurance_policy=policy)
    with pytest.raises(ValidationError):
        services.submit_plan(plan=plan, actor=world["officer"])
    plan.refresh_from_db()
    assert plan.status == S.DRAFT


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"duties": "  "}, "duties"),
        ({"headcount": 0}, "headcount"),
        ({"headcount": 10**7}, "headcount"),
        ({"training_plan": ""}, "training_plan"),
        ({"training_hours": Decimal("999")}, "training_hours"),
        ({"competent_bureau": None}, "competent_bureau"),
        ({"expected_attendance": 10**9}, "expected_attendance"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(world, overrides, field):
    with pytest.raises(ValidationError) as exc:
        filed(world, **overrides)
    assert field in exc.value.message_dict
    assert not LargeEventPlan.objects.exists()


def test_another_units_insurance_or_event_is_refused(world):
    with pytest.raises(ValidationError):
        filed(world, insurance_policy=InsurancePolicyFactory())
    other = event_of(UnitFactory(approved=True))
    with pytest.raises(PermissionDenied):
        services.create_plan(actor=world["officer"], event=other, **fields(world))


def test_a_unit_volunteer_bureau_as_reviewer_is_refused(world):
    with pytest.raises(ValidationError):
        filed(world, competent_bureau=world["unit"].organisation)


# --- Bulk enrolment -------------------------------------------------------------------------------


def approved(world):
    plan = filed(world)
    services.submit_plan(plan=plan, actor=world["officer"])
    return services.approve_plan(plan=plan, actor=world["reviewer"])


def roster(*rows) -> SimpleUploadedFile:
    lines = ["姓名,證件類別,證件號碼,出生日期,性別,電話"] + [",".join(r) for r in rows]
    return SimpleUploadedFile(
        "roster.csv", ("\n".join(lines) + "\n").encode("utf-8"), content_type="text/csv"
    )


def test_a_roster_is_enrolled_whole_registered_with_the_organiser_and_on_the_shift(world):
    plan = approved(world)
    known = VolunteerFactory(name="林大同", birth_date=datetime.date(1980, 1, 1))
    count = services.enrol_from_file(
        plan=plan,
        actor=world["officer"],
        shift=world["shift"],
        upload=roster(
            ["王小明", "身分證", fake_national_id(9_100_001, sex="M"), "1990-01-01", "男", "0912"],
            ["林大同", "身分證", known.identity_number, "069.01.01", "女", ""],
        ),
    )
    assert count == 2
    assert ShiftSignup.objects.filter(shift=world["shift"]).count() == 2
    assert Volunteer.objects.count() == 2  # the known person matched, not copied
    assert known.memberships.filter(unit=world["unit"]).exists()


def test_a_roster_with_a_bad_row_enrols_nobody_and_names_the_row(world):
    plan = approved(world)
    with pytest.raises(ValidationError) as exc:
        services.enrol_from_file(
            plan=plan,
            actor=world["officer"],
            shift=world["shift"],
            upload=roster(
                ["王小明", "身分證", fake_national_id(9_100_002, sex="M"), "1990-01-01", "男", ""],
                ["李四", "身分證", "A123456788", "1990-01-01", "男", ""],
            ),
        )
    assert "第 3 列" in " ".join(exc.value.messages)
    assert not ShiftSignup.objects.exists() and not Volunteer.objects.exists()


def test_a_known_id_number_with_other_details_is_a_row_error_and_audited(world):
    plan = approved(world)
    known = VolunteerFactory(name="林大同", birth_date=datetime.date(1980, 1, 1))
    with pytest.raises(ValidationError):
        services.enrol_from_file(
            plan=plan,
            actor=world["officer"],
            shift=world["shift"],
            upload=roster(["冒名者", "身分證", known.identity_number, "1999-09-09", "男", ""]),
        )
    assert AuditEvent.objects.filter(action="volunteer.identity_refused").exists()


def test_a_roster_beyond_the_shifts_places_is_refused(world):
    plan = approved(world)
    rows = [
        ["人" + str(i), "身分證", fake_national_id(9_200_000 + i, sex="M"), "1990-01-01", "男", ""]
        for i in range(6)
    ]
    with pytest.raises(ValidationError):
        services.enrol_from_file(
            plan=plan, actor=world["officer"], shift=world["shift"], upload=roster(*rows)
        )
    assert not ShiftSignup.objects.exists()


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02garbage", b"PK\x03\x04broken"])
def test_an_unreadable_file_is_refused_with_a_message(world, content):
    plan = approved(world)
    with pytest.raises(ValidationError):
        services.enrol_from_file(
            plan=plan,
            actor=world["officer"],
            shift=world["shift"],
            upload=SimpleUploadedFile("x.csv", content),
        )


def test_enrolment_waits_for_approval_and_is_the_organisers_only(world):
    plan = filed(world)
    with pytest.raises(PermissionDenied):
        services.enrol_from_file(plan=plan, actor=world["officer"], shift=world["shift"], upload=roster())
    services.submit_plan(plan=plan, actor=world["officer"])
    services.approve_plan(plan=plan, actor=world["reviewer"])
    with pytest.raises(PermissionDenied):
        services.enrol_from_file(plan=plan, actor=world["reviewer"], shift=world["shift"], upload=roster())


# --- After the event: the hours in the records and the figures ------------------------------------


def test_confirmed_event_hours_reach_the_large_event_figures(world):
    plan = approved(world)
    volunteer = VolunteerFactory()
    record = ServiceRecordFactory(
        volunteer=volunteer,
        unit=world["unit"],
        hours=Decimal("4.5"),
        source=ServiceRecordSource.EVENT,
        served_on=world["shift"].date,
    )
    ShiftSignup.objects.create(shift=world["shift"], volunteer=volunteer, service_record=record)
    figures = selectors.plan_figures(plan)
    assert (figures["served"], figures["hours"], figures["enrolled"]) == (1, Decimal("4.5"), 1)
    row = next(
        r
        for r in selectors.large_events_by_year(last_year=world["shift"].date.year)
        if r["year"] == world["shift"].date.year
    )
    assert (row["events"], row["people"], row["hours"]) == (1, 1, Decimal("4.5"))


def test_an_unapproved_plans_event_hours_do_not_count_as_large_event_hours(world):
    filed(world)
    volunteer = VolunteerFactory()
    record = ServiceRecordFactory(volunteer=volunteer, unit=world["unit"], served_on=world["shift"].date)
    ShiftSignup.objects.create(shift=world["shift"], volunteer=volunteer, service_record=record)
    row = selectors.large_events_by_year(last_year=world["shift"].date.year)[0]
    assert row["people"] == 0 and row["events"] == 0


# --- Pages ----------------------------------------------------------------------------------------


def test_the_pages_walk_file_submit_review(client, world):
    client.force_login(world["officer"])
    data = {
        "event": world["event"].pk,
        "competent_bureau": world["bureau"].pk,
        "duties": "補給站",
        "headcount": "20",
        "insurance_policy": world["policy"].pk,
        "training_plan": "說明會",
    }
    response = client.post(reverse("largeevents:create"), data)
    plan = LargeEventPlan.objects.get()
    assert response.url == reverse("largeevents:detail", args=[plan.pk])
    client.post(reverse("largeevents:submit", args=[plan.pk]), {"action": "submit"})
    client.force_login(world["reviewer"])
    assert "臺北馬拉松" in client.get(reverse("largeevents:list")).content.decode()
    client.post(reverse("largeevents:review", args=[plan.pk]), {"action": "approve"})
    plan.refresh_from_db()
    assert plan.status == S.APPROVED
    client.force_login(world["officer"])
    page = client.get(reverse("largeevents:detail", args=[plan.pk])).content.decode()
    assert "匯入活動志工" in page


def test_the_create_page_shows_errors_in_the_summary_and_saves_nothing(client, world):
    client.force_login(world["officer"])
    response = client.post(reverse("largeevents:create"), {"event": world["event"].pk, "headcount": "-3"})
    assert response.status_code == 200 and "錯誤" in response.content.decode()
    assert not LargeEventPlan.objects.exists()


def test_the_list_makes_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for i in range(4):
        services.create_plan(
            actor=world["officer"], event=event_of(world["unit"], title=f"活動{i}"), **fields(world)
        )
    client.force_login(centre_staff())
    with django_assert_max_num_queries(10):
        assert client.get(reverse("largeevents:list")).status_code == 200


def test_the_plan_page_lists_its_history_in_words(client, world):
    plan = filed(world)
    services.submit_plan(plan=plan, actor=world["officer"])
    services.return_plan(plan=plan, actor=world["reviewer"], reason="請補保險")
    client.force_login(world["officer"])
    page = client.get(reverse("largeevents:detail", args=[plan.pk])).content.decode()
    assert "建立草稿" in page and "退回補正（請補保險）" in page
    assert "large_event_plan." not in page


def test_the_enrol_page_imports_a_roster_and_shows_a_bad_file_in_the_error_summary(client, world):
    plan = approved(world)
    client.force_login(world["officer"])
    url = reverse("largeevents:enrol", args=[plan.pk])
    bad = client.post(
        url,
        {
            "shift": world["shift"].pk,
            "file": roster(["李四", "身分證", "A123456788", "1990-01-01", "男", ""]),
        },
    )
    assert bad.status_code == 200 and "第 2 列" in bad.content.decode()
    assert not ShiftSignup.objects.exists()
    good = client.post(
        url,
        {
            "shift": world["shift"].pk,
            "file": roster(
                ["王小明", "身分證", fake_national_id(9_300_001, sex="M"), "1990-01-01", "男", ""]
            ),
        },
    )
    assert good.url == reverse("largeevents:detail", args=[plan.pk])
    assert ShiftSignup.objects.filter(shift=world["shift"]).count() == 1
    template = client.get(reverse("largeevents:template")).content.decode("utf-8-sig")
    assert template.startswith("姓名,證件類別,證件號碼")


def test_an_event_published_as_an_opportunity_shows_its_accepted_applicants_on_the_plan(client, world):
    from opportunities.models import Opportunity

    plan = filed(world)
    opportunity = Opportunity.objects.create(
        unit=world["unit"],
        event=world["event"],
        title="馬拉松志工招募",
        description="補給站",
        domain=world["event"].domain,
        kind="one_off",
        starts_on=world["event"].starts_on,
        ends_on=world["event"].ends_on,
        capacity=50,
        venue=world["event"].venue,
        contact_name="王承辦",
        status="published",
        created_by=world["officer"],
    )
    figures = selectors.plan_figures(plan)
    assert figures["opportunity"] == opportunity and figures["accepted_applicants"] == 0
    client.force_login(world["officer"])
    page = client.get(reverse("largeevents:detail", args=[plan.pk])).content.decode()
    assert reverse("opportunities:detail", args=[opportunity.pk]) in page and "已錄取 0 人" in page
