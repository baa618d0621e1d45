"""Workflows as data: each workflow's allowed moves live in one table that its services check.

A workflow module declares, next to its models, e.g.

    PROGRAM_FLOW = Workflow(
        ProgramStatus,
        {
            "submit": Move({ProgramStatus.DRAFT, ProgramStatus.RETURNED}, ProgramStatus.SUBMITTED, _("送審")),
            "approve": Move({ProgramStatus.SUBMITTED}, ProgramStatus.PUBLISHED, _("核准")),
        },
    )

and each service function (one per transition) calls ``PROGRAM_FLOW.advance(program, "submit")``
inside its transaction, after locking the row: the move is refused with a message in the user's
language when the record is not in a state the table allows, so no service restates the rule.
Menus and templates ask ``PROGRAM_FLOW.can(program.status, "approve")`` for the same answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Move:
    """One allowed move: from any of ``sources`` to ``target``; ``label`` names the action."""

    sources: frozenset[str]
    target: str
    label: str = ""

    def __init__(self, sources: Iterable[str], target: str, label: str = ""):
        object.__setattr__(self, "sources", frozenset(str(s) for s in sources))
        object.__setattr__(self, "target", str(target))
        object.__setattr__(self, "label", label)


class Workflow:
    """The allowed moves of one model's status field, keyed by action name."""

    def __init__(self, statuses: type[models.TextChoices], moves: dict[str, Move], field: str = "status"):
        known = set(statuses.values)
        for action, move in moves.items():
            unknown = (move.sources | {move.target}) - known
            if unknown:
                raise ValueError(f"{statuses.__name__} has no status {sorted(unknown)} (action {action!r})")
        self.statuses = statuses
        self.moves = dict(moves)
        self.field = field

    def can(self, status: str, action: str) -> bool:
        """Whether ``action`` is allowed from ``status``."""
        return str(status) in self.moves[action].sources

    def actions_from(self, status: str) -> list[str]:
        """The actions allowed from ``status``, in the table's order."""
        return [action for action, move in self.moves.items() if str(status) in move.sources]

    def target(self, status: str, action: str) -> str:
        """The status ``action`` leads to from ``status``; ValidationError when the table refuses it."""
        move = self.moves[action]
        if str(status) not in move.sources:
            raise ValidationError(
                _("目前狀態為「%(status)s」，無法%(action)s。")
                % {"status": self.statuses(str(status)).label, "action": move.label or action},
                code="invalid_transition",
            )
        return move.target

    def advance(self, instance: models.Model, action: str) -> str:
        """Set ``instance``'s status to where ``action`` leads (not saved); return the old status."""
        old = getattr(instance, self.field)
        setattr(instance, self.field, self.target(old, action))
        return old

    def as_rows(self) -> list[tuple[str, list[str], str]]:
        """(action, sources, target) rows, for documentation and tests."""
        return [(a, sorted(m.sources), m.target) for a, m in self.moves.items()]
