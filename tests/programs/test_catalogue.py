import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from programs import selectors
from programs.models import ProgramStatus
from tests.programs.factories import GoodsNeedFactory, ProgramFactory, ServiceNeedFactory, category

pytestmark = pytest.mark.django_db


def titles(response):
    return [p.title for p in response.context["page"]]


@pytest.fixture
def programs(bureau, other_bureau):
    elderly = category("elderly")
    today = timezone.localdate()
    made = {
        "meals": ProgramFactory(
            title="獨居長者送餐",
            category=elderly,
            bureau=bureau,
            published=True,
            money_target=1000,
            money_raised=900,
            ends_on=today + datetime.timedelta(days=5),
        ),
        "coats": ProgramFactory(
            title="兒童冬衣募集",
            bureau=other_bureau,
            published=True,
            money_target=0,
            ends_on=today + datetime.timedelta(days=50),
        ),
        "tutoring": ProgramFactory(
            title="課後輔導",
            bureau=bureau,
            published=True,
            money_target=50000,
            ends_on=today + datetime.timedelta(days=20),
        ),
        "closed": ProgramFactory(title="已結案方案", bureau=bureau, status=ProgramStatus.CLOSED),
        "draft": ProgramFactory(title="草稿方案", bureau=bureau),
        "submitted": ProgramFactory(title="送審中方案", bureau=bureau, status=ProgramStatus.SUBMITTED),
        "returned": ProgramFactory(title="退回方案", bureau=bureau, status=ProgramStatus.RETURNED),
    }
    GoodsNeedFactory(program=made["coats"], item="冬季外套")
    ServiceNeedFactory(program=made["tutoring"])
    return made


def test_the_public_sees_only_published_programs_by_default(client, programs):
    assert sorted(titles(client.get(reverse("programs:list")))) == sorted(
        ["獨居長者送餐", "兒童冬衣募集", "課後輔導"]
    )


def test_closed_programs_are_listed_under_closed(client, programs):
    assert titles(client.get(reverse("programs:list"), {"state": "closed"})) == ["已結案方案"]


@pytest.mark.parametrize("name", ["draft", "submitted", "returned"])
def test_unpublished_programs_are_404_to_the_public(client, programs, name):
    assert client.get(reverse("programs:detail", args=[programs[name].pk])).status_code == 404


def test_the_owning_caseworker_can_preview_a_draft(client, programs, caseworker):
    client.force_login(caseworker)
    assert client.get(reverse("programs:detail", args=[programs["draft"].pk])).status_code == 200


def test_filter_by_category(client, programs):
    assert titles(client.get(reverse("programs:list"), {"category": "elderly"})) == ["獨居長者送餐"]


def test_filter_by_bureau(client, programs, other_bureau):
    assert titles(client.get(reverse("programs:list"), {"bureau": other_bureau.pk})) == ["兒童冬衣募集"]


@pytest.mark.parametrize(
    ("need", "expected"),
    [("money", ["獨居長者送餐", "課後輔導"]), ("goods", ["兒童冬衣募集"]), ("services", ["課後輔導"])],
)
def test_filter_by_need_type(client, programs, need, expected):
    assert sorted(titles(client.get(reverse("programs:list"), {"need": need}))) == sorted(expected)


def test_sort_ending_soon_and_most_needed(client, programs):
    assert titles(client.get(reverse("programs:list"), {"sort": "ending_soon"})) == [
        "獨居長者送餐",
        "課後輔導",
        "兒童冬衣募集",
    ]
    # Most money still missing first: 49,900 left, then 100 left, then goods only.
    assert titles(client.get(reverse("programs:list"), {"sort": "most_needed"})) == [
        "課後輔導",
        "獨居長者送餐",
        "兒童冬衣募集",
    ]


@pytest.mark.parametrize(
    ("word", "expected"), [("長者", ["獨居長者送餐"]), ("冬衣", ["兒童冬衣募集"]), ("輔導", ["課後輔導"])]
)
def test_search_finds_a_chinese_word_in_the_title(client, programs, word, expected):
    assert titles(client.get(reverse("programs:list"), {"q": word})) == expected


def test_search_on_postgresql_is_backed_by_the_trigram_index(programs):
    if connection.vendor != "postgresql":
        pytest.skip("the trigram index is PostgreSQL's")
    assert selectors.trigram_index_exists()
    assert [p.title for p in selectors.catalogue(q="獨居")] == ["獨居長者送餐"]


def test_the_progress_bar_shows_money_raised(client, programs):
    html = client.get(reverse("programs:detail", args=[programs["meals"].pk])).content.decode()
    assert '<progress max="1000" value="900"' in html
    assert "NT$900 / 目標 NT$1,000（90%）" in html


def test_catalogue_queries_do_not_grow_with_the_number_of_programs(
    client, bureau, django_assert_max_num_queries
):
    for n in range(3):
        GoodsNeedFactory(program=ProgramFactory(bureau=bureau, published=True, title=f"方案{n}"))
    with django_assert_max_num_queries(8) as small:
        client.get(reverse("programs:list"))
    for n in range(3, 12):
        GoodsNeedFactory(program=ProgramFactory(bureau=bureau, published=True, title=f"方案{n}"))
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("programs:list"))


def test_program_page_queries_do_not_grow_with_needs_and_updates(
    client, bureau, caseworker, django_assert_max_num_queries
):
    from programs.models import ProgramUpdate

    program = ProgramFactory(bureau=bureau, published=True)
    for _ in range(10):
        GoodsNeedFactory(program=program)
        ServiceNeedFactory(program=program)
        ProgramUpdate.objects.create(
            program=program, posted_on=timezone.localdate(), title="更新", body="內容", posted_by=caseworker
        )
    # 8 for the page, 3 for what its money and goods became (spending lines, goods, hand-outs).
    with django_assert_max_num_queries(11):
        response = client.get(reverse("programs:detail", args=[program.pk]))
    assert response.status_code == 200


def test_public_pages_are_cached_and_refreshed_when_a_program_is_published(
    client, bureau, caseworker, make_user, django_capture_on_commit_callbacks
):
    from programs import services

    program = ProgramFactory(bureau=bureau, created_by=caseworker, title="新方案")
    GoodsNeedFactory(program=program)
    assert "新方案" not in client.get(reverse("programs:list")).content.decode()
    services.submit_program(program=program, actor=caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_program(program=program, actor=make_user(Role.SW_REVIEWER))
    assert "新方案" in client.get(reverse("programs:list")).content.decode()
