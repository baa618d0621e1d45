import pytest
from celery import shared_task
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent, TaskFailure

pytestmark = pytest.mark.django_db


@shared_task(name="tests.always_fails")
def always_fails(national_id):
    raise RuntimeError(f"cannot process {national_id}")


def fail_once():
    # Run as a worker runs it (no eager propagation), so the failure signal fires.
    always_fails.apply(args=["A123456789"], throw=False)


def test_a_failed_task_is_recorded_for_staff_without_the_id_number(client, settings):
    settings.HEALTHZ_TOKEN = "monitor"
    fail_once()
    failure = TaskFailure.objects.get()
    assert failure.task_name == "tests.always_fails"
    assert "RuntimeError" in failure.exception
    assert "A123456789" not in failure.exception + failure.traceback
    assert "A12****789" in failure.exception
    health = client.get(reverse("healthz"), HTTP_AUTHORIZATION="Bearer monitor")
    assert health.json()["unresolved_task_failures"] == 1


def test_site_admin_sees_and_resolves_failures(client, make_user):
    fail_once()
    admin = make_user(Role.SITE_ADMIN)
    client.force_login(admin)
    page = client.get(reverse("audit:task_failures"))
    assert "tests.always_fails" in page.content.decode()
    failure = TaskFailure.objects.get()
    client.post(reverse("audit:task_failures"), {"failure": failure.pk})
    failure.refresh_from_db()
    assert failure.resolved_by == admin
    assert AuditEvent.objects.filter(action="task_failure.resolved", target_id=str(failure.pk)).exists()


@pytest.mark.parametrize("role", [Role.DONOR, Role.CASEWORKER, Role.COMMITTEE, Role.CENTRE_STAFF])
def test_other_roles_cannot_see_task_failures(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(reverse("audit:task_failures")).status_code == 403
