"""Search finds what people type: title, summary, category, need items, bureau and place, ranked,
with common variants (臺/台, 老人/長者). Runs on SQLite and, with DATABASE_URL, on PostgreSQL
(where the trigram indexes serve the LIKEs and trigram similarity breaks ties)."""

import pytest
from django.db import connection
from django.urls import reverse

from accounts.roles import OrganisationKind
from programs import selectors
from programs.search import variants
from tests.accounts.factories import OrganisationFactory
from tests.programs.factories import GoodsNeedFactory, ProgramFactory, ServiceNeedFactory, category

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    health = OrganisationFactory(kind=OrganisationKind.BUREAU, name="臺北市政府衛生局", short_name="衛生局")
    social = OrganisationFactory(kind=OrganisationKind.BUREAU, name="臺北市政府社會局", short_name="社會局")
    rescue = ProgramFactory(
        bureau=social, category=category("emergency"), published=True, title="火災受災戶安置", place="萬華區"
    )
    wheel = ProgramFactory(
        bureau=health, category=category("disability"), published=True, title="行動輔具補助"
    )
    GoodsNeedFactory(program=wheel, item="輪椅")
    meals = ProgramFactory(
        bureau=social,
        category=category("elderly"),
        published=True,
        title="獨居長者送餐",
        summary="為台北市獨居老人送餐",
        place="臺北市大安區",
    )
    ServiceNeedFactory(program=meals, description="陪伴長輩散步")
    mention = ProgramFactory(
        bureau=health,
        category=category("other"),
        published=True,
        title="社區健康講座",
        summary="長者也歡迎參加",
    )
    return {"rescue": rescue, "wheel": wheel, "meals": meals, "mention": mention}


def found(text):
    return [p.title for p in selectors.catalogue(q=text)]


def test_a_category_name_finds_its_programs(world):
    assert found("急難") == ["火災受災戶安置"]


def test_need_items_goods_and_services_are_searched(world):
    assert found("輪椅") == ["行動輔具補助"]
    assert found("散步") == ["獨居長者送餐"]


def test_bureau_and_place_are_searched(world):
    assert set(found("衛生局")) == {"行動輔具補助", "社區健康講座"}
    assert found("萬華") == ["火災受災戶安置"]


def test_common_variants_find_the_same_programs(world):
    assert found("台北") == found("臺北")
    assert "獨居長者送餐" in found("台北")
    assert found("老人")[0] == "獨居長者送餐"
    assert set(found("老人")) == set(found("長者"))


def test_matches_are_ranked_title_before_summary(world):
    assert found("長者") == ["獨居長者送餐", "社區健康講座"]


def test_every_word_must_match(world):
    assert found("長者 送餐") == ["獨居長者送餐"]
    assert found("長者 輪椅") == []


def test_variants_are_bounded():
    assert variants("臺北") == ["臺北", "台北"]
    assert len(variants("臺臺臺臺臺臺臺臺臺臺臺臺臺臺臺")) <= 12


def test_the_catalogue_page_searches_and_keeps_its_query_count(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get(reverse("programs:list"), {"q": "急難"})
    assert [p.title for p in response.context["page"]] == ["火災受災戶安置"]


def test_on_postgresql_search_uses_trigram_similarity(world):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (the SQLite run covers the fallback)")
    assert selectors.trigram_index_exists()
    programs = list(selectors.catalogue(q="長者"))
    assert all(hasattr(p, "search_rank") for p in programs)
    assert programs[0].title == "獨居長者送餐"
