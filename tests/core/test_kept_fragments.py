"""{% keep %} (core/templatetags/goodday.py): base.html's header, sign-in buttons, language list and
footer are rendered once per language and navigation state, and every page still shows its own."""

from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from core.templatetags import goodday
from tests.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db

FRAGMENT = (
    '{% load goodday %}{% keep "t" %}<a href="{% url \'core:home\' %}">home</a>'
    '<a href="/programs/"{% nav_current "/programs/" %}>programs</a>{% endkeep %}'
)


def render(path: str, source: str = FRAGMENT) -> str:
    return engines["django"].from_string(source).render({}, RequestFactory().get(path))


@pytest.fixture(autouse=True)
def _fresh():
    goodday.forget_kept()
    yield
    goodday.forget_kept()


def test_a_kept_fragment_is_rendered_once_per_navigation_state():
    from django import urls

    with mock.patch.object(urls, "reverse", wraps=urls.reverse) as reversing:
        assert (
            render("/programs/")
            == '<a href="/">home</a><a href="/programs/" aria-current="page">programs</a>'
        )
        assert (
            render("/programs/")
            == '<a href="/">home</a><a href="/programs/" aria-current="page">programs</a>'
        )
        assert reversing.call_count == 1  # the second page: the kept markup
        assert render("/programs/7/").endswith('<a href="/programs/" aria-current="true">programs</a>')
        assert render("/donations/give/").endswith('<a href="/programs/">programs</a>')
        assert render("/donations/pledges/GD1/pay/").endswith('<a href="/programs/">programs</a>')
        assert reversing.call_count == 3  # one render per state: page, section, elsewhere


def test_each_language_keeps_its_own_fragment():
    source = '{% load goodday i18n %}{% keep "t" %}{% translate "登入" %}{% endkeep %}'
    with translation.override("en"):
        assert render("/", source) == "Sign in"
    with translation.override("zh-hant"):
        assert render("/", source) == "登入"


def test_names_inside_a_kept_fragment_do_not_leak_into_the_page():
    source = '{% load goodday %}{% keep "t" %}{% url "core:home" as home %}{% endkeep %}[{{ home }}]'
    assert render("/", source) == "[]"


def test_pages_show_their_own_navigation_mark_and_language_choice(client):
    program = ProgramFactory(published=True)
    listing = client.get("/programs/").content.decode()
    detail = client.get(reverse("programs:detail", args=[program.pk])).content.decode()
    give = client.get(f"/donations/give/?program={program.pk}").content.decode()
    assert '<a href="/programs/" aria-current="page">' in listing
    assert '<a href="/programs/" aria-current="true">' in detail
    assert '<a href="/programs/">' in give and 'aria-current="true"' not in give
    assert f'name="next" type="hidden" value="/donations/give/?program={program.pk}"' in give
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(f"/donations/give/?program={program.pk}").content.decode()
    assert ">Sign in</a>" in english and '<option value="en" selected>' in english


def test_a_signed_in_persons_menu_is_never_kept(client, make_user):
    from accounts.roles import Role

    donor = make_user(Role.DONOR, name="王小明")
    client.get("/programs/")  # an anonymous reader first: the sign-in buttons kept
    client.force_login(donor)
    page = client.get("/programs/").content.decode()
    assert donor.name in page and 'href="/accounts/login/"' not in page
    assert not any(donor.name in markup for markup in goodday._kept.values())


def test_a_setting_change_drops_what_was_kept(settings):
    source = '{% load goodday %}{% keep "t" %}{{ CITY_NAME }}{% endkeep %}'
    assert render("/", source) == "臺北市"
    settings.CITY_NAME = "新北市"  # setting_changed
    assert render("/", source) == "新北市"


def test_without_a_request_nothing_is_kept():
    # No RequestContext, no context processors: such a render must never become every page's header.
    source = '{% load goodday %}{% keep "t" %}[{{ CITY_NAME }}]{% endkeep %}'
    assert engines["django"].from_string(source).render({}) == "[]"
    assert render("/", source) == "[臺北市]"
