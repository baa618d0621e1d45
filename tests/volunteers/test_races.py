"""Two people at once: one first review wins; one person registered by two units at once is one record."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from core.validators import IdentityKind
from tests.volunteers.factories import PlanFactory, UnitFactory, centre_staff, officer_of
from volunteers.models import Membership, PlanStatus, Volunteer
from volunteers.registry import services
from volunteers.units import services as unit_services

# Row locks on PostgreSQL; on SQLite (a file, as under `make run`) each transaction takes the write
# lock as it begins and the others wait their turn.
pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # the test inspects what each thread got
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_centre_staff_approving_at_once_give_one_first_review():
    plan = PlanFactory(status=PlanStatus.SUBMITTED)
    first, second = centre_staff(), centre_staff()
    results = run_together(
        lambda: unit_services.approve_plan_first_review(plan=plan, actor=first),
        lambda: unit_services.approve_plan_first_review(plan=plan, actor=second),
    )
    assert sum(isinstance(r, PermissionDenied) for r in results) == 1
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CENTRE_APPROVED


def test_two_units_registering_the_same_person_at_once_make_one_record():
    units = [UnitFactory(approved=True), UnitFactory(approved=True)]
    officers = [officer_of(u) for u in units]
    person = {
        "name": "同時登錄",
        "identity_kind": IdentityKind.NATIONAL_ID,
        "identity_number": "A123456789",
        "birth_date": datetime.date(1960, 1, 1),
        "sex": "F",
        "main_domain": "social_welfare",
    }
    results = run_together(
        *[
            lambda u=u, o=o: services.register_volunteer(unit=u, actor=o, **person)
            for u, o in zip(units, officers, strict=True)
        ]
    )
    assert all(isinstance(r, Volunteer) for r in results), results
    assert Volunteer.objects.count() == 1
    assert Membership.objects.count() == 2
