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


# --- Keyboard-only use ----------------------------------------------------------------------------

_MARK_FOCUSABLE = """
() => {
  const selector = 'a[href], button, input, select, textarea, summary, [tabindex]';
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const closed = el.closest('details:not([open])');
    const inClosedDetails = closed && el.parentElement !== closed;  // its <summary> stays reachable
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && !inClosedDetails
      && el.checkVisibility({visibilityProperty: true}) && !el.closest('[hidden], [inert], [aria-hidden="true"]');
  };
  const wanted = [];
  document.querySelectorAll(selector).forEach((el, i) => {
    el.dataset.kbId = String(i);
    if (el.disabled || el.type === 'hidden' || !shown(el)) return;
    if (el.getAttribute('tabindex') === '-1' && !el.matches('a[href], button, input, select, textarea, summary')) return;
    // Tab reaches one radio button of a group (the arrows move inside it).
    const group = el.type === 'radio' && el.name ? `radio:${el.form ? el.form.id || '' : ''}:${el.name}` : null;
    const label = (el.getAttribute('aria-label') || el.innerText || el.value || el.name || el.id
      || el.getAttribute('href') || '').trim();
    wanted.push({id: String(i), group, describe: `<${el.tagName.toLowerCase()}> ${label.slice(0, 40)}`});
  });
  return wanted;
}
"""

_ACTIVE = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const visible = (node) => {
    const s = getComputedStyle(node);
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none');
  };
  const group = el.type === 'radio' && el.name ? `radio:${el.form ? el.form.id || '' : ''}:${el.name}` : null;
  return {
    id: el.dataset.kbId || null,
    group,
    visible: visible(el),
    segmented: el.tagName === 'INPUT' && ['date', 'time', 'datetime-local', 'month', 'week'].includes(el.type),
    describe: `<${el.tagName.toLowerCase()}> ${(el.getAttribute('aria-label') || el.innerText || el.name || el.id || '').trim().slice(0, 40)}`,
  };
}
"""


_START = """
() => {
  let start = document.getElementById('kb-start');
  if (!start) {
    start = document.createElement('span');
    start.id = 'kb-start';
    start.tabIndex = -1;
    document.body.prepend(start);
  }
  window.scrollTo(0, 0);
  start.focus();
}
"""


def _start_at_top(page):
    """Focus a non-tabbable marker at the top of <body>: the next Tab goes to the page's first stop."""
    page.evaluate(_START)


def assert_keyboard_operable(page, *, label: str = ""):
    """Tab through the whole page from its top, as a keyboard user would: every visible, enabled link,
    button, field and <summary> is reached (one radio per group), the focused element shows a visible
    focus indicator (an outline or a box-shadow in its computed style), focus never sticks on one
    element or loops in a part of the page (no keyboard trap), and Shift+Tab goes back."""
    where = label or page.url
    wanted = page.evaluate(_MARK_FOCUSABLE)
    _start_at_top(page)
    reached, groups, invisible, order = set(), set(), [], []
    first, repeats = None, 0
    for _ in range(len(wanted) * 3 + 40):
        page.keyboard.press("Tab")
        active = page.evaluate(_ACTIVE)
        if active is None:  # past the last element: focus left the page, so nothing trapped it
            break
        key = active["id"] or active["describe"]
        if first is None:
            first = key
        elif key == first:  # back at the start: a full cycle
            break
        repeats = repeats + 1 if order and order[-1] == key else 0
        # Chromium's date and time fields take one Tab per part (year, month, day): not a trap.
        if repeats > (3 if active["segmented"] else 0):
            raise AssertionError(f"keyboard trap on {where}: Tab stays on {active['describe']}")
        if repeats:
            continue
        order.append(key)
        reached.add(active["id"])
        if active["group"]:
            groups.add(active["group"])
        if not active["visible"]:
            invisible.append(active["describe"])
    else:
        raise AssertionError(f"keyboard trap on {where}: Tab never left the page or returned to the start")
    missed = [
        w["describe"] for w in wanted if w["id"] not in reached and not (w["group"] and w["group"] in groups)
    ]
    assert not missed, f"not reachable by Tab on {where}: {missed[:10]}"
    assert not invisible, f"focus not visible on {where}: {invisible[:10]}"
    if len(order) >= 2:
        _start_at_top(page)
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        page.keyboard.press("Shift+Tab")
        back = page.evaluate(_ACTIVE)
        assert back and (back["id"] or back["describe"]) == order[0], f"Shift+Tab does not go back on {where}"
    page.evaluate("() => document.getElementById('kb-start')?.remove()")
