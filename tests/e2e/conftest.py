"""End-to-end tests: Debian's Chromium driven by Playwright against Django's live test server.

Never `playwright install`: the browser is the system's /usr/bin/chromium.
"""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body
# are still plain synchronous calls, so allow them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-TW", "timezone_id": "Asia/Taipei", "viewport": DESKTOP}


_axe = Axe()


def assert_accessible(page, *, label: str = ""):
    """axe-core's WCAG 2.1 A/AA rules at desktop and phone widths: no serious or critical violation."""
    original = page.viewport_size
    problems = []
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        results = _axe.run(
            page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
        )
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"]][:3]
                problems.append(f"{size['width']}px {violation['id']} ({violation['impact']}): {targets}")
    if original:
        page.set_viewport_size(original)
    assert not problems, f"accessibility problems on {label or page.url}:\n" + "\n".join(problems)
