"""The board (filters, Chinese search, cache), the opportunity page (structured data), applying
and withdrawing through the pages, the officer's pages, and the open data."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from opportunities import applications
from opportunities.models import Application, ApplicationStatus, Opportunity, OpportunityStatus
from tests.accounts.factories import make_user
from tests.opportunities.factories import citizen, identity, open_opportunity, opportunity_fields
from tests.volunteers.factories import UnitFactory, officer_of

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [o.title for o in response.context["page"]]


def test_the_board_lists_open_opportunities_only(client):
    shown = open_opportunity(title="公園淨灘")
    open_opportunity(title="草稿招募", publish=False)
    closed = open_opportunity(title="已結束招募")
    closed.status = OpportunityStatus.CLOSED
    closed.save()
    past = open_opportunity(title="過去的招募")
    Opportunity.objects.filter(pk=past.pk).update(
        starts_on=timezone.localdate() - datetime.timedelta(days=3),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    response = client.get(reverse("opportunities:board"))
    assert titles(response) == [shown.title]


def test_the_board_filters_by_district_domain_kind_suitability_and_date(client):
    today = timezone.localdate()
    a = open_opportunity(title="萬華共餐", suits_family=True)
    b = open_opportunity(
        title="北投課輔",
        venue="臺北市北投區中和街1號",
        domain="education",
        kind="regular",
        starts_on=today + datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=40),
        suits_senior=False,
        suits_youth=True,
    )
    url = reverse("opportunities:board")
    assert titles(client.get(url, {"district": "北投區"})) == [b.title]
    assert titles(client.get(url, {"domain": "education"})) == [b.title]
    assert titles(client.get(url, {"kind": "one_off"})) == [a.title]
    assert titles(client.get(url, {"suits": "family"})) == [a.title]
    assert titles(client.get(url, {"date": (today + datetime.timedelta(days=20)).isoformat()})) == [b.title]
    # unknown values mean "all", never an error
    assert len(titles(client.get(url, {"district": "火星區", "domain": "x", "date": "9999-99-99"}))) == 2


def test_chinese_search_matches_words_anywhere_and_tai_variants(client):
    open_opportunity(title="臺灣馬拉松補給站", description="提供水與香蕉")
    open_opportunity(title="長者共餐", description="陪伴用餐")
    url = reverse("opportunities:board")
    assert titles(client.get(url, {"q": "台灣"})) == ["臺灣馬拉松補給站"]
    assert titles(client.get(url, {"q": "香蕉 補給"})) == ["臺灣馬拉松補給站"]
    assert titles(client.get(url, {"q": "陪伴"})) == ["長者共餐"]
    assert titles(client.get(url, {"q": "不存在的字"})) == []


def test_odd_search_input_is_harmless(client):
    open_opportunity()
    url = reverse("opportunities:board")
    assert client.get(url, {"q": "%_" * 500}).status_code == 200
    assert client.get(url, {"q": "a\x00b"}).status_code == 400  # refused before any view (NUL bytes)
    assert client.get(url, {"page": "99999999999999999999"}).status_code == 200


def test_the_board_makes_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    unit = UnitFactory(approved=True)
    officer = officer_of(unit)
    for n in range(8):
        open_opportunity(unit, officer, title=f"招募{n}")
    with django_assert_max_num_queries(8):
        assert client.get(reverse("opportunities:board")).status_code == 200


def test_the_board_is_cached_for_visitors_and_refreshed_when_an_opportunity_changes(
    client, settings, django_capture_on_commit_callbacks
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    opportunity = open_opportunity(title="第一版標題")
    url = reverse("opportunities:board")
    assert "第一版標題" in client.get(url).content.decode()
    Opportunity.objects.filter(pk=opportunity.pk).update(title="偷改的標題")
    assert "第一版標題" in client.get(url).content.decode()  # served from the cache
    from opportunities import services

    with django_capture_on_commit_callbacks(execute=True):
        services.update_opportunity(opportunity=opportunity, actor=opportunity.officer, title="第二版標題")
    assert "第二版標題" in client.get(url).content.decode()


def test_the_opportunity_page_carries_structured_data(client):
    opportunity = open_opportunity(title="<script>alert(1)</script>淨灘")
    body = client.get(reverse("opportunities:detail", args=[opportunity.pk])).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "JobPosting" and data["employmentType"] == "VOLUNTEER"
    assert data["title"] == opportunity.title and data["validThrough"] == opportunity.ends_on.isoformat()
    assert "<script>alert" not in block  # escaped inside the data block


def test_a_draft_is_hidden_from_everybody_but_its_unit(client):
    draft = open_opportunity(publish=False)
    url = reverse("opportunities:detail", args=[draft.pk])
    assert client.get(url).status_code == 404
    client.force_login(officer_of(UnitFactory(approved=True)))
    assert client.get(url).status_code == 404
    client.force_login(draft.officer)
    assert client.get(url).status_code == 200


def test_applying_through_the_page(client):
    opportunity = open_opportunity()
    user = citizen()
    client.force_login(user)
    url = reverse("opportunities:apply", args=[opportunity.pk])
    shift = opportunity.shifts.get()
    response = client.post(url, {"name": "陳小華", "phone": "0912", "shifts": [shift.pk], **identity()})
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.applicant == user and list(application.shifts.all()) == [shift]
    # a second visit goes to the list of one's applications
    assert client.get(url).url == reverse("opportunities:my_applications")


@pytest.mark.parametrize(
    "data",
    [
        {"identity_number": "A1234"},
        {"identity_number": "x" * 10_000},
        {"birth_date": "2999-01-01"},
        {"birth_date": "0000-00-00"},
        {"answer": "長" * 5000},
        {"shifts": ["999999"]},
    ],
)
def test_bad_application_input_shows_a_message_and_saves_nothing(client, data):
    opportunity = open_opportunity()
    client.force_login(citizen())
    response = client.post(
        reverse("opportunities:apply", args=[opportunity.pk]), {"name": "陳小華", **identity(), **data}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Application.objects.exists()


def test_staff_get_403_on_the_apply_page(client):
    opportunity = open_opportunity()
    client.force_login(make_user(Role.CASEWORKER))
    assert client.get(reverse("opportunities:apply", args=[opportunity.pk])).status_code == 403


def test_withdrawing_someone_elses_application_is_404(client):
    opportunity = open_opportunity()
    application = applications.apply(opportunity=opportunity, user=citizen(), **identity())
    client.force_login(citizen(email="other@example.org"))
    assert client.post(reverse("opportunities:withdraw", args=[application.pk])).status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_officer_posts_publishes_and_decides_through_the_pages(client):
    unit = UnitFactory(approved=True)
    officer = officer_of(unit)
    client.force_login(officer)
    fields = {k: ("" if v is None else v) for k, v in opportunity_fields().items()}
    fields = {k: v for k, v in fields.items() if v is not False}
    response = client.post(reverse("opportunities:manage_new"), fields)
    assert response.status_code == 302, response.context["form"].errors
    opportunity = Opportunity.objects.get()
    client.post(reverse("opportunities:manage_status", args=[opportunity.pk]), {"action": "publish"})
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.PUBLISHED
    application = applications.apply(opportunity=opportunity, user=citizen(), **identity())
    response = client.post(reverse("opportunities:decide", args=[application.pk]), {"action": "decline"})
    assert response.status_code == 200 and "message" in response.context["form"].errors
    client.post(
        reverse("opportunities:decide", args=[application.pk]), {"action": "waitlist", "message": "候補"}
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WAITLISTED


def test_an_officer_cannot_open_another_units_opportunity_or_application(client):
    opportunity = open_opportunity()
    application = applications.apply(opportunity=opportunity, user=citizen(), **identity())
    client.force_login(officer_of(UnitFactory(approved=True)))
    assert client.get(reverse("opportunities:manage_detail", args=[opportunity.pk])).status_code == 404
    assert client.get(reverse("opportunities:decide", args=[application.pk])).status_code == 404
    assert (
        client.post(
            reverse("opportunities:manage_status", args=[opportunity.pk]), {"action": "close"}
        ).status_code
        == 404
    )


def test_bad_opportunity_input_on_the_form_saves_nothing(client):
    unit = UnitFactory(approved=True)
    client.force_login(officer_of(unit))
    fields = {k: ("" if v is None else v) for k, v in opportunity_fields(capacity=0, title="\u3000").items()}
    fields = {k: v for k, v in fields.items() if v is not False}
    response = client.post(reverse("opportunities:manage_new"), {**fields, "starts_on": "99999-01-01"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Opportunity.objects.exists()


def test_open_data_json_and_csv_list_open_opportunities_without_personal_data(client):
    opportunity = open_opportunity(title="開放資料招募")
    applications.apply(opportunity=opportunity, user=citizen(name="秘密姓名"), **identity())
    open_opportunity(title="草稿", publish=False)
    data = client.get(reverse("api-opportunities")).json()
    assert [d["title"] for d in data] == ["開放資料招募"]
    assert data[0]["district"] == "萬華區" and data[0]["capacity"] == 2
    csv_text = client.get(reverse("opportunities:open_data_csv")).content.decode("utf-8-sig")
    assert "開放資料招募" in csv_text and "草稿" not in csv_text and "秘密姓名" not in csv_text
    schema = client.get(reverse("api-schema")).content.decode()
    assert "opportunities_open" in schema


def test_open_opportunities_are_on_the_welfare_map_and_drafts_are_not(client):
    shown = open_opportunity(title="地圖上的招募")
    open_opportunity(title="地圖草稿", publish=False)
    data = client.get(reverse("dashboard:map_points"), {"kind": "opportunity"}).json()
    assert [f["properties"]["name"] for f in data["features"]] == [shown.title]
    assert data["features"][0]["properties"]["url"].endswith(reverse("opportunities:detail", args=[shown.pk]))


def test_the_open_data_csv_defuses_spreadsheet_formulas(client):
    open_opportunity(title='=HYPERLINK("http://evil")')
    csv_text = client.get(reverse("opportunities:open_data_csv")).content.decode("utf-8-sig")
    assert ",=HYPERLINK" not in csv_text and "'=HYPERLINK" in csv_text


def test_the_officers_page_and_my_applications_make_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    opportunity = open_opportunity(capacity=20)
    people = [citizen(email=f"p{n}@example.org") for n in range(6)]
    for n, person in enumerate(people):
        applications.apply(
            opportunity=opportunity, user=person, shifts=list(opportunity.shifts), **identity(n)
        )
    client.force_login(opportunity.officer)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("opportunities:manage_detail", args=[opportunity.pk])).status_code == 200
    client.force_login(people[0])
    with django_assert_max_num_queries(20):
        assert client.get(reverse("opportunities:my_applications")).status_code == 200
