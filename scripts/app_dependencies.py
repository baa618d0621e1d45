#!/usr/bin/env python3
"""Which of the project's apps import which, read from the code (docs/architecture.md shows its output).

    python3 scripts/app_dependencies.py             # a Markdown table: app → the apps it imports
    python3 scripts/app_dependencies.py --mermaid   # the same as a mermaid graph
    python3 scripts/app_dependencies.py --cycles    # pairs of apps that import each other, and where

An app is a top-level folder with an ``apps.py``; the table lists them in ``PORTAL_APPS`` order. Every ``import`` and ``from … import`` in its
modules counts (tests, migrations and management commands excepted: they are not what the app's code
depends on at run time). Imports inside a function (taken late, usually to break a cycle or to keep
start-up light) are counted separately, as "late". No Django needed: the files are only parsed.
"""

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_PARTS = {"migrations", "management", "tests", "templates", "static", "locale", "__pycache__"}


def apps() -> list[str]:
    return sorted(path.parent.name for path in ROOT.glob("*/apps.py"))


def _module_files(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if not SKIPPED_PARTS & set(path.relative_to(ROOT).parts):
            yield path


def _imported_names(tree: ast.AST):
    """(top-level package, late?) for every import in the module; late = inside a function."""

    def visit(node, late):
        for child in ast.iter_child_nodes(node):
            inner = late or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield alias.name.split(".")[0], inner
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                yield child.module.split(".")[0], inner
            yield from visit(child, inner)

    yield from visit(tree, False)


def import_sites(app: str, other: str) -> list[str]:
    """The modules of ``app`` that import ``other`` (late ones marked)."""
    sites = []
    for path in _module_files(app):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        kinds = {late for name, late in _imported_names(tree) if name == other}
        if kinds:
            sites.append(str(path.relative_to(ROOT)) + ("" if False in kinds else " (late)"))
    return sites


def cycles(deps) -> str:
    lines = []
    for app in sorted(deps):
        for other in sorted(deps[app]):
            if app < other and app in deps.get(other, {}):
                lines.append(f"{app} <-> {other}")
                lines.append(f"  {app} -> {other}: " + ", ".join(import_sites(app, other)))
                lines.append(f"  {other} -> {app}: " + ", ".join(import_sites(other, app)))
    return "\n".join(lines) or "none"


def dependencies() -> dict[str, dict[str, bool]]:
    """app → {imported app: True if only late imports}."""
    known = set(apps())
    found: dict[str, dict[str, bool]] = {app: {} for app in known}
    for app in known:
        late_only = defaultdict(lambda: True)
        for path in _module_files(app):
            for name, late in _imported_names(ast.parse(path.read_text(encoding="utf-8"), str(path))):
                if name in known and name != app:
                    late_only[name] = late_only[name] and late
        found[app] = dict(late_only)
    return found


def registry_order() -> list[str]:
    """settings.PORTAL_APPS as written in config/settings.py (read, not imported)."""
    tree = ast.parse((ROOT / "config" / "settings.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "PORTAL_APPS" for t in node.targets):
            return [ast.literal_eval(element) for element in node.value.elts]
    return []


def markdown(deps) -> str:
    order = registry_order()
    lines = [
        "| app | imports (at load time) | imports late (inside a function) | imported by |",
        "|---|---|---|---|",
    ]
    for app in sorted(deps, key=lambda a: (order.index(a) if a in order else len(order), a)):
        eager = sorted(dep for dep, late in deps[app].items() if not late)
        late = sorted(dep for dep, late in deps[app].items() if late)
        users = sorted(other for other, uses in deps.items() if app in uses)
        row = [f"`{app}`", ", ".join(eager) or "—", ", ".join(late) or "—", ", ".join(users) or "—"]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def mermaid(deps) -> str:
    lines = ["flowchart BT"]
    for app in sorted(deps):
        for dep, late in sorted(deps[app].items()):
            lines.append(f"    {app} {'-.->' if late else '-->'} {dep}")
    return "\n".join(lines)


if __name__ == "__main__":
    graph = dependencies()
    if "--mermaid" in sys.argv:
        print(mermaid(graph))
    elif "--cycles" in sys.argv:
        print(cycles(graph))
    else:
        print(markdown(graph))
