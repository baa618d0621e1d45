"""Templates compare statuses with the models' TextChoices, never with string literals.

A literal (``{% if x.status == "returnd" %}``) silently never matches when misspelt or when a value
is renamed; ``x.status in "a b c"`` is a substring test. The convention: the model carries
``Status = <TheStatus>`` and templates write ``{% if x.status == x.Status.NAME %}``.
"""

import re
from pathlib import Path

from django.apps import apps
from django.db import models

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".venv", "node_modules", ".git", "var", "staticfiles"}
# `status` (or `…_status`) compared to a quoted literal, either way round.
LITERAL = re.compile(
    r"""\w*status\s*(?:==|!=|\bnot\s+in\b|\bin\b)\s*["']"""
    r"""|["'][^"'{}]*["']\s*(?:==|!=)\s*[\w.]*status\b""",
    re.IGNORECASE,
)
CHOICE_REFERENCE = re.compile(r"\.(Status|Kind)\.([A-Za-z_]\w*)")


def template_files():
    for path in ROOT.rglob("*"):
        if not path.is_file() or SKIP_DIRS.intersection(path.relative_to(ROOT).parts):
            continue
        if "templates" in path.relative_to(ROOT).parts and path.suffix in {".html", ".txt", ".xml"}:
            yield path


def tags_of(text):
    """The template tags only ({% … %}): prose and scripts may mention statuses freely."""
    return re.findall(r"{%.*?%}", text, re.DOTALL)


def test_templates_are_found():
    names = {p.name for p in template_files()}
    assert {"pledge.html", "offer_detail.html", "request.html"} <= names


def test_no_template_compares_a_status_with_a_string_literal():
    offences = []
    for path in template_files():
        for tag in tags_of(path.read_text(encoding="utf-8")):
            if LITERAL.search(tag):
                offences.append(f"{path.relative_to(ROOT)}: {tag}")
    assert not offences, "use x.Status.NAME instead of a literal:\n" + "\n".join(offences)


def test_the_scan_catches_the_idioms_it_forbids():
    for bad in (
        '{% if plan.status == "returned" %}',
        "{% if pledge.status != 'paid' %}",
        "{% elif pledge.status in 'failed expired refunded' %}",
        '{% if "void" == receipt.status %}',
        '{% if trade_status == "paid" %}',
    ):
        assert LITERAL.search(bad), bad
    assert not LITERAL.search("{% if plan.status == plan.Status.RETURNED %}")


def test_every_status_named_in_a_template_exists_on_some_model():
    """``x.Status.TYPO`` would resolve to nothing in a template and never match: every name used
    must be a member of a TextChoices that some model exposes as ``Status`` (or ``Kind``)."""
    known = {"Status": set(), "Kind": set()}
    for model in apps.get_models():
        for attr in known:
            choices = getattr(model, attr, None)
            if isinstance(choices, type) and issubclass(choices, models.Choices):
                known[attr].update(choices.names)
    unknown = []
    for path in template_files():
        for attr, name in CHOICE_REFERENCE.findall(path.read_text(encoding="utf-8")):
            if name not in known[attr]:
                unknown.append(f"{path.relative_to(ROOT)}: .{attr}.{name}")
    assert not unknown, "\n".join(unknown)


def test_models_used_by_the_templates_expose_their_status_choices():
    from donations.models import Pledge, PledgeStatus, Receipt, SandboxTrade
    from largeevents.models import LargeEventPlan
    from opportunities.models import Application, Opportunity
    from privacy.models import DataRequest
    from programs.models import Offer, Program

    for model in (
        Program,
        Offer,
        Pledge,
        Receipt,
        SandboxTrade,
        Opportunity,
        Application,
        LargeEventPlan,
        DataRequest,
    ):
        field = model._meta.get_field("status")
        if field.choices:  # the sandbox's column keeps no choices (no migration for a dev tool)
            assert {value for value, _label in field.choices} == set(model.Status.values), model
    assert Pledge.Status is PledgeStatus
