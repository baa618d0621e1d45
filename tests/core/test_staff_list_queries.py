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
        assert kind in (None, "unit", "import"), label
