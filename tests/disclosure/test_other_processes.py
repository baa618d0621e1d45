"""A month rebuilt by another process (`manage.py build_disclosure` in a shell, the worker, a second
web worker) is what every process serves next: the cache is one for all of them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from disclosure import services
from disclosure.selectors import report_for
from donations import services as donation_services
from tests.conftest import database_url
from tests.disclosure.test_reports import october  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[2]


def manage(*args) -> str:
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "config.settings"}
    out = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_month_rebuilt_in_another_process_is_served_at_once(client, october, reviewer):  # noqa: F811
    v1, _ = services.build_report(2026, 10)
    url = reverse("disclosure:income_csv", args=[2026, 10])
    assert client.get(url)["X-Content-SHA256"] == v1.digest  # now in the cache
    donation_services.refund_pledge(pledge=october[0], actor=reviewer, reason="重複捐款")

    assert "version 2 published" in manage("build_disclosure", "2026", "10")

    v2 = report_for(2026, 10, None)
    assert v2.version == 2
    response = client.get(url)
    assert response["X-Content-SHA256"] == v2.digest
    assert "goodday-2026-10-v2-income" in response["Content-Disposition"]
    assert client.get(reverse("disclosure:month", args=[2026, 10])).content.decode().count(v2.digest) >= 1
