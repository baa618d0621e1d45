"""The fast path of cached anonymous pages (core/fastpage.py): who gets it, who never does, and that
its answer carries exactly the headers of the slow path."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from accounts.roles import Role
from core import fastpage
from core.pagecache import invalidate, version_key

pytestmark = pytest.mark.django_db

# Differs on every request by design (ops.middleware): the only header allowed to differ.
PER_REQUEST = {"X-Request-ID"}


def fast(response) -> bool:
    """Served by the fast path: the stack below it (sessions, authentication) never saw the request."""
    return not hasattr(response.wsgi_request, "user")


def headers(response) -> dict:
    return {name: value for name, value in response.headers.items() if name not in PER_REQUEST}


def forget_everything():
    cache.clear()
    fastpage.forget_local()


def test_the_second_anonymous_reader_is_answered_by_the_fast_path_with_the_same_page(
    client, django_assert_num_queries
):
    first = client.get("/")
    assert first.status_code == 200 and not fast(first)
    with django_assert_num_queries(0):
        second = client.get("/")
    assert fast(second)
    assert second.content == first.content
    assert headers(second) == headers(first)


def test_fast_answers_carry_the_slow_paths_security_headers(client, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    slow = client.get("/programs/", secure=True)
    quick = client.get("/programs/", secure=True)
    assert fast(quick) and not fast(slow)
    assert headers(quick) == headers(slow)
    for name in (
        "Content-Security-Policy",
        "Strict-Transport-Security",
        "X-Frame-Options",
        "Referrer-Policy",
        "X-Content-Type-Options",
        "Cross-Origin-Opener-Policy",
        "Content-Language",
        "Vary",
    ):
        assert quick.has_header(name), name


def test_a_page_stored_over_http_gets_hsts_when_served_over_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    client.get("/programs/")  # stored by a plain-HTTP request: no HSTS on it
    quick = client.get("/programs/", secure=True)
    forget_everything()
    slow = client.get("/programs/", secure=True)
    assert fast(quick) and not fast(slow)
    assert headers(quick) == headers(slow)
    assert "max-age=3600" in quick["Strict-Transport-Security"]


def test_anonymous_public_pages_may_be_shared_for_a_short_while(client, settings):
    settings.PUBLIC_PAGE_MAX_AGE = 7
    assert client.get("/")["Cache-Control"] == "public, max-age=7"
    assert client.get("/")["Cache-Control"] == "public, max-age=7"


def test_a_signed_in_user_never_gets_the_cached_anonymous_page(client, make_user):
    client.get("/")
    client.get("/")
    client.force_login(make_user(Role.DONOR))
    response = client.get("/")
    assert not fast(response)
    assert response.wsgi_request.user.is_authenticated
    assert response["Cache-Control"] == "private, no-store"


def test_any_session_cookie_takes_the_slow_path(client, settings):
    client.get("/")
    client.get("/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "not-a-session"
    response = client.get("/")
    assert not fast(response)
    assert response["Cache-Control"] == "private, no-store"  # a guest's own answer is never shared


def test_pending_messages_take_the_slow_path(client):
    client.get("/")
    client.get("/")
    client.cookies["messages"] = "anything"
    response = client.get("/")
    assert not fast(response)


def test_a_post_is_never_answered_from_the_cache(client):
    client.get("/")
    client.get("/")
    assert not fast(client.post("/"))


def test_each_language_has_its_own_page(client, settings):
    zh = client.get("/")
    client.get("/")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get("/")
    assert not fast(en)
    assert en["Content-Language"] == "en" and zh["Content-Language"] == "zh-hant"
    assert en.content != zh.content
    again = client.get("/")
    assert fast(again) and again["Content-Language"] == "en"


def test_an_unknown_language_cookie_gets_the_default_language_page(client, settings):
    client.get("/")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    response = client.get("/")
    assert fast(response) and response["Content-Language"] == "zh-hant"


def test_an_invalidated_page_is_rendered_again(client, django_capture_on_commit_callbacks):
    client.get("/programs/")
    assert fast(client.get("/programs/"))
    with django_capture_on_commit_callbacks(execute=True):
        invalidate("programs")
    assert not fast(client.get("/programs/"))
    assert fast(client.get("/programs/"))


def test_another_process_invalidation_is_seen_after_the_recheck_interval(client, settings):
    client.get("/programs/")
    settings.FAST_PAGE_RECHECK_SECONDS = 60
    assert fast(client.get("/programs/"))  # now held in this process's memory
    cache.incr(version_key("programs"))  # as another process's invalidation does: no listener here
    assert fast(client.get("/programs/"))  # within the interval: served from memory
    fastpage._local.update({k: (0.0, entry) for k, (_, entry) in fastpage._local.items()})  # interval over
    assert not fast(client.get("/programs/"))


def test_with_no_recheck_interval_every_request_asks_redis(client, settings):
    settings.FAST_PAGE_RECHECK_SECONDS = 0
    client.get("/programs/")
    assert fast(client.get("/programs/"))
    cache.incr(version_key("programs"))
    assert not fast(client.get("/programs/"))


def test_a_disallowed_host_is_refused_even_for_a_cached_page(client):
    client.get("/")
    assert client.get("/", headers={"host": "evil.example.com"}).status_code == 400


def test_while_the_cache_is_degraded_pages_are_rendered_and_not_shared(client, monkeypatch):
    client.get("/")
    monkeypatch.setattr(fastpage, "is_degraded", lambda cache: True)
    monkeypatch.setattr("core.pagecache.is_degraded", lambda cache: True)
    response = client.get("/")
    assert not fast(response)
    assert response["Cache-Control"] == "private, no-store"


def test_pages_that_are_not_shared_say_private_no_store(client):
    response = client.get("/donations/give/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_view_that_sets_cache_control_keeps_it(client):
    response = client.get("/healthz")
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_with_redis_unreachable_pages_render_uncached_and_are_not_shared(client):
    client.get("/")
    fastpage.forget_local()
    down = {"default": {"BACKEND": "core.cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    with override_settings(CACHES=down):
        responses = [client.get("/") for _ in range(3)]
    for response in responses:
        assert response.status_code == 200 and not fast(response)
        assert response["Cache-Control"] == "private, no-store"
