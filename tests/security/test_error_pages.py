"""Branded error pages in both languages that leak nothing (production shows them with DEBUG off)."""

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def in_english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.mark.parametrize(
    ("english", "title"), [(False, "找不到這個頁面"), (True, "Page not found")], ids=["zh-hant", "en"]
)
def test_404_is_branded_in_the_readers_language(client, english, title):
    if english:
        in_english(client)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert title in html
    assert "Not Found</h1>" not in html  # not Django's bare page
    assert "/no-such-page/" not in html  # nothing echoed back


def test_400_is_branded(client):
    response = client.get(reverse("programs:list"), {"q": "\x00"})
    assert response.status_code == 400
    assert "無法處理這個請求" in response.content.decode()


def test_403_is_branded_and_names_no_rule(client, make_user):
    client.force_login(make_user(Role.DONOR))
    response = client.get(reverse("audit:list"))
    assert response.status_code == 403
    assert "沒有權限" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "title"), [("zh-hant", "系統暫時發生錯誤"), ("en", "Something went wrong")]
)
def test_500_is_branded_in_both_languages_and_needs_no_database(language, title):
    request = RequestFactory().get("/")
    with translation.override(language):
        response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert title in html
    assert "Traceback" not in html and "Server Error (500)" not in html
