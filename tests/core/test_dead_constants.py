"""No views module keeps a module-level constant nothing reads: the views split by who uses them
(honorcards' public, card, review views) each carried copies of the others' page sizes and a role
list (``STAFF``) that no view, template or test used."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "tests", "node_modules", "var"}


def _views_modules():
    for path in sorted(ROOT.rglob("*views*.py")):
        if not SKIP.intersection(path.relative_to(ROOT).parts):
            yield path


def _constants(tree):
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        for target in targets:
            if isinstance(target, ast.Name) and target.id.isupper():
                yield target.id


def test_every_module_constant_of_a_views_module_is_read_somewhere():
    python = [p for p in ROOT.rglob("*.py") if not {".venv", "var"}.intersection(p.relative_to(ROOT).parts)]
    unused = []
    for path in _views_modules():
        text = path.read_text()
        for name in _constants(ast.parse(text)):
            word = re.compile(rf"\b{name}\b")
            if len(word.findall(text)) > 1:
                continue
            # Read from another module (``from .x_views import NAME`` or ``x_views.NAME``)?
            if any(
                other != path and path.stem in other.read_text() and word.search(other.read_text())
                for other in python
            ):
                continue
            unused.append(f"{path.relative_to(ROOT)}: {name}")
    assert not unused, unused
