"""The bench-only Server-Timing header (core/servertiming.py): what each answer cost the server."""

import re

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from core.servertiming import ServerTimingMiddleware
from programs.models import Program

pytestmark = pytest.mark.django_db


def test_each_answer_says_its_time_cpu_and_statements():
    def view(request):
        Program.objects.count()
        Program.objects.exists()
        return HttpResponse("ok")

    response = ServerTimingMiddleware(view)(RequestFactory().get("/"))
    header = response["Server-Timing"]
    assert re.fullmatch(r'app;dur=[\d.]+, cpu;dur=[\d.]+, sql;dur=[\d.]+, stmts;desc="2"', header)


def test_production_answers_carry_no_server_timing(client):
    assert not settings.GOODDAY_SERVER_TIMING
    assert "core.servertiming.ServerTimingMiddleware" not in settings.MIDDLEWARE
    assert not client.get("/").has_header("Server-Timing")
