import pytest

pytestmark = pytest.mark.django_db


def test_pages_are_in_traditional_chinese_whatever_the_browser_asks(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-Hant">' in response.content.decode()
    assert response["Content-Language"] == "zh-hant"


def test_the_switch_sets_english_and_returns_to_the_page(client):
    response = client.get("/language/", {"language": "en", "next": "/privacy/"})
    assert response.status_code == 302
    assert response["Location"] == "/privacy/"
    page = client.get("/privacy/")
    assert '<html lang="en">' in page.content.decode()
    assert "Privacy and data retention" in page.content.decode()


def test_the_switch_refuses_to_redirect_to_another_site(client):
    response = client.get("/language/", {"language": "en", "next": "https://evil.example.com/"})
    assert response["Location"] == "/"


def test_an_unknown_language_is_ignored(client):
    client.get("/language/", {"language": "xx"})
    assert '<html lang="zh-Hant">' in client.get("/").content.decode()
