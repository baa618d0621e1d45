"""The welfare map: its points, filters, GeoJSON feed, list without JavaScript, and caching."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import OrganisationKind, Role
from dashboard import services
from programs.models import ProgramStatus
from tests.accounts.factories import OrganisationFactory
from tests.dashboard.factories import DropOffPointFactory
from tests.programs.factories import GoodsNeedFactory, ProgramFactory, ServiceNeedFactory, category
from tests.volunteers.factories import UnitFactory

pytestmark = pytest.mark.django_db

LAT, LNG = Decimal("25.040000"), Decimal("121.550000")


def geojson(client, **params):
    response = client.get(reverse("dashboard:map_points"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    return json.loads(response.content)


def names(data):
    return {f["properties"]["name"] for f in data["features"]}


@pytest.fixture
def places(db):
    children = ProgramFactory(
        published=True,
        category=category("children"),
        title="兒童冬衣",
        latitude=LAT,
        longitude=LNG,
        money_target=0,
    )
    GoodsNeedFactory(program=children)
    elderly = ProgramFactory(
        published=True, category=category("elderly"), title="長者送餐", latitude=LAT, longitude=LNG
    )
    ServiceNeedFactory(program=elderly)
    ProgramFactory(title="草稿不上地圖", latitude=LAT, longitude=LNG)
    ProgramFactory(status=ProgramStatus.SUBMITTED, title="待審不上地圖", latitude=LAT, longitude=LNG)
    ProgramFactory(published=True, title="沒有座標的方案")
    ProgramFactory(
        published=True, category=category("domestic-violence"), title="庇護方案", latitude=LAT, longitude=LNG
    )
    unit = UnitFactory(approved=True, latitude=LAT, longitude=LNG)
    UnitFactory(latitude=LAT, longitude=LNG)  # no approved plan
    point = DropOffPointFactory(name="信義收件點")
    DropOffPointFactory(name="已停用收件點", is_active=False)
    return {"children": children, "elderly": elderly, "unit": unit, "point": point}


def test_geojson_has_published_programs_units_and_dropoff_points(client, places):
    data = geojson(client)
    assert data["type"] == "FeatureCollection"
    assert names(data) == {"兒童冬衣", "長者送餐", places["unit"].organisation.name, "信義收件點"}
    feature = next(f for f in data["features"] if f["properties"]["name"] == "兒童冬衣")
    assert feature["geometry"] == {"type": "Point", "coordinates": [121.55, 25.04]}
    props = feature["properties"]
    assert props["kind"] == "program"
    assert props["category"] == "兒少福利"
    assert props["need_types"] == ["goods"]
    assert props["url"] == f"http://testserver{places['children'].get_absolute_url()}"
    kinds = {f["properties"]["name"]: f["properties"]["kind"] for f in data["features"]}
    assert kinds["信義收件點"] == "dropoff"
    assert kinds[places["unit"].organisation.name] == "unit"


def test_drafts_sensitive_categories_and_inactive_points_never_appear(client, places):
    data = geojson(client)
    for hidden in ("草稿不上地圖", "待審不上地圖", "沒有座標的方案", "庇護方案", "已停用收件點"):
        assert hidden not in names(data)
    page = client.get(reverse("dashboard:map")).content.decode()
    assert "庇護方案" not in page and "草稿不上地圖" not in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "children"}, {"兒童冬衣"}),
        ({"category": "elderly"}, {"長者送餐"}),
        ({"need": "goods"}, {"兒童冬衣", "信義收件點"}),
        ({"need": "money"}, {"長者送餐"}),
        ({"need": "services"}, {"長者送餐", "UNIT"}),
        ({"kind": "dropoff"}, {"信義收件點"}),
        ({"kind": "unit"}, {"UNIT"}),
        ({"kind": "program", "need": "services"}, {"長者送餐"}),
        (
            {"category": "nonsense", "need": "nonsense", "kind": "nonsense"},
            {"兒童冬衣", "長者送餐", "信義收件點", "UNIT"},
        ),
    ],
)
def test_filters_change_the_features_and_the_list_alike(client, places, params, expected):
    expected = {places["unit"].organisation.name if n == "UNIT" else n for n in expected}
    assert names(geojson(client, **params)) == expected
    page = client.get(reverse("dashboard:map"), params).content.decode()
    for name in {"兒童冬衣", "長者送餐", "信義收件點", places["unit"].organisation.name}:
        assert (f">{name}<" in page) == (name in expected), name


def test_the_list_works_without_javascript_and_links_the_same_feed(client, places):
    response = client.get(reverse("dashboard:map"), {"need": "goods"})
    html = response.content.decode()
    assert 'method="get"' in html
    assert f'id="program-{places["children"].pk}"' in html
    assert f'id="dropoff-{places["point"].pk}"' in html
    assert 'data-points-url="/map/points.geojson?need=goods"' in html
    assert "<script>" not in html and "style=" not in html


def test_map_page_makes_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(15):
        program = ProgramFactory(published=True, latitude=LAT, longitude=LNG)
        GoodsNeedFactory(program=program)
        UnitFactory(approved=True, latitude=LAT, longitude=LNG)
        DropOffPointFactory()
    with django_assert_max_num_queries(12):
        response = client.get(reverse("dashboard:map"))
    assert response.status_code == 200
    assert response.content.decode().count('class="point point--') == 45
    with django_assert_max_num_queries(12):
        assert len(geojson(client, kind="program")["features"]) == 15


def test_anonymous_cache_never_serves_staff_links(client, make_user, places):
    staff = make_user(
        Role.SW_REVIEWER, organisation=OrganisationFactory(kind=OrganisationKind.SOCIAL_WELFARE_BUREAU)
    )
    client.force_login(staff)
    assert "管理物資收件／保管點" in client.get(reverse("dashboard:map")).content.decode()
    client.logout()
    html = client.get(reverse("dashboard:map")).content.decode()
    assert "管理物資收件／保管點" not in html
    client.force_login(staff)
    assert "管理物資收件／保管點" in client.get(reverse("dashboard:map")).content.decode()


def test_a_new_dropoff_point_shows_on_the_cached_map_at_once(
    client, make_user, django_capture_on_commit_callbacks
):
    bureau = OrganisationFactory(kind=OrganisationKind.BUREAU)
    caseworker = make_user(Role.CASEWORKER, organisation=bureau)
    assert "大安收件點" not in client.get(reverse("dashboard:map")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.create_point(
            actor=caseworker,
            name="大安收件點",
            address="臺北市大安區",
            latitude=Decimal("25.026"),
            longitude=Decimal("121.543"),
            goods_accepted="白米",
            opening_hours="週一至週五",
        )
    assert "大安收件點" in client.get(reverse("dashboard:map")).content.decode()
    assert "大安收件點" in names(geojson(client))


def test_a_unit_appears_on_the_cached_map_once_its_plan_is_approved(
    client, make_user, django_capture_on_commit_callbacks
):
    from tests.volunteers.factories import PlanFactory, UnitFactory
    from volunteers.models import PlanStatus
    from volunteers.units import services as volunteer_services

    unit = UnitFactory(latitude=Decimal("25.04"), longitude=Decimal("121.56"))
    plan = PlanFactory(unit=unit, status=PlanStatus.CENTRE_APPROVED)
    caseworker = make_user(Role.CASEWORKER, organisation=unit.organisation.competent_bureau)
    assert unit.name not in client.get(reverse("dashboard:map")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        volunteer_services.approve_plan_second_review(plan=plan, actor=caseworker)
    assert unit.name in client.get(reverse("dashboard:map")).content.decode()
    assert unit.name in names(geojson(client))
