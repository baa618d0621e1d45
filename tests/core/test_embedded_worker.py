"""`make run` runs the scheduled jobs with no other service: beside the web server, a Celery worker
with beat on the file broker (config/settings.py). Tasks queued by any process on the machine reach it."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.utils import timezone

from donations.models import PledgeStatus, SandboxTrade
from tests.conftest import database_url
from tests.donations.factories import PledgeFactory

ROOT = Path(__file__).resolve().parents[2]
# What `make run` starts beside runserver (kept in step with the Makefile by the first test).
WORKER = [
    "worker",
    "--beat",
    "--loglevel",
    "INFO",
    "--concurrency",
    "2",
    "--without-gossip",
    "--without-mingle",
]


def test_make_run_starts_the_worker_with_beat_beside_the_server_and_stops_it_with_the_server():
    makefile = (ROOT / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "celery -A config " + " ".join(WORKER) in run
    assert (
        "CELERY_TASK_ALWAYS_EAGER=0" in run
    )  # runserver queues on the file broker instead of running inline
    assert "runserver 127.0.0.1:$(PORT)" in run
    assert "trap " in run  # Ctrl-C stops the worker too


def embedded_env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE_URL", "CELERY_BROKER_URL")}
    return env | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(),
        "GOODDAY_VAR_DIR": str(tmp_path / "var"),  # its own file broker, cache and beat schedule
        "CELERY_TASK_ALWAYS_EAGER": "0",
        **extra,
    }


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_job_queued_by_another_process_is_run_by_the_embedded_worker(live_server, settings, tmp_path):
    settings.ECPAY_SANDBOX = True
    pledge = PledgeFactory(
        status=PledgeStatus.AWAITING_PAYMENT,
        channel="atm",
        voucher_expires_at=timezone.now() - datetime.timedelta(hours=1),
    )
    SandboxTrade.objects.create(
        merchant_trade_no=pledge.merchant_trade_no,
        amount=pledge.amount,
        choose_payment="ATM",
        status="voucher",
        trade_no="1",
    )
    env = embedded_env(tmp_path, SITE_URL=live_server.url)  # the worker asks the sandbox over HTTP
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", *WORKER],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        # What beat sends every half hour, sent here by hand from yet another process.
        queued = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; django.setup(); "
                "from donations.tasks import expire_overdue_vouchers; expire_overdue_vouchers.delay()",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert queued.returncode == 0, queued.stderr
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            pledge.refresh_from_db()
            if pledge.status != PledgeStatus.AWAITING_PAYMENT:
                break
            time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(30)
        log.close()
    assert pledge.status == PledgeStatus.EXPIRED, (tmp_path / "worker.log").read_text()[-3000:]
    assert "beat: Starting" in (tmp_path / "worker.log").read_text()
