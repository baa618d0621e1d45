"""No ID-number oracle: a unit that registers someone else's ID number with a made-up name or a wrong
birth date learns nothing about the stored person, through the page, the API or an import; the
attempt is audited and an officer with too many refusals is stopped for an hour."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from audit.models import AuditEvent
from core.seeding import fake_national_id
from tests.volunteers.factories import ServiceRecordFactory, UnitFactory, officer_of
from volunteers.api.auth import issue_token
from volunteers.imports import files
from volunteers.imports import services as imports
from volunteers.models import ImportBatch, ImportKind, ImportStatus, Membership, Volunteer
from volunteers.registry import identity, services

pytestmark = pytest.mark.django_db

REAL = {
    "name": "歐陽娜娜",
    "identity_kind": "national_id",
    "identity_number": "A123456789",
    "birth_date": datetime.date(1955, 3, 30),
    "sex": "F",
    "main_domain": "social_welfare",
    "phone": "0911222333",
    "email": "nana@example.tw",
    "address": "臺北市北投區大業路 1 號",
}
# What a unit that only knows the ID number types in.
GUESS = {
    **REAL,
    "name": "王小明",
    "birth_date": datetime.date(1990, 1, 1),
    "phone": "",
    "email": "",
    "address": "",
}
SECRETS = ("歐陽娜娜", "1955-03-30", "044.03.30", "0911222333", "nana@example.tw", "大業路")


@pytest.fixture(autouse=True)
def _private_files(tmp_path, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    monkeypatch.setattr(
        ImportBatch._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path / "p")
    )


@pytest.fixture
def home():
    """The unit where the real person serves, with their hours."""
    unit = UnitFactory(approved=True)
    person = services.register_volunteer(unit=unit, actor=officer_of(unit), **REAL)
    ServiceRecordFactory(volunteer=person, unit=unit, activity="病房關懷")
    return person


@pytest.fixture
def prober():
    unit = UnitFactory(approved=True)
    return unit, officer_of(unit)


def _says_nothing(text: str):
    for secret in SECRETS:
        assert secret not in text, secret


# --- The rule ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("歐陽娜娜", " 歐陽 娜娜 "),
        ("歐陽娜娜", "歐陽\u3000娜娜"),
        ("OUYANG NANA", "ｏｕｙａｎｇ ｎａｎａ"),
        ("Ouyang Nana", "ouyang nana"),
    ],
)
def test_names_agree_across_spaces_widths_and_case(stored, typed):
    assert identity.same_name(stored, typed)


def test_variant_characters_and_separators_agree_but_other_names_do_not():
    assert identity.same_name("黃台生", "黄臺生")
    assert identity.same_name("瑪麗亞．桑托斯", "瑪麗亞·桑托斯")
    assert identity.same_name("Maria Santos", "maria-santos")
    assert not identity.same_name("歐陽娜娜", "歐陽娜")
    assert not identity.same_name("林志明", "林志銘")


def test_the_same_person_from_another_unit_is_matched_when_birth_date_and_name_agree(home, prober):
    unit, officer = prober
    person = services.register_volunteer(unit=unit, actor=officer, **{**REAL, "name": "歐陽 娜娜"})
    assert person.pk == home.pk
    assert Membership.objects.filter(volunteer=home).count() == 2


@pytest.mark.parametrize(
    "wrong",
    [
        {"birth_date": datetime.date(1990, 1, 1)},
        {"name": "王小明"},
        {"name": "王小明", "birth_date": datetime.date(1990, 1, 1)},
    ],
)
def test_a_known_id_number_with_another_birth_date_or_name_is_refused_without_a_word_about_the_person(
    home, prober, wrong
):
    unit, officer = prober
    with pytest.raises(ValidationError) as exc:
        services.register_volunteer(unit=unit, actor=officer, **{**REAL, **wrong})
    message = " ".join(exc.value.messages)
    assert "志推中心" in message or "志願服務推廣中心" in message
    _says_nothing(message)
    assert not Membership.objects.filter(unit=unit).exists()
    assert Volunteer.objects.count() == 1
    home.refresh_from_db()
    assert home.name == "歐陽娜娜" and home.phone == "0911222333"


def test_every_refusal_is_audited_with_the_officer_and_the_masked_number(home, prober):
    unit, officer = prober
    with pytest.raises(ValidationError):
        services.register_volunteer(unit=unit, actor=officer, **GUESS)
    event = AuditEvent.objects.get(action="volunteer.identity_refused")
    assert event.actor == officer and event.organisation == unit.organisation
    assert event.target_id == str(home.pk)
    assert event.changes == {"identity": "A12****789", "channel": "page"}


def test_too_many_refusals_stop_the_officer_registering_anybody_for_an_hour(home, prober):
    unit, officer = prober
    for n in range(identity.REFUSALS_PER_WINDOW):
        with pytest.raises(ValidationError):
            services.register_volunteer(unit=unit, actor=officer, **{**GUESS, "name": f"猜測{n}"})
    # Now even a brand-new person is refused (so the stop tells nothing about who exists).
    with pytest.raises(ValidationError) as exc:
        services.register_volunteer(
            unit=unit, actor=officer, **{**GUESS, "identity_number": fake_national_id(9_100_001)}
        )
    assert "一小時" in " ".join(exc.value.messages)
    assert (
        AuditEvent.objects.filter(action="volunteer.identity_refused").count() == identity.REFUSALS_PER_WINDOW
    )
    # Another officer is not affected.
    other = UnitFactory(approved=True)
    services.register_volunteer(
        unit=other, actor=officer_of(other), **{**GUESS, "identity_number": fake_national_id(9_100_002)}
    )


# --- Through the page ---------------------------------------------------------------------------------


def test_the_stop_holds_to_the_end_of_the_clock_hour_and_lifts_in_the_next(home, prober, ratelimit_clock):
    """The check reads the window the refusals were counted in, by the same clock (core.ratelimit):
    it read the real time before, and a stopped clock (or a run across the hour) missed the count."""
    unit, officer = prober
    for n in range(identity.REFUSALS_PER_WINDOW):
        with pytest.raises(ValidationError):
            services.register_volunteer(unit=unit, actor=officer, **{**GUESS, "name": f"猜測{n}"})
    ratelimit_clock.advance(29 * 60 + 29)  # 12:59:59 in Taipei: the same hour
    with pytest.raises(ValidationError) as exc:
        services.register_volunteer(
            unit=unit, actor=officer, **{**GUESS, "identity_number": fake_national_id(9_100_003)}
        )
    assert exc.value.code == "identity_blocked"
    ratelimit_clock.advance(1)  # 13:00:00: the next window
    services.register_volunteer(
        unit=unit, actor=officer, **{**GUESS, "identity_number": fake_national_id(9_100_004)}
    )


def test_the_page_refuses_on_the_form_and_shows_nothing_of_the_person(client, home, prober):
    unit, officer = prober
    client.force_login(officer)
    response = client.post(
        reverse("volunteers:volunteer_add", args=[unit.pk]),
        {**GUESS, "birth_date": "1990-01-01"},
    )
    assert response.status_code == 200  # the form again, not the person's page
    page = response.content.decode()
    assert "志願服務推廣中心" in page
    _says_nothing(page.replace(GUESS["name"], ""))
    assert "病房關懷" not in page
    assert not Membership.objects.filter(unit=unit).exists()
    assert client.get(reverse("volunteers:volunteer_detail", args=[home.pk])).status_code == 404


# --- Through the API ----------------------------------------------------------------------------------


def test_the_api_answers_400_with_the_same_refusal_and_nothing_of_the_person(home, prober):
    unit, officer = prober
    _, key = issue_token(unit=unit, actor=officer, name="院內系統")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    payload = {**GUESS, "birth_date": "1990-01-01"}
    response = api.post(reverse("api-volunteers"), payload, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["identity_number"] == [identity.refusal_message()]
    _says_nothing(response.content.decode())
    assert not Membership.objects.filter(unit=unit).exists()
    assert AuditEvent.objects.get(action="volunteer.identity_refused").changes["channel"] == "api"


def test_the_api_matches_the_person_when_the_details_agree(home, prober):
    unit, officer = prober
    _, key = issue_token(unit=unit, actor=officer, name="院內系統")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.post(reverse("api-volunteers"), {**REAL, "birth_date": "1955-03-30"}, format="json")
    assert response.status_code == 201
    assert response.json()["id"] == home.pk


# --- Through an import --------------------------------------------------------------------------------


def _import(unit, officer, rows, capture):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[c.header for c in files.VOLUNTEER_COLUMNS], *rows])
    upload = SimpleUploadedFile("people.csv", buffer.getvalue().encode("utf-8-sig"))
    with capture(execute=True):
        batch = imports.start_import(unit=unit, actor=officer, kind=ImportKind.VOLUNTEERS, upload=upload)
    batch.refresh_from_db()
    return batch


def _row(name, number, birth):
    return [name, "身分證", number, birth, "女", "", "", "", "", "", "", "", ""]


def test_an_import_row_with_a_known_number_and_other_details_fails_the_file_and_names_nobody(
    client, home, prober, django_capture_on_commit_callbacks
):
    unit, officer = prober
    rows = [
        _row("陳新人", fake_national_id(9_200_001), "1980-02-02"),
        _row("王小明", "A123456789", "1990-01-01"),
    ]
    batch = _import(unit, officer, rows, django_capture_on_commit_callbacks)
    assert batch.status == ImportStatus.FAILED
    assert batch.errors == [{"row": 3, "column": "證件號碼", "message": identity.refusal_message()}]
    assert not Membership.objects.filter(unit=unit).exists()
    assert Volunteer.objects.count() == 1
    event = AuditEvent.objects.get(action="volunteer.identity_refused")
    assert event.changes["channel"] == "import" and event.actor == officer
    client.force_login(officer)
    _says_nothing(client.get(reverse("volunteers:import_detail", args=[batch.pk])).content.decode())


def test_an_import_matches_the_known_person_when_the_details_agree(
    home, prober, django_capture_on_commit_callbacks
):
    unit, officer = prober
    batch = _import(
        unit, officer, [_row("歐陽 娜娜", "A123456789", "1955-03-30")], django_capture_on_commit_callbacks
    )
    assert batch.status == ImportStatus.DONE, batch.errors
    assert Membership.objects.filter(unit=unit, volunteer=home).exists()


def test_a_blocked_officer_cannot_import_volunteers_either(home, prober, django_capture_on_commit_callbacks):
    unit, officer = prober
    for n in range(identity.REFUSALS_PER_WINDOW):
        with pytest.raises(ValidationError):
            services.register_volunteer(unit=unit, actor=officer, **{**GUESS, "name": f"猜測{n}"})
    batch = _import(
        unit,
        officer,
        [_row("陳新人", fake_national_id(9_200_002), "1980-02-02")],
        django_capture_on_commit_callbacks,
    )
    assert batch.status == ImportStatus.FAILED
    assert "一小時" in batch.errors[0]["message"]
