"""The docs point at files that exist, and the dependency script still reads the code."""

import re
import subprocess
import sys

from django.conf import settings

LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def _documents():
    base = settings.BASE_DIR
    return [base / "README.md", *sorted((base / "docs").rglob("*.md"))]


def test_every_relative_link_in_the_docs_leads_to_a_file():
    broken = []
    for document in _documents():
        for target in LINK.findall(document.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not (document.parent / target).exists():
                broken.append(f"{document.relative_to(settings.BASE_DIR)}: {target}")
    assert not broken


def test_every_decision_is_listed_in_the_decisions_index():
    decisions = settings.BASE_DIR / "docs" / "decisions"
    index = (decisions / "README.md").read_text(encoding="utf-8")
    unlisted = [path.name for path in decisions.glob("[0-9]*.md") if f"({path.name})" not in index]
    assert not unlisted


def test_the_dependency_script_lists_every_app_of_the_registry():
    out = subprocess.run(
        [sys.executable, "scripts/app_dependencies.py"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    listed = re.findall(r"^\| `([a-z_]+)` \|", out, flags=re.MULTILINE)
    assert listed == list(settings.PORTAL_APPS)
