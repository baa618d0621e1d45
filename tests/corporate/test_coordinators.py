"""Several coordinators for one company: a coordinator adds another personal account (by e-mail)
and removes one, never the last; the main contact passes on; every role's answer, the pages, and
two removals at once (PostgreSQL row lock on the team)."""

import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEvent
from corporate import coordinators, permissions, services
from tests.accounts.factories import make_user
from tests.corporate.factories import company_team, event_of, shift_of
from tests.volunteers.factories import UnitFactory, officer_of


def _second(team, email="second@example.org"):
    user = make_user(Role.VOLUNTEER, email=email)
    coordinators.add_coordinator(team=team, actor=team.coordinator, email=email.upper())
    user.refresh_from_db()
    return user


@pytest.mark.django_db
def test_a_coordinator_adds_another_who_then_acts_for_the_company(django_capture_on_commit_callbacks):
    team = company_team()
    make_user(Role.DONOR, email="colleague@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        added = coordinators.add_coordinator(team=team, actor=team.coordinator, email="Colleague@example.org")
    assert added.organisation_id == team.organisation_id
    assert permissions.is_company_coordinator(added, team)
    assert permissions.can_manage_coordinators(added, team)
    assert [u.pk for u in coordinators.coordinators_of(team)] == [team.coordinator_id, added.pk]
    assert AuditEvent.objects.filter(
        action="corporate.coordinator_added", changes__coordinator=added.pk
    ).exists()
    assert [m.to for m in mail.outbox] == [["colleague@example.org"]]
    assert "聯絡窗口" in mail.outbox[0].subject and team.name in mail.outbox[0].body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "message"),
    [
        # One answer for no account and for an account that cannot be added: the form is no way to
        # learn which addresses are the portal's staff or another company's.
        ("nobody", "無法以這個電子郵件新增聯絡窗口"),
        ("unit_officer", "無法以這個電子郵件新增聯絡窗口"),
        ("other_company", "無法以這個電子郵件新增聯絡窗口"),
        ("centre_staff", "無法以這個電子郵件新增聯絡窗口"),
        ("same_company", "已是貴公司"),
    ],
)
def test_only_a_personal_account_of_no_organisation_can_be_added(who, message):
    team = company_team()
    email = "x@example.org"
    if who == "unit_officer":
        officer_of(UnitFactory(), email=email)
    elif who == "other_company":
        company_team(coordinator=make_user(Role.DONOR, email=email))
    elif who == "centre_staff":
        make_user(Role.CENTRE_STAFF, email=email)
    elif who == "same_company":
        email = team.coordinator.email
    with pytest.raises(ValidationError, match=message):
        coordinators.add_coordinator(team=team, actor=team.coordinator, email=email)
    assert coordinators.coordinators_of(team).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role",
    [Role.DONOR, Role.VOLUNTEER, Role.UNIT_OFFICER, Role.CENTRE_STAFF, Role.SW_REVIEWER, Role.SITE_ADMIN],
)
def test_no_one_but_the_companys_coordinators_adds_or_removes_them(role):
    team = company_team()
    second = _second(team)
    outsider = make_user(role, organisation=None) if role in (Role.DONOR, Role.VOLUNTEER) else make_user(role)
    make_user(Role.DONOR, email="third@example.org")
    with pytest.raises(PermissionDenied):
        coordinators.add_coordinator(team=team, actor=outsider, email="third@example.org")
    with pytest.raises(PermissionDenied):
        coordinators.remove_coordinator(team=team, actor=outsider, user=second)
    assert coordinators.coordinators_of(team).count() == 2


@pytest.mark.django_db
def test_an_account_that_cannot_be_added_is_answered_as_if_there_were_none():
    """The messages of every refusal but "already yours" are the same text, whoever owns the address."""
    team = company_team()
    make_user(Role.SITE_ADMIN, email="admin@example.org")
    answers = []
    for email in ("admin@example.org", "no-such-person@example.org"):
        with pytest.raises(ValidationError) as refused:
            coordinators.add_coordinator(team=team, actor=team.coordinator, email=email)
        answers.append(refused.value.message_dict)
    assert answers[0] == answers[1]


@pytest.mark.django_db
def test_adding_coordinators_is_limited_per_company_per_day(django_capture_on_commit_callbacks):
    """Each try counts (found or not), so a coordinator can neither probe addresses one after another
    nor have the portal send its e-mail to the many; a second coordinator shares the allowance."""
    team = company_team()
    second = _second(team)  # one try
    for n in range(coordinators.ADD_TRIES_PER_DAY - 2):
        with pytest.raises(ValidationError, match="無法以這個電子郵件"):
            coordinators.add_coordinator(team=team, actor=second, email=f"probe{n}@example.org")
    make_user(Role.DONOR, email="last@example.org")
    coordinators.add_coordinator(team=team, actor=team.coordinator, email="last@example.org")
    make_user(Role.DONOR, email="late@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for actor in (team.coordinator, second):
            with pytest.raises(ValidationError, match="次數已達上限"):
                coordinators.add_coordinator(team=team, actor=actor, email="late@example.org")
    assert User.objects.get(email="late@example.org").organisation_id is None
    assert mail.outbox == []
    # Another company's allowance is its own.
    other = company_team()
    coordinators.add_coordinator(team=other, actor=other.coordinator, email="late@example.org")


@pytest.mark.django_db
def test_another_companys_coordinator_cannot_manage_them():
    team, other = company_team(), company_team()
    second = _second(team)
    with pytest.raises(PermissionDenied):
        coordinators.remove_coordinator(team=team, actor=other.coordinator, user=second)


@pytest.mark.django_db
def test_removing_the_main_contact_passes_it_on_and_the_last_cannot_be_removed():
    team = company_team()
    first = team.coordinator
    second = _second(team)
    coordinators.remove_coordinator(team=team, actor=second, user=first)
    team.refresh_from_db()
    first.refresh_from_db()
    assert first.organisation_id is None and not permissions.is_company_coordinator(first, team)
    assert team.coordinator_id == second.pk
    assert AuditEvent.objects.filter(action="corporate.main_contact_changed").exists()
    assert AuditEvent.objects.filter(action="corporate.coordinator_removed").exists()
    with pytest.raises(ValidationError, match="唯一的聯絡窗口"):
        coordinators.remove_coordinator(team=team, actor=second, user=second)
    second.refresh_from_db()
    assert second.organisation_id == team.organisation_id


@pytest.mark.django_db
def test_a_match_invitation_goes_to_every_coordinator(django_capture_on_commit_callbacks):
    team = company_team()
    second = _second(team)
    unit = UnitFactory(approved=True)
    officer = officer_of(unit)
    shift = shift_of(event_of(unit, creator=officer))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.propose_match(actor=officer, team=team, shift=shift, people=2)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([team.coordinator.email, second.email])


@pytest.mark.django_db
def test_the_pages_add_and_remove_a_coordinator(client):
    team = company_team()
    make_user(Role.DONOR, email="page@example.org")
    client.force_login(team.coordinator)
    page = client.get(reverse("corporate:coordinators", args=[team.pk]))
    assert page.status_code == 200 and "唯一的聯絡窗口無法移除" in page.content.decode()
    response = client.post(reverse("corporate:coordinators", args=[team.pk]), {"email": "page@example.org"})
    assert response.status_code == 302
    added = User.objects.get(email="page@example.org")
    assert added.organisation_id == team.organisation_id
    bad = client.post(reverse("corporate:coordinators", args=[team.pk]), {"email": "nobody@example.org"})
    assert bad.status_code == 200 and "無法以這個電子郵件新增聯絡窗口" in bad.content.decode()
    response = client.post(reverse("corporate:coordinator_remove", args=[team.pk, added.pk]))
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.organisation_id is None
    # The last one: refused with a message, nothing changed.
    client.post(reverse("corporate:coordinator_remove", args=[team.pk, team.coordinator_id]))
    team.coordinator.refresh_from_db()
    assert team.coordinator.organisation_id == team.organisation_id


@pytest.mark.django_db
def test_the_pages_answer_404_to_everyone_else(client):
    team = company_team()
    for user in (
        make_user(Role.DONOR, organisation=None),
        company_team().coordinator,
        officer_of(UnitFactory()),
    ):
        client.force_login(user)
        assert client.get(reverse("corporate:coordinators", args=[team.pk])).status_code == 404
        remove = reverse("corporate:coordinator_remove", args=[team.pk, team.coordinator_id])
        assert client.post(remove).status_code == 404
    team.coordinator.refresh_from_db()
    assert team.coordinator.organisation_id == team.organisation_id


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_removing_each_other_at_once_leave_one():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    team = company_team()
    first = team.coordinator
    second = _second(team)
    barrier = threading.Barrier(2)
    outcomes = []

    def remove(actor, user):
        try:
            barrier.wait()
            coordinators.remove_coordinator(team=team, actor=actor, user=user)
            outcomes.append("removed")
        except (ValidationError, PermissionDenied):
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=remove, args=(first, second)),
        threading.Thread(target=remove, args=(second, first)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["refused", "removed"]
    assert coordinators.coordinators_of(team).count() == 1
