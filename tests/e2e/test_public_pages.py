import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_is_in_traditional_chinese_and_accessible(live_server, page):
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")
    expect(page.get_by_role("heading", level=1)).to_contain_text("好日子")
    assert_accessible(page, label="home")


def test_skip_link_is_the_first_stop_for_keyboard_users(live_server, page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "跳到主要內容" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_language_switch_shows_english(live_server, page):
    page.goto(live_server.url + "/")
    page.get_by_label("語言").select_option("en")
    page.get_by_role("button", name="切換").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_an_english_browser_still_gets_traditional_chinese_first(live_server, browser):
    context = browser.new_context(locale="en-US", extra_http_headers={"Accept-Language": "en-US,en;q=0.9"})
    page = context.new_page()
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")
    context.close()


@pytest.mark.parametrize("path", ["/", "/programs/", "/disclosure/", "/dashboard/", "/map/", "/honor-cards/"])
def test_public_pages_break_no_content_security_policy_rule(live_server, page, path):
    """Our CSP allows our own scripts and styles only: nothing on a page may need an exception."""
    violations = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and violations.append(message.text),
    )
    page.goto(live_server.url + path)
    page.wait_for_load_state("networkidle")
    assert not violations, violations
