"""Hour pages: form, week grid, list (bounded queries), certification, correction; other units refused."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from tests.accounts.factories import make_user
from tests.volunteers.factories import ServiceRecordFactory, UnitFactory, member_of, officer_of
from volunteers.models import ServiceRecord, ServiceRecordSource, ServiceRecordStatus, UnitApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return UnitFactory(approved=True)


@pytest.fixture
def officer(unit):
    return officer_of(unit)


@pytest.fixture
def signed_in(client, officer):
    client.force_login(officer)
    return client


def test_the_form_records_hours(signed_in, unit):
    v = member_of(unit)
    response = signed_in.post(
        reverse("volunteers:record_hours"),
        {
            "volunteer": v.pk,
            "served_on": timezone.localdate().isoformat(),
            "hours": "1.75",
            "domain": "health",
            "activity": "x",
        },
    )
    assert response.status_code == 302
    assert ServiceRecord.objects.get().hours == Decimal("1.75")


def test_the_form_shows_the_24_hour_error_and_saves_nothing(signed_in, unit):
    v = member_of(unit)
    ServiceRecordFactory(volunteer=v, unit=unit, hours=Decimal("23"))
    response = signed_in.post(
        reverse("volunteers:record_hours"),
        {
            "volunteer": v.pk,
            "served_on": timezone.localdate().isoformat(),
            "hours": "1.25",
            "domain": "health",
        },
    )
    assert response.status_code == 200 and "24 小時" in response.content.decode()
    assert ServiceRecord.objects.count() == 1


def test_the_form_offers_only_the_units_volunteers(signed_in, unit):
    stranger = member_of(UnitFactory(approved=True))
    response = signed_in.post(
        reverse("volunteers:record_hours"),
        {
            "volunteer": stranger.pk,
            "served_on": timezone.localdate().isoformat(),
            "hours": "1",
            "domain": "health",
        },
    )
    assert response.status_code == 200 and not ServiceRecord.objects.exists()


def test_the_grid_saves_a_week(signed_in, unit):
    people = [member_of(unit) for _ in range(3)]
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday() + 7)
    data = {"week": monday.isoformat(), "domain": "health", "activity": "病房關懷"}
    for v in people:
        for d in range(5):
            data[f"h-{v.pk}-{monday + datetime.timedelta(days=d):%Y%m%d}"] = "2"
    response = signed_in.post(reverse("volunteers:week_grid"), data)
    assert response.status_code == 302
    assert ServiceRecord.objects.filter(source=ServiceRecordSource.GRID).count() == 15
    page = signed_in.get(reverse("volunteers:week_grid"), {"week": monday.isoformat()}).content.decode()
    assert f'name="h-{people[0].pk}-{monday:%Y%m%d}" value="2"' in page


def test_the_grid_page_makes_few_queries(signed_in, unit, django_assert_max_num_queries):
    for _ in range(30):
        v = member_of(unit)
        ServiceRecordFactory(volunteer=v, unit=unit, source=ServiceRecordSource.GRID)
    with django_assert_max_num_queries(15):
        assert signed_in.get(reverse("volunteers:week_grid")).status_code == 200


def test_the_list_makes_few_queries_and_certifies(signed_in, unit, django_assert_max_num_queries):
    records = [ServiceRecordFactory(volunteer=member_of(unit), unit=unit) for _ in range(30)]
    with django_assert_max_num_queries(15):
        page = signed_in.get(reverse("volunteers:hours_list")).content.decode()
    assert records[0].volunteer.name in page
    signed_in.post(reverse("volunteers:certify_hours"), {"record": [r.pk for r in records[:10]]})
    assert ServiceRecord.objects.filter(status=ServiceRecordStatus.CERTIFIED).count() == 10


def test_the_list_translates_one_label_per_row_not_every_choice_of_every_column(signed_in, unit, monkeypatch):
    """A row's domain, source and status are read from labels translated once per language; what a
    row still translates is its certify box's label (Django's own get_FOO_display translated every
    choice of the three columns: ~24 labels a row)."""
    from django.utils import translation

    translated = []
    real = translation._trans.gettext

    def counting(message):
        translated.append(message)
        return real(message)

    def add(n):
        for _ in range(n):
            ServiceRecordFactory(volunteer=member_of(unit), unit=unit)

    def translations_of_the_page():
        translated.clear()
        assert signed_in.get(reverse("volunteers:hours_list")).status_code == 200
        return len(translated)

    add(3)
    signed_in.get(reverse("volunteers:hours_list"))  # labels of this language read once
    monkeypatch.setattr(translation._trans, "gettext", counting)
    few = translations_of_the_page()
    add(47)
    many = translations_of_the_page()
    assert many - few <= 47, f"{few} translations for 3 rows, {many} for 50"


def test_a_certified_correction_needs_a_reason(signed_in, unit, officer):
    r = ServiceRecordFactory(volunteer=member_of(unit), unit=unit, status=ServiceRecordStatus.CERTIFIED)
    url = reverse("volunteers:correct_hours", kwargs={"pk": r.pk})
    data = {"served_on": r.served_on.isoformat(), "hours": "4", "domain": r.domain, "activity": r.activity}
    assert "原因" in signed_in.post(url, data).content.decode()
    assert signed_in.post(url, {**data, "reason": "登錄錯誤"}).status_code == 302
    r.refresh_from_db()
    assert r.hours == 4


def test_an_officer_of_another_unit_gets_404_for_a_record(client, unit):
    r = ServiceRecordFactory(volunteer=member_of(unit), unit=unit)
    client.force_login(officer_of(UnitFactory(approved=True)))
    assert client.get(reverse("volunteers:correct_hours", kwargs={"pk": r.pk})).status_code == 404


def test_other_roles_get_403_and_anonymous_the_login(client):
    assert client.get(reverse("volunteers:hours_list")).status_code == 302
    client.force_login(make_user(Role.VOLUNTEER))
    assert client.get(reverse("volunteers:hours_list")).status_code == 403


def test_api_keys_are_shown_once_and_revoked(signed_in, unit):
    response = signed_in.post(reverse("volunteers:api_keys"), {"name": "院內系統"})
    token = UnitApiToken.objects.get()
    assert "gdv_" in response.content.decode() and response["Cache-Control"] == "no-store"
    page = signed_in.get(reverse("volunteers:api_keys")).content.decode()
    assert 'id="new-key"' not in page
    signed_in.post(reverse("volunteers:api_key_revoke", kwargs={"pk": token.pk}))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_another_units_key_cannot_be_revoked(client, unit, officer):
    from volunteers.api.auth import issue_token

    token, _ = issue_token(unit=unit, actor=officer, name="x")
    client.force_login(officer_of(UnitFactory(approved=True)))
    assert client.post(reverse("volunteers:api_key_revoke", kwargs={"pk": token.pk})).status_code == 404
