"""No function in the application is more tangled than radon's grade C (cyclomatic complexity 20).

A function above that mixes several jobs: split it (facts in a selector, rules as small pure
functions, writes in a service) rather than raising the limit. Seed data, migrations, tests and the
benchmarks are left out.
"""

from pathlib import Path

import pytest
from radon.complexity import cc_visit
from radon.visitors import Class

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 20  # the top of grade C
SKIPPED_DIRS = {".venv", "tests", "migrations", "bench", "node_modules", "static", "var", ".git"}
SKIPPED_FILES = {"seed.py"}
# Above the limit in code another branch owns (build_content is being split on i20-views):
# flagged by the xfail test below until split.
KNOWN = {
    "disclosure/builder.py:build_content",
}


def application_files():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if SKIPPED_DIRS.intersection(parts) or path.name in SKIPPED_FILES:
            continue
        yield path


def functions(blocks):
    """Every function, method and closure radon found (its blocks list methods beside their class,
    closures only inside their function)."""
    for block in blocks:
        if not isinstance(block, Class):
            yield block
            yield from functions(block.closures)


def over_limit(source: str, limit: int = LIMIT) -> list[tuple[str, int, int]]:
    """(name, line, complexity) of the source's functions above ``limit``."""
    return [(f.name, f.lineno, f.complexity) for f in functions(cc_visit(source)) if f.complexity > limit]


def offenders() -> list[tuple[str, int, int]]:
    found = []
    for path in application_files():
        where = path.relative_to(ROOT).as_posix()
        found += [
            (f"{where}:{name}", line, c) for name, line, c in over_limit(path.read_text(encoding="utf-8"))
        ]
    return found


def _message(found):
    return "Functions above radon grade C (complexity > 20): " + "; ".join(
        f"{name} (line {line}) = {complexity}" for name, line, complexity in found
    )


def test_no_application_function_is_above_grade_c():
    found = [f for f in offenders() if f[0] not in KNOWN]
    assert not found, _message(found)


@pytest.mark.xfail(
    strict=False,
    reason="disclosure/builder.py build_content (22, being split on i20-views)",
)
def test_the_functions_being_split_elsewhere_are_within_grade_c_too():
    found = [f for f in offenders() if f[0] in KNOWN]
    assert not found, _message(found)


def _branches(name, count, indent=""):
    body = "".join(f"{indent}    if x == {i}:\n{indent}        return {i}\n" for i in range(count))
    return f"{indent}def {name}(x):\n{body}"


def test_the_guard_reports_functions_methods_and_closures_above_twenty_only():
    source = (
        _branches("at_limit", 19) + _branches("over", 20) + "class K:\n" + _branches("method", 20, "    ")
    )
    assert [(name, c) for name, _line, c in over_limit(source)] == [("over", 21), ("method", 21)]
    assert [name for name, *_ in over_limit("def outer():\n" + _branches("inner", 25, "    "))] == ["inner"]


def test_application_files_leave_out_tests_migrations_seed_data_and_benchmarks():
    paths = {p.relative_to(ROOT).as_posix() for p in application_files()}
    assert "honorcards/eligibility.py" in paths
    assert not any(
        p.startswith(("tests/", "bench/")) or "/migrations/" in p or p.endswith("/seed.py") for p in paths
    )
