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
