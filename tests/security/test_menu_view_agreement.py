"""A menu never offers what its view refuses: for every role, each URL the role menu (every app's
``menu.py``) offers answers 200 to a user of that role, as made by the factories (a redirect is
followed: "my résumé" sends a volunteer on to their own page, never to the login page)."""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import resolve_url
from django.test import RequestFactory
from django.urls import reverse

from accounts.roles import Role
from core.context_processors import portal
from tests.accounts.factories import make_user
from tests.volunteers.factories import UnitFactory, officer_of


def _menu(user) -> list[dict]:
    request = RequestFactory().get("/")
    request.user = user
    return portal(request)["role_menu"]


def _refused(client, user) -> dict:
    client.force_login(user)
    refused = {}
    for item in _menu(user):
        response = client.get(item["url"], follow=True)
        final = response.redirect_chain[-1][0] if response.redirect_chain else item["url"]
        logins = (resolve_url(settings.LOGIN_URL), reverse("admin:login"))
        if response.status_code != 200 or final.startswith(logins):
            refused[item["url"]] = (response.status_code, final)
    return refused


def test_anonymous_visitors_are_offered_no_role_menu(db):
    assert _menu(AnonymousUser()) == []


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_page_the_menu_offers_a_role_opens_for_that_role(client, db, role):
    if role == Role.UNIT_OFFICER:
        user = officer_of(UnitFactory(approved=True))
    else:
        user = make_user(role)
    assert _menu(user), f"{role} is offered no menu"
    assert _refused(client, user) == {}, f"{role}: the menu offers pages its views refuse"


def test_an_officer_whose_unit_is_not_on_record_is_offered_only_what_opens(client, db):
    user = make_user(Role.UNIT_OFFICER)
    assert not any("/honor-cards/" in item["url"] for item in _menu(user))
    assert _refused(client, user) == {}


def test_a_site_admin_marked_staff_is_offered_the_admin_and_it_opens(client, db):
    user = make_user(Role.SITE_ADMIN, is_staff=True)
    assert reverse("admin:index") in [item["url"] for item in _menu(user)]
    assert _refused(client, user) == {}


def test_staff_views_ask_their_permission_predicates():
    """Every app's pages open by the same predicates (``permissions.py``, through ``allowed_by``) that
    their menus ask, not by a list of roles of their own (the old ``role_required``, now removed)."""
    from pathlib import Path

    from django.conf import settings

    root = Path(__file__).resolve().parents[2]
    guarded_by_roles = sorted(
        str(path.relative_to(root))
        for app in settings.PORTAL_APPS
        for path in (root / app).rglob("*views.py")
        if "role_required" in path.read_text(encoding="utf-8")
    )
    assert guarded_by_roles == []
