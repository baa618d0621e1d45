"""The header's menu offers each kind of user their corporate and large-event pages."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from corporate.menu import items_for as corporate_items
from largeevents.menu import items_for as largeevent_items
from tests.accounts.factories import make_user
from tests.corporate.factories import company_team
from tests.volunteers.factories import UnitFactory, centre_staff, officer_of

pytestmark = pytest.mark.django_db


def urls(items):
    return [i["url"] for i in items]


def test_the_coordinator_is_offered_the_team_and_its_report():
    team = company_team()
    assert urls(corporate_items(team.coordinator)) == [
        reverse("corporate:team_detail", args=[team.pk]),
        reverse("corporate:report", args=[team.pk]),
    ]


def test_a_personal_account_is_offered_registration_and_matchers_the_team_list():
    assert urls(corporate_items(make_user(Role.DONOR))) == [reverse("corporate:home")]
    assert urls(corporate_items(centre_staff())) == [reverse("corporate:team_list")]
    assert corporate_items(make_user(Role.COMMITTEE)) == []


def test_organisers_reviewers_and_the_centre_are_offered_the_large_event_plans():
    for user in (officer_of(UnitFactory()), make_user(Role.CASEWORKER), centre_staff()):
        assert urls(largeevent_items(user)) == [reverse("largeevents:list")]
    assert largeevent_items(make_user(Role.DONOR)) == []


def test_the_menu_appears_in_the_page_header(client):
    team = company_team()
    client.force_login(team.coordinator)
    assert reverse("corporate:report", args=[team.pk]) in client.get("/").content.decode()
