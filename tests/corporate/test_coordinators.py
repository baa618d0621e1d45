"""Several coordinators for one company: a coordinator invites another personal account (by
e-mail), which joins only when its owner accepts the signed link, and removes one, never the last; the main contact passes on; every role's answer, the pages, and
two removals at once (PostgreSQL row lock on the team)."""

import re
import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from corporate import coordinators, permissions, services
from tests.accounts.factories import make_user
from tests.corporate.factories import add_coordinator, company_team, event_of, shift_of
from tests.volunteers.factories import UnitFactory, officer_of


def _second(team, email="second@example.org"):
    make_user(Role.VOLUNTEER, email=email)
    return add_coordinator(team, email.upper())


def _link(message) -> str:
    return re.search(r"/corporate/coordinators/join/[^/\s]+/", message.body).group(0)


@pytest.mark.django_db
def test_an_invited_account_joins_only_when_its_owner_accepts(client, django_capture_on_commit_callbacks):
    team = company_team()
    colleague = make_user(Role.DONOR, email="colleague@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        coordinators.invite_coordinator(team=team, actor=team.coordinator, email="Colleague@example.org")
    colleague.refresh_from_db()
    assert colleague.organisation_id is None  # nothing changes on someone else's word
    assert [m.to for m in mail.outbox] == [["colleague@example.org"]]
    assert "聯絡窗口" in mail.outbox[0].subject and team.name in mail.outbox[0].body
    assert AuditEvent.objects.filter(
        action="corporate.coordinator_invited", changes__invited=colleague.pk
    ).exists()
    link = _link(mail.outbox[0])
    # The link is the invited account's only: anyone else gets 404, anonymous visitors sign in first.
    assert client.get(link).status_code == 302
    client.force_login(make_user(Role.DONOR, organisation=None))
    assert client.get(link).status_code == 404
    assert client.post(link).status_code == 404
    client.force_login(colleague)
    page = client.get(link)
    assert page.status_code == 200 and team.name in page.content.decode()
    colleague.refresh_from_db()
    assert colleague.organisation_id is None  # opening the page changes nothing
    assert client.post(link)["Location"] == reverse("corporate:team_detail", args=[team.pk])
    colleague.refresh_from_db()
    assert permissions.is_company_coordinator(colleague, team)
    assert permissions.can_manage_coordinators(colleague, team)
    assert [u.pk for u in coordinators.coordinators_of(team)] == [team.coordinator_id, colleague.pk]
    # The link is used once: a second click, or after leaving the company, opens nothing.
    assert client.get(link).status_code == 404
    coordinators.remove_coordinator(team=team, actor=team.coordinator, user=colleague)
    assert client.get(link).status_code == 404 and client.post(link).status_code == 404
    colleague.refresh_from_db()
    assert colleague.organisation_id is None
    event = AuditEvent.objects.get(action="corporate.coordinator_added")
    assert event.actor == colleague and event.changes == {
        "coordinator": colleague.pk,
        "invited_by": team.coordinator_id,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["nobody", "unit_officer", "other_company", "centre_staff"])
def test_an_address_that_cannot_join_is_answered_as_if_invited_and_mailed_nothing(
    who, django_capture_on_commit_callbacks
):
    """The form is no way to learn which addresses have an account, are the portal's staff or act
    for another company: the same answer as an invitation sent, no e-mail, nothing changed."""
    team = company_team()
    email = "x@example.org"
    if who == "unit_officer":
        officer_of(UnitFactory(), email=email)
    elif who == "other_company":
        company_team(coordinator=make_user(Role.DONOR, email=email))
    elif who == "centre_staff":
        make_user(Role.CENTRE_STAFF, email=email)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert coordinators.invite_coordinator(team=team, actor=team.coordinator, email=email) is None
    assert mail.outbox == []
    assert coordinators.coordinators_of(team).count() == 1


@pytest.mark.django_db
def test_one_of_the_company_is_told_so():
    team = company_team()
    with pytest.raises(ValidationError, match="已是貴公司"):
        coordinators.invite_coordinator(team=team, actor=team.coordinator, email=team.coordinator.email)


@pytest.mark.django_db
def test_an_invitation_is_refused_when_it_is_forged_expired_void_or_overtaken(monkeypatch):
    team = company_team()
    invited = make_user(Role.DONOR, email="invited@example.org")
    token = coordinators.invitation_token(team, invited, team.coordinator)
    # Another account, a tampered token, an expired one: refused, nothing changed.
    with pytest.raises(ValidationError, match="無效或已過期"):
        coordinators.accept_invitation(token=token, user=make_user(Role.DONOR, organisation=None))
    with pytest.raises(ValidationError, match="無效或已過期"):
        coordinators.accept_invitation(token=token[:-2] + "xx", user=invited)
    forged = coordinators.invitation_token(team, invited, company_team().coordinator)
    with pytest.raises(ValidationError, match="已不代表這家企業"):
        coordinators.accept_invitation(token=forged, user=invited)
    monkeypatch.setattr(coordinators, "INVITATION_DAYS", 0)
    with pytest.raises(ValidationError, match="無效或已過期"):
        coordinators.accept_invitation(token=token, user=invited)
    monkeypatch.undo()
    # Joined another company meanwhile: refused.
    other = company_team(coordinator=invited)
    invited.refresh_from_db()
    with pytest.raises(ValidationError, match="已隸屬其他機關單位"):
        coordinators.accept_invitation(token=token, user=invited)
    assert invited.organisation_id == other.organisation_id
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
        coordinators.invite_coordinator(team=team, actor=outsider, email="third@example.org")
    with pytest.raises(PermissionDenied):
        coordinators.remove_coordinator(team=team, actor=outsider, user=second)
    assert coordinators.coordinators_of(team).count() == 2


@pytest.mark.django_db
def test_inviting_is_limited_per_company_per_day(django_capture_on_commit_callbacks):
    """Each try counts (an account or not), so the portal's e-mail cannot be sent to the many; a
    second coordinator shares the allowance; another company's is its own."""
    team = company_team()
    second = _second(team)  # one try
    for n in range(coordinators.ADD_TRIES_PER_DAY - 2):
        coordinators.invite_coordinator(team=team, actor=second, email=f"probe{n}@example.org")
    make_user(Role.DONOR, email="last@example.org")
    coordinators.invite_coordinator(team=team, actor=team.coordinator, email="last@example.org")
    make_user(Role.DONOR, email="late@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for actor in (team.coordinator, second):
            with pytest.raises(ValidationError, match="次數已達上限"):
                coordinators.invite_coordinator(team=team, actor=actor, email="late@example.org")
    assert mail.outbox == []
    other = company_team()
    with django_capture_on_commit_callbacks(execute=True):
        coordinators.invite_coordinator(team=other, actor=other.coordinator, email="late@example.org")
    assert [m.to for m in mail.outbox] == [["late@example.org"]]


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
def test_the_pages_invite_and_remove_a_coordinator(client, django_capture_on_commit_callbacks):
    team = company_team()
    added = make_user(Role.DONOR, email="page@example.org")
    client.force_login(team.coordinator)
    page = client.get(reverse("corporate:coordinators", args=[team.pk]))
    assert page.status_code == 200 and "唯一的聯絡窗口無法移除" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("corporate:coordinators", args=[team.pk]), {"email": "page@example.org"}
        )
    assert response.status_code == 302
    said = client.get(response["Location"]).content.decode()
    # An address with no account gets the very same words.
    nobody = client.post(reverse("corporate:coordinators", args=[team.pk]), {"email": "nobody@example.org"})
    assert nobody.status_code == 302
    assert "對方會收到邀請信" in said
    assert "對方會收到邀請信" in client.get(nobody["Location"]).content.decode()
    client.force_login(added)
    client.post(_link(mail.outbox[-1]))
    added.refresh_from_db()
    assert added.organisation_id == team.organisation_id
    client.force_login(team.coordinator)
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
