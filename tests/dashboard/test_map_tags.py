"""The map's template tags (dashboard_map): each one registered is used by some template."""

import re
from pathlib import Path

from dashboard.templatetags.dashboard_map import register

ROOT = Path(__file__).resolve().parents[2]


def test_every_map_tag_is_used_by_a_template():
    templates = "\n".join(
        path.read_text(encoding="utf-8")
        for path in ROOT.glob("*/templates/**/*.html")
        if ".venv" not in path.parts
    ) + "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "templates").rglob("*.html"))
    unused = sorted(
        tag for tag in register.tags if not re.search(r"\{%\s*" + re.escape(tag) + r"\b", templates)
    )
    assert unused == []
