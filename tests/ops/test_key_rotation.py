"""rotate_field_keys: ID numbers move onto the newest keys, readable and findable throughout."""

import datetime
import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from core.crypto import lookup_hash
from core.seeding import fake_national_id
from core.validators import IdentityKind
from donations.models import Pledge
from ops import rotation
from tests.donations.factories import PledgeFactory
from tests.volunteers.factories import UnitFactory, VolunteerFactory, officer_of
from volunteers.models import Membership, Volunteer
from volunteers.registry import services

pytestmark = pytest.mark.django_db

OLD_KEY, NEW_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()
OLD_HASH, NEW_HASH = "old-hash-key-" + "o" * 40, "new-hash-key-" + "n" * 40


@pytest.fixture
def old_keys(settings):
    settings.FIELD_ENCRYPTION_KEYS, settings.FIELD_HASH_KEYS = [OLD_KEY], [OLD_HASH]
    return settings


def rotating(settings):
    """The operator's step 1: the new keys first, the old ones still listed."""
    settings.FIELD_ENCRYPTION_KEYS, settings.FIELD_HASH_KEYS = [NEW_KEY, OLD_KEY], [NEW_HASH, OLD_HASH]


def only_new(settings):
    """The operator's last step: the old keys removed."""
    settings.FIELD_ENCRYPTION_KEYS, settings.FIELD_HASH_KEYS = [NEW_KEY], [NEW_HASH]


def stored(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - fixed names
        return cursor.fetchone()[0]


def people(n):
    numbers = [fake_national_id(810_000 + i) for i in range(n)]
    return {VolunteerFactory(identity_number=number).pk: number for number in numbers}


def test_rotation_re_encrypts_and_re_hashes_every_row_so_the_old_keys_can_go(old_keys):
    volunteers = people(5)
    pledge = PledgeFactory(receipt_id_number="A123456789")
    rotating(old_keys)
    out = io.StringIO()
    call_command("rotate_field_keys", "--batch-size", "2", stdout=out)
    assert "volunteers.Volunteer.identity_number: 2/5 rows checked" in out.getvalue()
    assert "volunteers.Volunteer.identity_number: 5/5 rows checked, 5 rewritten" in out.getvalue()
    assert "donations.Pledge.receipt_id_number: 1/1 rows checked, 1 rewritten" in out.getvalue()
    call_command("rotate_field_keys", "--check", stdout=io.StringIO())

    only_new(old_keys)
    for pk, number in volunteers.items():
        person = Volunteer.objects.get(pk=pk)
        assert person.identity_number == number
        assert person.identity_hash == lookup_hash(number)
        assert (
            Fernet(NEW_KEY).decrypt(stored("volunteers_volunteer", "identity_number", pk).encode()).decode()
            == number
        )
    assert Pledge.objects.get(pk=pledge.pk).receipt_id_number == "A123456789"


def test_an_interrupted_rotation_resumes_where_it_stopped(old_keys):
    people(5)
    rotating(old_keys)
    column = next(
        c for c in rotation.encrypted_columns() if c.label == "volunteers.Volunteer.identity_number"
    )
    first_batch = next(rotation.rotate(column, batch_size=2))  # then the process dies
    assert first_batch.rewritten == 2
    with pytest.raises(CommandError, match="older key"):
        call_command("rotate_field_keys", "--check", stdout=io.StringIO())
    assert rotation.stale_rows(column) == 3

    out = io.StringIO()
    call_command("rotate_field_keys", stdout=out)
    assert "volunteers.Volunteer.identity_number: 5/5 rows checked, 3 rewritten" in out.getvalue()
    assert rotation.stale_rows(column) == 0


def test_while_rotating_a_known_person_is_found_by_the_old_hash_and_not_registered_twice(old_keys):
    unit = UnitFactory(approved=True)
    number = fake_national_id(820_001)
    person = {
        "name": "歐陽娜娜",
        "identity_kind": IdentityKind.NATIONAL_ID,
        "identity_number": number,
        "birth_date": datetime.date(1955, 3, 30),
        "sex": "F",
        "main_domain": "social_welfare",
    }
    first = services.register_volunteer(unit=unit, actor=officer_of(unit), **person)
    rotating(old_keys)  # deployed with the new keys; rotate_field_keys has not reached this row
    other = UnitFactory(approved=True)
    second = services.register_volunteer(unit=other, actor=officer_of(other), **person)
    assert second.pk == first.pk
    assert Volunteer.objects.count() == 1
    assert Membership.objects.filter(volunteer=first).count() == 2


def test_generate_prints_keys_the_settings_accept():
    out = io.StringIO()
    call_command("rotate_field_keys", "--generate", stdout=out)
    lines = dict(line.split(": ", 1) for line in out.getvalue().splitlines())
    Fernet(lines["FIELD_ENCRYPTION_KEYS (add first)"].encode())
    assert len(lines["FIELD_HASH_KEYS (add first)"]) >= 32


def test_an_installation_on_the_keys_derived_from_the_secret_key_moves_onto_its_own(settings):
    settings.FIELD_ENCRYPTION_KEYS, settings.FIELD_HASH_KEYS, settings.FIELD_HASH_KEY = [], [], ""
    volunteers = people(2)
    out = io.StringIO()
    call_command("rotate_field_keys", "--legacy-keys", stdout=out)
    legacy = out.getvalue().splitlines()[0].split(": ", 1)[1]
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, legacy]
    settings.FIELD_HASH_KEYS = [NEW_HASH, settings.SECRET_KEY]
    call_command("rotate_field_keys", stdout=io.StringIO())
    only_new(settings)
    settings.SECRET_KEY = "a-rotated-secret-key-" + "z" * 40  # no longer matters to ID numbers
    for pk, number in volunteers.items():
        assert Volunteer.objects.get(pk=pk).identity_number == number
        assert Volunteer.objects.filter(identity_hash=lookup_hash(number)).get().pk == pk
