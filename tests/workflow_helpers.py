"""Shared by the workflow-table tests of each app: a refusal carries a message in Chinese."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent

HAN = re.compile(r"[\u4e00-\u9fff]")


def allowed(flow):
    """(action, source) for every move the table allows."""
    return [(action, source) for action, sources, _target in flow.as_rows() for source in sources]


def refused(flow):
    """(action, status) for every status the table allows no such move from."""
    return [
        (action, status)
        for action, sources, _target in flow.as_rows()
        for status in flow.statuses.values
        if status not in sources
    ]


def assert_refused_in_chinese(call) -> None:
    """The service refuses (ValidationError or PermissionDenied) with a zh-Hant message and audits nothing."""
    events = AuditEvent.objects.count()
    with pytest.raises((ValidationError, PermissionDenied)) as refusal:
        call()
    exc = refusal.value
    message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    assert HAN.search(message), message
    assert AuditEvent.objects.count() == events
