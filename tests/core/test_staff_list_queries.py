"""Staff lists at Taipei's size (issue 21): each is paginated and its number of queries does not grow
with its rows. The other lists `make bench` loads (bench/staff_pages.py, PAGES) are asserted beside
their apps: the review queues, a unit's volunteers, hours and imports, statistics, honor cards."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import OrganisationKind, Role
from audit.services import record_event
from tests.accounts.factories import OrganisationFactory
from tests.donations.factories import PledgeFactory
from tests.programs.factories import ProgramFactory
from tests.volunteers.factories import UnitFactory, centre_staff

pytestmark = pytest.mark.django_db

PAGE = 50


def queries(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def assert_paginated_and_flat(client, url, add_rows):
    """Queries with a few rows = queries with more than a page of them; a page holds at most PAGE."""
    add_rows(3)
    few, _ = queries(client, url)
    add_rows(PAGE + 10)
    many, response = queries(client, url)
    page = response.context["page"]
    assert page.paginator.per_page <= PAGE and len(page.object_list) <= PAGE
    assert page.paginator.num_pages >= 2
    assert many == few, f"{url}: {few} queries with 3 rows, {many} with {PAGE + 13}"


def test_the_pledge_list_is_paginated_with_a_fixed_number_of_queries(client, make_user):
    bureau = OrganisationFactory(kind=OrganisationKind.SOCIAL_WELFARE_BUREAU)
    program = ProgramFactory(bureau=bureau, published=True)
    client.force_login(make_user(Role.SW_REVIEWER, organisation=bureau))
    assert_paginated_and_flat(
        client, reverse("donations:staff_list"), lambda n: PledgeFactory.create_batch(n, program=program)
    )


def test_the_audit_trail_is_paginated_with_a_fixed_number_of_queries(client, make_user):
    program = ProgramFactory(published=True)
    actor = make_user(Role.CASEWORKER)

    def add(n):
        for i in range(n):
            record_event(actor=actor, action="program.edit", target=program, changes={"title": ["a", str(i)]})

    client.force_login(make_user(Role.COMMITTEE))
    assert_paginated_and_flat(client, reverse("audit:list"), add)


def test_the_unit_list_is_paginated_with_a_fixed_number_of_queries(client):
    client.force_login(centre_staff())
    assert_paginated_and_flat(client, reverse("volunteers:unit_list"), lambda n: UnitFactory.create_batch(n))


def test_the_bench_staff_page_list_names_each_list_with_its_demo_user():
    """The hook other issues extend: every entry is (demo user, URL name, argument kind)."""
    from bench.staff_pages import PAGES

    for label, (local, name, kind) in PAGES.items():
        assert local and ":" in name, label
        assert kind in (None, "unit", "import", "program"), label


# --- The lists issue 21 point 5 added to bench/staff_pages.PAGES -----------------------------------


def test_the_programs_review_queue_is_paginated_with_a_fixed_number_of_queries(client, make_user):
    from django.utils import timezone

    from programs.models import ProgramStatus

    client.force_login(make_user(Role.SW_REVIEWER))
    assert_paginated_and_flat(
        client,
        reverse("programs:review_queue"),
        lambda n: ProgramFactory.create_batch(n, status=ProgramStatus.SUBMITTED, submitted_at=timezone.now()),
    )


def test_a_programs_donors_are_paginated_with_a_fixed_number_of_queries(client, make_user):
    from django.utils import timezone

    from donations.models import PledgeStatus

    bureau = OrganisationFactory(kind=OrganisationKind.SOCIAL_WELFARE_BUREAU)
    program = ProgramFactory(bureau=bureau, published=True)
    client.force_login(make_user(Role.CASEWORKER, organisation=bureau))
    assert_paginated_and_flat(
        client,
        reverse("donations:program_donors", args=[program.pk]),
        lambda n: PledgeFactory.create_batch(
            n, program=program, status=PledgeStatus.PAID, paid_at=timezone.now()
        ),
    )


def test_the_goods_in_care_are_paginated_with_a_fixed_number_of_queries(client, make_user):
    from django.utils import timezone

    from donations.models import GoodsDonation

    bureau = OrganisationFactory(kind=OrganisationKind.SOCIAL_WELFARE_BUREAU)
    program = ProgramFactory(bureau=bureau, published=True)
    caseworker = make_user(Role.CASEWORKER, organisation=bureau)

    def add(n):
        for _ in range(n):
            GoodsDonation.objects.create(
                program=program,
                donor_name="王小明",
                item="白米",
                unit="包",
                quantity_received=10,
                condition="全新",
                unit_value=100,
                appraised_value=1000,
                received_at=timezone.now(),
                received_by=caseworker,
                quantity_in_stock=10,
            )

    client.force_login(caseworker)
    assert_paginated_and_flat(client, reverse("donations:goods_list"), add)


def test_the_spending_review_queue_is_paginated_with_a_fixed_number_of_queries(client, make_user):
    import datetime

    from disclosure.models import Spending

    bureau = OrganisationFactory(kind=OrganisationKind.SOCIAL_WELFARE_BUREAU)
    program = ProgramFactory(bureau=bureau, published=True)
    caseworker = make_user(Role.CASEWORKER, organisation=bureau)

    def add(n):
        for i in range(n):
            Spending.objects.create(
                program=program,
                spent_on=datetime.date(2026, 9, 1) + datetime.timedelta(days=i % 28),
                item="便當",
                amount=1000,
                payee_type="vendor",
                voucher_number=f"V{i}",
                recorded_by=caseworker,
            )

    client.force_login(make_user(Role.SW_REVIEWER, organisation=bureau))
    assert_paginated_and_flat(client, reverse("disclosure:spending_queue"), add)


def test_the_privacy_request_queue_is_paginated_with_a_fixed_number_of_queries(client, make_user):
    from privacy.models import DataRequest
    from tests.volunteers.factories import member_of, officer_of

    unit = UnitFactory()
    requester = make_user(Role.VOLUNTEER)

    def add(n):
        for _ in range(n):
            DataRequest.objects.create(
                kind="correction",
                requester=requester,
                volunteer=member_of(unit),
                organisation=unit.organisation,
                message="地址有誤",
            )

    client.force_login(officer_of(unit))
    assert_paginated_and_flat(client, reverse("privacy:queue"), add)


def test_a_units_events_are_paginated_with_a_fixed_number_of_queries(client):
    import datetime

    from tests.volunteers.factories import officer_of
    from volunteers.events import services as events

    unit = UnitFactory(approved=True)
    officer = officer_of(unit)

    def add(n):
        for i in range(n):
            day = datetime.date(2026, 1, 1) + datetime.timedelta(days=i)
            event = events.create_event(
                unit=unit,
                actor=officer,
                title=f"導覽 {i}",
                venue="院區",
                domain="health",
                starts_on=day,
                ends_on=day,
            )
            events.add_shift(
                event=event,
                actor=officer,
                date=day,
                starts_at=datetime.time(9),
                ends_at=datetime.time(12),
                capacity=3,
            )

    client.force_login(officer)
    assert_paginated_and_flat(client, reverse("volunteers:event_list"), add)


def test_the_caseworkers_programs_are_paginated_with_a_fixed_number_of_queries(client, make_user):
    from programs.models import OfferStatus
    from tests.programs.factories import OfferFactory

    bureau = OrganisationFactory(kind=OrganisationKind.SOCIAL_WELFARE_BUREAU)

    def add(n):
        for program in ProgramFactory.create_batch(n, bureau=bureau, published=True):
            OfferFactory(goods_need__program=program, status=OfferStatus.PENDING)

    client.force_login(make_user(Role.CASEWORKER, organisation=bureau))
    assert_paginated_and_flat(client, reverse("programs:workspace"), add)


def test_the_task_failures_are_paginated_with_a_fixed_number_of_queries(client, make_user):
    from audit.models import TaskFailure

    def add(n):
        TaskFailure.objects.bulk_create(
            TaskFailure(task_name="volunteers.import", task_id=str(i), exception="Timeout") for i in range(n)
        )

    client.force_login(make_user(Role.SITE_ADMIN))
    assert_paginated_and_flat(client, reverse("audit:task_failures"), add)


def test_a_units_insurance_page_counts_its_volunteers_in_a_fixed_number_of_queries(client):
    import datetime

    from tests.volunteers.factories import InsurancePolicyFactory, member_of, officer_of

    unit = UnitFactory()
    today = datetime.date.today()
    policy = InsurancePolicyFactory(
        unit=unit, starts_on=today - datetime.timedelta(days=30), ends_on=today + datetime.timedelta(days=300)
    )
    url = reverse("volunteers:insurance_list", args=[unit.pk])
    client.force_login(officer_of(unit))

    def add(n):
        policy.insured.add(*[member_of(unit) for _ in range(n)])

    add(3)
    few, _ = queries(client, url)
    add(PAGE + 10)
    many, response = queries(client, url)
    assert many == few and response.context["insured_now"] == PAGE + 13


# --- The four pages issue 21 found narrowest at scale 100 (hours, insurance, a unit, the workspace) ---


def test_a_units_service_hours_are_paginated_with_a_fixed_number_of_queries(client):
    from tests.volunteers.factories import ServiceRecordFactory, member_of, officer_of

    unit = UnitFactory(approved=True)
    client.force_login(officer_of(unit))
    assert_paginated_and_flat(
        client,
        reverse("volunteers:hours_list"),
        lambda n: [ServiceRecordFactory(volunteer=member_of(unit), unit=unit) for _ in range(n)],
    )


def test_an_officers_page_looks_the_unit_up_once_for_the_view_and_the_header_menus(client):
    from tests.volunteers.factories import officer_of

    unit = UnitFactory(approved=True)
    client.force_login(officer_of(unit))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("volunteers:hours_list")).status_code == 200
    lookups = [q["sql"] for q in captured.captured_queries if 'FROM "volunteers_volunteerunit"' in q["sql"]]
    assert len(lookups) == 1, lookups


def test_a_units_page_makes_the_same_queries_with_few_or_many_plans_volunteers_and_hours(client):
    import datetime

    from tests.volunteers.factories import PlanFactory, ServiceRecordFactory, member_of, officer_of

    unit = UnitFactory(approved=True)
    officer = officer_of(unit)
    url = reverse("volunteers:unit_detail", args=[unit.pk])
    client.force_login(officer)
    years = iter(range(1960, 2020))

    def add(n):
        for _ in range(n):
            PlanFactory(unit=unit, year=next(years), created_by=officer)
            ServiceRecordFactory(volunteer=member_of(unit), unit=unit, served_on=datetime.date.today())

    add(3)
    few, _ = queries(client, url)
    add(40)
    many, response = queries(client, url)
    assert many == few, f"{few} queries with 3 plans and volunteers, {many} with 43"
    assert response.context["figures"].volunteers == 43
