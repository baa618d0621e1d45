"""The home page asks: urgent and nearly-funded programs, goods most needed with the nearest drop-off
point, this month's figures and the latest updates — one cached page, invalidated by the services."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import OrganisationKind
from dashboard.models import DropOffPoint, PointRole
from donations import services as donation_services
from programs import services as program_services
from programs.models import ProgramUpdate
from programs.showcase import appeals, goods_most_needed, month_figures
from tests.accounts.factories import OrganisationFactory
from tests.donations.factories import PledgeFactory
from tests.programs.factories import GoodsNeedFactory, ProgramFactory, category

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_emergency_appeals_come_first_then_the_nearly_funded(client):
    far = ProgramFactory(published=True, title="剛開始募款", money_target=100000, money_raised=1000)
    near = ProgramFactory(published=True, title="快要募足", money_target=100000, money_raised=90000)
    ProgramFactory(published=True, title="已經募足", money_target=1000, money_raised=1000)
    urgent = ProgramFactory(
        published=True,
        title="颱風急難救助",
        category=category("emergency"),
        money_target=50000,
        money_raised=0,
    )
    ProgramFactory(title="草稿方案")  # never public
    assert [p.title for p in appeals()][:3] == [urgent.title, near.title, far.title]
    html = client.get("/").content.decode()
    part = section(html, "appeals-title")
    assert part.index("颱風急難救助") < part.index("快要募足") < part.index("剛開始募款")
    assert "草稿方案" not in part
    assert "急難" in part and 'max="100000" value="90000"' in part  # its progress, as a <progress>


def test_goods_most_needed_by_deadline_and_shortfall_with_the_nearest_dropoff_point(client):
    bureau = OrganisationFactory(kind=OrganisationKind.BUREAU)
    program = ProgramFactory(
        published=True, title="萬華送暖", latitude=25.0350, longitude=121.4999, place="臺北市萬華區"
    )
    GoodsNeedFactory(program=program, item="睡袋", quantity=100, quantity_accepted=90, deadline=days(5))
    GoodsNeedFactory(program=program, item="白米", quantity=100, quantity_accepted=0, deadline=days(5))
    GoodsNeedFactory(program=program, item="毛毯", quantity=50, quantity_accepted=0, deadline=days(20))
    GoodsNeedFactory(
        program=program, item="已募足的罐頭", quantity=10, quantity_accepted=10, deadline=days(1)
    )
    common = {"bureau": bureau, "goods_accepted": "白米", "opening_hours": "平日 9:00–17:00"}
    DropOffPoint.objects.create(
        name="萬華收件點", address="臺北市萬華區", latitude=25.0330, longitude=121.5000, **common
    )
    DropOffPoint.objects.create(
        name="北投收件點", address="臺北市北投區", latitude=25.1320, longitude=121.5010, **common
    )
    DropOffPoint.objects.create(
        name="萬華倉庫（只保管）",
        role=PointRole.CUSTODY,
        address="臺北市萬華區",
        latitude=25.0351,
        longitude=121.4998,
        **common,
    )
    rows = goods_most_needed()
    assert [r.need.item for r in rows] == ["白米", "睡袋", "毛毯"]
    assert {r.dropoff.name for r in rows} == {"萬華收件點"}
    assert rows[0].distance_km < 1
    part = section(client.get("/").content.decode(), "goods-title")
    part = part[: part.index("</table>")]  # the table (the list of every point below it is another test's)
    assert part.index("白米") < part.index("睡袋") < part.index("毛毯")
    assert "已募足的罐頭" not in part
    assert "萬華收件點" in part and "北投收件點" not in part and "只保管" not in part


def test_a_sensitive_programs_place_gives_no_distance(client):
    program = ProgramFactory(
        published=True, category=category("domestic-violence"), latitude=25.03, longitude=121.5
    )
    GoodsNeedFactory(program=program, item="衛生用品", deadline=days(3))
    DropOffPoint.objects.create(
        name="收件點",
        bureau=program.bureau,
        address="臺北市",
        latitude=25.03,
        longitude=121.5,
        goods_accepted="x",
        opening_hours="x",
    )
    [row] = goods_most_needed()
    assert row.dropoff.name == "收件點" and row.distance_km is None


def test_this_months_figures_are_the_dashboards(client):
    program = ProgramFactory(published=True)
    pledge = PledgeFactory(program=program, amount=1234)
    donation_services._mark_paid(pledge, paid_at=timezone.now(), channel="credit")
    keys = [f.key for f in month_figures()]
    today = timezone.localdate()
    assert keys[0] == f"month.{today.year}-{today.month:02d}.income"
    assert "programs_open" in keys
    part = section(client.get("/").content.decode(), "figures-title")
    assert "NT$1,234" in part
    assert "同公開徵信月報" in part  # the dashboard's definition is shown with the figure


def test_latest_updates_show_their_photos_with_the_caseworkers_alt_text(client, tmp_path):
    from tests.programs.test_sharing import png_upload

    program = ProgramFactory(published=True, title="送餐服務")
    update = ProgramUpdate(
        program=program,
        posted_on=timezone.localdate(),
        title="第一百份便當",
        body="謝謝大家",
        posted_by=program.created_by,
        photo_alt="志工把便當交給獨居長者",
    )
    update.photo.save("u.png", png_upload(), save=False)
    update.save()
    part = section(client.get("/").content.decode(), "updates-title")
    assert "第一百份便當" in part
    assert re.search(r'<img src="/media/programs/updates/[^"]+" alt="志工把便當交給獨居長者"', part)


def test_the_home_page_is_cached_and_refreshed_when_a_program_is_published(
    client, make_user, django_capture_on_commit_callbacks
):
    from accounts.roles import Role

    reviewer = make_user(Role.SW_REVIEWER)
    submitted = ProgramFactory(title="新送審的方案", status="submitted", money_target=1000)
    ProgramFactory(published=True, title="既有方案")
    assert "既有方案" in client.get("/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/")
    assert again.status_code == 200 and len(queries) == 0  # served whole from the page cache
    with django_capture_on_commit_callbacks(execute=True):
        program_services.approve_program(program=submitted, actor=reviewer)
    assert "新送審的方案" in client.get("/").content.decode()


def test_an_uncached_home_page_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for n in range(8):
        program = ProgramFactory(published=True, money_target=1000 * (n + 1))
        GoodsNeedFactory(program=program, deadline=days(n + 1))
        ProgramUpdate.objects.create(
            program=program,
            posted_on=timezone.localdate(),
            title=f"進度{n}",
            body="x",
            posted_by=program.created_by,
        )
    client.get("/")  # the dashboard's figures are computed once and cached on their own
    # Another URL of the same page (a shared link's tracking parameter) is rendered afresh.
    with django_assert_max_num_queries(8):
        assert client.get("/?utm_source=line").status_code == 200


def test_every_dropoff_point_is_listed_by_district_for_the_nearest_to_me_button(client):
    from programs.showcase import district_of

    assert district_of("臺北市萬華區東園街19號") == "萬華區"
    assert district_of("新北市板橋區中山路一段") == "板橋區"
    assert district_of("地址不詳") == "其他"
    program = ProgramFactory(published=True)
    GoodsNeedFactory(program=program, deadline=days(3))
    common = {"bureau": program.bureau, "goods_accepted": "白米", "opening_hours": "平日"}
    DropOffPoint.objects.create(
        name="信義收件點", address="臺北市信義區市府路1號", latitude=25.0375, longitude=121.5637, **common
    )
    DropOffPoint.objects.create(
        name="萬華收件點", address="臺北市萬華區東園街19號", latitude=25.0330, longitude=121.5000, **common
    )
    DropOffPoint.objects.create(
        name="只保管的倉庫",
        role=PointRole.CUSTODY,
        address="臺北市中山區",
        latitude=25.06,
        longitude=121.52,
        **common,
    )
    part = section(client.get("/").content.decode(), "goods-title")
    listed = re.findall(
        r'<li data-lat="([\d.]+)" data-lng="([\d.]+)" data-name="([^"]+)"><strong>([^<]+)</strong>', part
    )
    assert [(name, district) for _lat, _lng, name, district in listed] == [
        ("信義收件點", "信義區"),
        ("萬華收件點", "萬華區"),
    ]
    assert listed[1][:2] == ("25.033000", "121.500000")
    assert 'src="/static/core/nearest.js"' in client.get("/").content.decode()
