"""/api/docs/ renders in a real browser under the portal's own CSP, from our own static files."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_documentation_lists_the_operations_under_the_strict_csp(live_server, page):
    refused, foreign = [], []
    page.on(
        "console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    page.on(
        "request", lambda req: foreign.append(req.url) if not req.url.startswith(live_server.url) else None
    )
    response = page.goto(live_server.url + "/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    operations = page.locator(".opblock-summary-path")
    expect(operations.first).to_be_visible(timeout=20000)
    paths = operations.all_inner_texts()
    assert any("/api/v1/disclosure/" in p for p in paths)
    assert any("/api/v1/volunteers/" in p for p in paths)
    expect(page.get_by_role("heading", name="好日子 Goodday API")).to_be_visible()
    assert refused == []
    assert foreign == []
