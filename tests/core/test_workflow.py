import pytest
from django.core.exceptions import ValidationError
from django.db import models

from core.workflow import Move, Workflow


class Light(models.TextChoices):
    RED = "red", "紅燈"
    GREEN = "green", "綠燈"
    YELLOW = "yellow", "黃燈"


FLOW = Workflow(
    Light,
    {
        "go": Move({Light.RED}, Light.GREEN, "通行"),
        "slow": Move({Light.GREEN}, Light.YELLOW, "減速"),
        "stop": Move({Light.YELLOW, Light.GREEN}, Light.RED, "停止"),
    },
)


class Box:
    status = Light.RED


def test_an_allowed_move_sets_the_target_and_returns_the_old_status():
    box = Box()
    assert FLOW.advance(box, "go") == Light.RED
    assert box.status == Light.GREEN


def test_a_move_the_table_does_not_allow_is_refused_with_the_status_and_action_named():
    box = Box()
    with pytest.raises(ValidationError) as refused:
        FLOW.advance(box, "slow")
    assert "紅燈" in refused.value.messages[0] and "減速" in refused.value.messages[0]
    assert box.status == Light.RED


def test_actions_from_lists_what_the_table_allows_in_order():
    assert FLOW.actions_from(Light.GREEN) == ["slow", "stop"]
    assert FLOW.can("yellow", "stop") and not FLOW.can("red", "stop")


def test_a_table_naming_an_unknown_status_is_rejected_when_declared():
    with pytest.raises(ValueError, match="no status"):
        Workflow(Light, {"fly": Move({Light.RED}, "blue")})
