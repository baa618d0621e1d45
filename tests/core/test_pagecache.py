import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.roles import Role
from core.pagecache import cache_public_page, invalidate

pytestmark = pytest.mark.django_db

calls = []


@cache_public_page("things")
def view(request):
    calls.append(1)
    return HttpResponse(f"render {len(calls)}")


def get(user=None, path="/things/"):
    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    return view(request)


@pytest.fixture(autouse=True)
def _reset():
    calls.clear()


def test_anonymous_pages_are_served_from_the_cache():
    assert get().content == b"render 1"
    assert get().content == b"render 1"
    assert len(calls) == 1


def test_each_query_string_is_its_own_page():
    get(path="/things/?page=1")
    get(path="/things/?page=2")
    assert len(calls) == 2


def test_a_long_odd_query_string_is_kept_under_a_short_key_without_warnings(recwarn):
    path = "/things/?q=" + "%25_" * 300 + "&page=10000-01-01 x"
    assert get(path=path).content == b"render 1"
    assert get(path=path).content == b"render 1"
    assert get(path=path + "y").content == b"render 2"  # still its own page
    assert not [w for w in recwarn.list if w.category.__name__ == "CacheKeyWarning"]


def test_invalidating_the_namespace_renders_the_page_again(django_capture_on_commit_callbacks):
    get()
    with django_capture_on_commit_callbacks(execute=True):
        invalidate("things")
    assert get().content == b"render 2"


def test_signed_in_users_are_never_served_cached_pages(make_user):
    get()
    assert get(make_user(Role.DONOR)).content == b"render 2"


def test_the_home_page_is_cached_for_anonymous_visitors_without_cookies(client, django_assert_num_queries):
    first = client.get("/")
    assert first.status_code == 200
    assert not first.cookies  # no CSRF cookie on a public page, or it could not be shared
    with django_assert_num_queries(0):
        assert client.get("/").content == first.content


# --- Money arriving: invalidations coalesced per window (PAGE_CACHE_COALESCE_SECONDS) ------------


def gift_arrives(capture):
    with capture(execute=True):
        invalidate("things", coalesce=True)


def test_the_first_gift_shows_at_once(django_capture_on_commit_callbacks, settings):
    settings.PAGE_CACHE_COALESCE_SECONDS = 5
    get()
    gift_arrives(django_capture_on_commit_callbacks)
    assert get().content == b"render 2"


def test_a_burst_of_gifts_renders_the_page_once_per_window(django_capture_on_commit_callbacks, settings):
    settings.PAGE_CACHE_COALESCE_SECONDS = 5
    get()
    for _ in range(20):
        gift_arrives(django_capture_on_commit_callbacks)
        get()
    assert len(calls) == 2  # before the surge, and once after its first gift


def test_a_gift_inside_the_window_shows_by_the_windows_end(django_capture_on_commit_callbacks, settings):
    settings.PAGE_CACHE_COALESCE_SECONDS = 2
    gift_arrives(django_capture_on_commit_callbacks)  # opens the window
    assert get().content == b"render 1"
    gift_arrives(django_capture_on_commit_callbacks)  # inside it: no bump
    assert get().content == b"render 1"
    time.sleep(2.05)
    assert get().content == b"render 2"
    assert get().content == b"render 2"  # rendered after the window: kept as usual


def test_pages_stored_while_a_window_is_open_expire_by_its_end(django_capture_on_commit_callbacks, settings):
    settings.PAGE_CACHE_COALESCE_SECONDS = 5
    gift_arrives(django_capture_on_commit_callbacks)
    request = RequestFactory().get("/things/")
    request.user = AnonymousUser()
    view(request)
    assert 0 < request.public_page_timeout <= 5  # the fast path's copy expires with it


def test_changes_made_by_people_still_show_at_once_inside_a_window(
    django_capture_on_commit_callbacks, settings
):
    settings.PAGE_CACHE_COALESCE_SECONDS = 5
    gift_arrives(django_capture_on_commit_callbacks)
    get()
    with django_capture_on_commit_callbacks(execute=True):
        invalidate("things")
    assert get().content == b"render 2"


def test_without_a_window_every_gift_shows_at_once(django_capture_on_commit_callbacks, settings):
    settings.PAGE_CACHE_COALESCE_SECONDS = 0
    get()
    gift_arrives(django_capture_on_commit_callbacks)
    get()
    gift_arrives(django_capture_on_commit_callbacks)
    assert get().content == b"render 3"
