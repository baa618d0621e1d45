"""The apps' import graph (scripts/app_dependencies.py) has no cycle beyond the ones named below, each
with the reason it is tolerated (docs/architecture.md says the same at more length). A new cycle fails
here: break it (move the shared helper down, or ask through a late import where the reason is good and
name it below); a cycle that is gone fails too, so the list stays true: remove its entry.

Two lists, because two kinds of arrow close a cycle:
- load-time imports (``import`` at a module's top): every elementary cycle made of them alone;
- late imports (inside a function): the ones that lie on a cycle of the whole graph. A late import
  is the documented way for a lower app to reach up; each is named, with why.
"""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Elementary cycles of load-time imports, each written from its alphabetically first app.
ALLOWED_LOAD_TIME_CYCLES = {
    # The foundation together: accounts' services record audit events; the audit pages ask accounts'
    # permission predicates. Neither imports a feature app.
    ("accounts", "audit"): "accounts' services audit; audit's pages ask accounts' predicates",
    # The place lookup (dashboard.gazetteer, dashboard.geo) lives with the map: programs and
    # volunteers put records on the map at their district, and the dashboard reads both.
    # Moving the gazetteer to core would remove these.
    ("dashboard", "programs"): "programs look places up in dashboard.gazetteer",
    ("dashboard", "volunteers"): "volunteer units look places up in dashboard.gazetteer",
    ("dashboard", "donations", "programs"): "the gazetteer again (programs → dashboard)",
    ("dashboard", "donations", "disclosure", "programs"): "the gazetteer again (programs → dashboard)",
    # A corrected receipt tells the disclosure which one to cite (donations.receipts → disclosure).
    ("disclosure", "donations"): "a corrected receipt is cited by the monthly disclosure",
    # A record an issued card counted changes only through the card's correction request, so the
    # hours services and pages ask the card's status (volunteers.hours → honorcards).
    ("honorcards", "volunteers"): "hours counted on an issued card change through its correction",
}

# Late imports (app, imported app) that close a cycle of the whole graph.
ALLOWED_LATE_IMPORTS = {
    # core stays importable with no app loaded: /healthz, queueing, the deploy checks, the home page.
    ("core", "accounts"): "/healthz: who may see the details (core/health.py)",
    ("core", "audit"): "/healthz's failed tasks; a task that could not be queued is written down",
    ("core", "donations"): "the deploy checks refuse ECPay's test credentials (core/checks.py)",
    ("core", "programs"): "the home page's showcase (core/views.py)",
    # A closed program's closing report reads what was raised and spent, and cites the disclosure.
    ("programs", "disclosure"): "programs/closing.py",
    ("programs", "donations"): "programs/closing.py",
    # The statistics page and the dashboard add the recruitment and participation figures.
    ("volunteers", "opportunities"): "volunteers/statistics/views.py: recruitment figures",
    (
        "volunteers",
        "largeevents",
    ): "volunteers/statistics/views.py: the XLSX's corporate and large-event sheet",
    # A company's coordinator who registers a unit hands the company to its other coordinators first.
    ("volunteers", "corporate"): "volunteers/units/services.py: register_unit releases the coordinator",
    ("dashboard", "opportunities"): "dashboard figures: recruitment",
    ("dashboard", "largeevents"): "dashboard figures: corporate and large-event participation",
    ("corporate", "opportunities"): "corporate/views.py: a proposal narrowed to one opportunity's shifts",
}


def _script():
    spec = importlib.util.spec_from_file_location(
        "app_dependencies", ROOT / "scripts" / "app_dependencies.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def elementary_cycles(edges: dict[str, set[str]]) -> set[tuple[str, ...]]:
    """Every simple cycle, written from its alphabetically first app (no repeats, no rotations)."""
    found = set()

    def walk(start, node, path):
        for nxt in sorted(edges.get(node, ())):
            if nxt == start:
                found.add(tuple(path))
            elif nxt > start and nxt not in path:
                walk(start, nxt, [*path, nxt])

    for start in sorted(edges):
        walk(start, start, [start])
    return found


def _reachable(edges, start) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_the_cycle_finder_finds_cycles_of_every_length():
    edges = {"a": {"b"}, "b": {"c", "a"}, "c": {"a"}, "d": {"a"}}
    assert elementary_cycles(edges) == {("a", "b"), ("a", "b", "c")}
    assert elementary_cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == set()


def test_load_time_imports_make_no_cycle_but_the_named_ones():
    graph = _script().dependencies()
    load_time = {app: {dep for dep, late in deps.items() if not late} for app, deps in graph.items()}
    found = elementary_cycles(load_time)
    new = sorted(found - set(ALLOWED_LOAD_TIME_CYCLES))
    gone = sorted(set(ALLOWED_LOAD_TIME_CYCLES) - found)
    assert not new, f"new import cycles between apps (python3 scripts/app_dependencies.py --cycles): {new}"
    assert not gone, f"these cycles are gone: remove them from ALLOWED_LOAD_TIME_CYCLES: {gone}"


def test_late_imports_close_no_cycle_but_the_named_ones():
    graph = _script().dependencies()
    edges = {app: set(deps) for app, deps in graph.items()}
    closing = {
        (app, dep)
        for app, deps in graph.items()
        for dep, late in deps.items()
        if late and app in _reachable(edges, dep)
    }
    new = sorted(closing - set(ALLOWED_LATE_IMPORTS))
    gone = sorted(set(ALLOWED_LATE_IMPORTS) - closing)
    assert not new, f"new late imports that close a cycle between apps: {new}"
    assert not gone, (
        f"these late imports close no cycle any more: remove them from ALLOWED_LATE_IMPORTS: {gone}"
    )
