"""Staff keep the goods drop-off / custody points: coordinates in Taiwan, own bureau only, audited."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import OrganisationKind, Role
from audit.models import AuditEvent
from dashboard import permissions, services
from dashboard.models import DropOffPoint
from tests.accounts.factories import OrganisationFactory
from tests.dashboard.factories import DropOffPointFactory

pytestmark = pytest.mark.django_db

OUTSIDE = "座標不在臺灣範圍內"


@pytest.fixture
def bureau(db):
    return OrganisationFactory(kind=OrganisationKind.BUREAU, name="社會局收件測試")


@pytest.fixture
def caseworker(make_user, bureau):
    return make_user(Role.CASEWORKER, organisation=bureau)


def form_data(**overrides):
    data = {
        "name": "大安收件點",
        "role": "dropoff",
        "address": "臺北市大安區信義路三段",
        "latitude": "25.033964",
        "longitude": "121.543472",
        "goods_accepted": "白米、罐頭",
        "opening_hours": "週一至週五 9:00–17:00",
        "phone": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_caseworker_adds_a_point_for_their_own_bureau(client, caseworker, bureau):
    other = OrganisationFactory(kind=OrganisationKind.BUREAU)
    client.force_login(caseworker)
    response = client.post(reverse("dashboard:point_new"), form_data(bureau=other.pk))
    assert response.status_code == 302
    point = DropOffPoint.objects.get()
    assert point.bureau == bureau  # a caseworker cannot file a point for another bureau
    assert point.latitude == Decimal("25.033964")
    assert AuditEvent.objects.filter(action="dropoff_point.created").count() == 1


@pytest.mark.parametrize(
    ("lat", "lng", "message"),
    [
        ("35.681236", "139.767125", OUTSIDE),  # Tokyo
        ("25.03", "100.5", OUTSIDE),
        ("", "", "請在地圖上點選位置，或填寫緯度"),
        ("北緯25度", "121.5", "緯度請填數字"),
    ],
)
def test_bad_coordinates_are_refused_with_a_clear_message(client, caseworker, lat, lng, message):
    client.force_login(caseworker)
    response = client.post(reverse("dashboard:point_new"), form_data(latitude=lat, longitude=lng))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DropOffPoint.objects.exists()


def test_the_service_refuses_coordinates_outside_taiwan(caseworker):
    with pytest.raises(ValidationError) as exc:
        services.create_point(
            actor=caseworker,
            name="東京",
            address="東京",
            latitude=Decimal("35.68"),
            longitude=Decimal("139.76"),
            goods_accepted="-",
            opening_hours="-",
        )
    assert OUTSIDE in str(exc.value)
    assert not DropOffPoint.objects.exists()


def test_kinmen_and_matsu_are_in_taiwan(caseworker):
    for lat, lng in (("24.436", "118.318"), ("26.160", "119.951")):
        services.create_point(
            actor=caseworker,
            name=f"離島{lat}",
            address="離島",
            latitude=Decimal(lat),
            longitude=Decimal(lng),
            goods_accepted="白米",
            opening_hours="週一",
        )
    assert DropOffPoint.objects.count() == 2


def test_another_bureaus_caseworker_gets_404_and_cannot_edit(client, make_user, caseworker):
    point = DropOffPointFactory()
    client.force_login(caseworker)
    assert client.get(reverse("dashboard:point_edit", args=[point.pk])).status_code == 404
    assert client.post(reverse("dashboard:point_edit", args=[point.pk]), form_data()).status_code == 404
    with pytest.raises(ValidationError):
        services.update_point(point=point, actor=caseworker, name="改名")
    assert DropOffPoint.objects.get(pk=point.pk).name == point.name


def test_caseworker_edits_own_point_and_the_change_is_audited(client, caseworker, bureau):
    point = DropOffPointFactory(bureau=bureau)
    client.force_login(caseworker)
    response = client.post(reverse("dashboard:point_edit", args=[point.pk]), form_data(name="新名稱"))
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.name == "新名稱"
    event = AuditEvent.objects.get(action="dropoff_point.edited")
    assert "name" in event.changes


def test_staff_list_shows_own_bureau_or_all_for_the_social_welfare_bureau(
    client, make_user, caseworker, bureau
):
    mine = DropOffPointFactory(bureau=bureau, name="本局收件點")
    DropOffPointFactory(name="他局收件點")
    client.force_login(caseworker)
    html = client.get(reverse("dashboard:points")).content.decode()
    assert mine.name in html and "他局收件點" not in html
    reviewer = make_user(Role.SW_REVIEWER)
    client.force_login(reviewer)
    html = client.get(reverse("dashboard:points")).content.decode()
    assert "本局收件點" in html and "他局收件點" in html


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.CASEWORKER, True),
        (Role.SW_REVIEWER, True),
        (Role.SITE_ADMIN, True),
        (Role.DONOR, False),
        (Role.COMMITTEE, False),
        (Role.UNIT_OFFICER, False),
        (Role.VOLUNTEER, False),
    ],
)
def test_who_may_manage_points(make_user, role, allowed):
    assert permissions.can_manage_points(make_user(role)) is allowed


def test_the_form_has_a_map_picker_and_typed_inputs(client, caseworker):
    client.force_login(caseworker)
    html = client.get(reverse("dashboard:point_new")).content.decode()
    assert "data-coordinate-picker" in html
    assert 'id="id_latitude"' in html and 'id="id_longitude"' in html
    assert "dashboard/pick.js" in html
    assert 'name="bureau"' not in html  # caseworkers do not choose the bureau


def test_the_header_menu_offers_drop_off_points_to_those_who_manage_them(client, caseworker, make_user):
    client.force_login(caseworker)
    assert reverse("dashboard:points") in client.get(reverse("core:home")).content.decode()
    client.force_login(make_user(Role.DONOR))
    assert reverse("dashboard:points") not in client.get(reverse("core:home")).content.decode()
