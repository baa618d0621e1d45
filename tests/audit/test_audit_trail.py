import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from audit.selectors import history_of
from audit.services import diff, record_event
from tests.accounts.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_record_event_keeps_who_what_and_when(make_user):
    admin = make_user(Role.SITE_ADMIN, name="管理員甲")
    org = OrganisationFactory(name="臺北市政府教育局")
    event = record_event(
        actor=admin, action="organisation.renamed", target=org, changes={"name": ["舊", "新"]}
    )
    assert event.actor == admin
    assert "管理員甲" in event.actor_label
    assert event.target_type == "accounts.organisation"
    assert event.target_id == str(org.pk)
    assert event.target_label == "臺北市政府教育局"
    assert event.changes == {"name": ["舊", "新"]}
    assert event.at is not None
    assert list(history_of(org)) == [event]


def test_system_actions_are_labelled_as_the_system():
    org = OrganisationFactory()
    event = record_event(actor=None, action="report.built", target=org)
    assert event.actor is None
    assert event.actor_label == "系統"


def test_audit_events_cannot_be_changed_or_deleted_through_the_orm():
    event = record_event(actor=None, action="x", target=OrganisationFactory())
    event.action = "rewritten"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "x"


def test_the_database_itself_refuses_raw_updates_and_deletes_of_the_audit_trail():
    # A trigger on PostgreSQL (0002) and on SQLite (0004): QuerySet.update()/delete() and raw SQL
    # bypass the model's guard, the database does not.
    assert connection.vendor in ("postgresql", "sqlite")
    event = record_event(actor=None, action="x", target=OrganisationFactory())
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'rewritten' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.get(pk=event.pk).action == "x"


@pytest.mark.django_db(transaction=True)
def test_flushing_the_whole_database_still_empties_the_trail_and_keeps_it_append_only():
    # Transactional tests and a developer's reset flush everything; on SQLite that is DELETE, which
    # the trigger would refuse, so flush lifts it for the wipe and puts it back.
    from django.core.management import call_command

    record_event(actor=None, action="x", target=OrganisationFactory())
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    event = record_event(actor=None, action="y", target=OrganisationFactory())
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_diff_lists_only_changed_fields():
    org = OrganisationFactory(name="甲", phone="02-1234")
    old = {"name": "甲", "phone": "02-1234"}
    org.name = "乙"
    assert diff(org, old, ["name", "phone"]) == {"name": ["甲", "乙"]}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.SITE_ADMIN, 200),
        (Role.COMMITTEE, 200),
        (Role.DONOR, 403),
        (Role.CASEWORKER, 403),
        (Role.SW_REVIEWER, 403),
        (Role.UNIT_OFFICER, 403),
        (Role.VOLUNTEER, 403),
    ],
)
def test_audit_page_is_for_admins_and_the_committee(client, make_user, role, status):
    record_event(actor=None, action="program.approved", target=OrganisationFactory(name="可見的對象"))
    client.force_login(make_user(role))
    response = client.get(reverse("audit:list"))
    assert response.status_code == status
    if status == 200:
        assert "可見的對象" in response.content.decode()


@pytest.mark.parametrize("role", [Role.COMMITTEE, Role.SITE_ADMIN])
def test_the_audit_page_shows_that_personal_details_changed_not_what_they_are(client, make_user, role):
    """A volunteer's phone, e-mail, address and birth date edited by their unit: the committee (who
    oversee the money) and the admins see which fields changed; the values stay in the record for
    the unit's own history of the person."""
    from tests.volunteers.factories import UnitFactory, member_of, officer_of
    from volunteers.registry import services as registry

    unit = UnitFactory()
    volunteer = member_of(unit)
    registry.update_volunteer(
        volunteer=volunteer,
        actor=officer_of(unit),
        unit=unit,
        phone="0922333444",
        email="secret.person@example.org",
        address="臺北市大安區秘密路 9 號",
        record_book_number="RB-778899",
    )
    event = AuditEvent.objects.get(action="volunteer.edited")
    assert event.changes["phone"][1] == "0922333444"  # kept in the record
    client.force_login(make_user(role))
    page = client.get(reverse("audit:list")).content.decode()
    assert "volunteer.edited" in page and "phone" in page and "address" in page
    for secret in ("0922333444", "secret.person@example.org", "秘密路"):
        assert secret not in page
    assert "RB-778899" in page  # not personal contact data: shown as before


def test_the_audit_page_names_citizens_without_their_email_and_staff_with_it(client, make_user):
    donor = make_user(Role.DONOR, name="捐款的王先生", email="wang.private@example.org")
    officer = make_user(Role.UNIT_OFFICER, name="承辦李小姐", email="li.work@example.org")
    target = OrganisationFactory(name="某單位")
    record_event(actor=donor, action="privacy.correction_requested", target=target)
    record_event(actor=officer, action="volunteer.edited", target=target)
    client.force_login(make_user(Role.COMMITTEE))
    page = client.get(reverse("audit:list")).content.decode()
    assert "捐款的王先生" in page and "wang.private@example.org" not in page
    assert "li.work@example.org" in page


def test_shown_changes_masks_personal_keys_at_any_depth_and_keeps_empty_values():
    from audit.selectors import MASK, shown_changes

    changes = {
        "coordinator_phone": ["02-1234", "02-5678"],
        "contact_email": ["", "a@example.org"],
        "members": [{"birth_date": "1990-01-01", "name": "甲"}],
        "headcount": [1, 2],
    }
    assert shown_changes(changes) == {
        "coordinator_phone": [MASK, MASK],
        "contact_email": ["", MASK],
        "members": [{"birth_date": MASK, "name": "甲"}],
        "headcount": [1, 2],
    }


def test_audit_page_sends_anonymous_visitors_to_login(client):
    response = client.get(reverse("audit:list"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_trail_labels_its_targets_in_chinese_whatever_the_actors_language():
    from django.utils import translation

    from tests.volunteers.factories import TrainingFactory

    training = TrainingFactory()
    with translation.override("en"):
        assert str(training).startswith("Basic training")  # pages show the English label
        event = record_event(actor=None, action="volunteer.training_added", target=training)
    assert event.target_label == "基礎訓練 志願服務基礎訓練"
