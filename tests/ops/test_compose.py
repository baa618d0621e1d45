"""The compose file's production shape: one migration per deploy, a durable broker beside a volatile
cache, the nightly backup's volume; and Compose itself accepts it (as CI runs it)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP = ("web", "worker", "beat")


def test_web_no_longer_migrates_a_one_off_service_does_it_once_before_the_app_starts():
    assert "migrate" not in SERVICES["web"]["command"]
    assert SERVICES["migrate"]["command"] == "python manage.py migrate --noinput"
    assert SERVICES["migrate"]["restart"] == "no"
    for name in APP:
        assert SERVICES[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}


def test_the_broker_is_durable_and_the_cache_volatile():
    broker, cache = SERVICES["broker"], SERVICES["cache"]
    assert "--appendonly yes" in broker["command"]
    assert "--maxmemory-policy noeviction" in broker["command"]
    assert any(v.endswith(":/data") for v in broker["volumes"])
    assert "--appendonly no" in cache["command"] and '--save ""' in cache["command"]
    for name in APP:
        env = SERVICES[name]["environment"]
        assert env["CELERY_BROKER_URL"].startswith("redis://broker:")
        assert env["CACHE_URL"].startswith("redis://cache:")


def test_the_worker_that_runs_the_nightly_backup_has_the_backup_volume():
    assert "backups:/data/backups" in SERVICES["worker"]["volumes"]
    assert SERVICES["worker"]["environment"]["BACKUP_DIR"] == "/data/backups"
    assert "backups" in COMPOSE["volumes"]


def test_production_keys_are_required_by_compose_before_anything_starts():
    env = SERVICES["web"]["environment"]
    for key in ("DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "HONOR_CARD_SIGNING_KEY"):
        assert ":?" in env[key]


@pytest.mark.slow
@pytest.mark.parametrize("files", [["docker-compose.yml"], ["docker-compose.yml", "docker-compose.tls.yml"]])
def test_compose_accepts_the_files(files):
    compose = shutil.which("docker-compose")
    if compose is None:
        pytest.skip("docker-compose is not installed")
    env = dict(os.environ, DJANGO_SECRET_KEY="ci", HONOR_CARD_SIGNING_KEY="ci", FIELD_ENCRYPTION_KEYS="ci")
    args = [a for f in files for a in ("-f", f)]
    out = subprocess.run([compose, *args, "config", "-q"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_the_web_healthcheck_asks_by_an_allowed_host_name():
    """127.0.0.1 is not in DJANGO_ALLOWED_HOSTS in production: Django would answer 400, never healthy."""
    probe = SERVICES["web"]["healthcheck"]["test"][-1]
    assert "'Host':os.environ['DJANGO_ALLOWED_HOSTS']" in probe


def test_the_compose_benchmark_script_is_valid_bash():
    out = subprocess.run(["bash", "-n", "scripts/bench-compose.sh"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


@pytest.mark.slow
def test_the_compose_benchmark_script_checks_the_compose_files():
    if shutil.which("docker-compose") is None and shutil.which("docker") is None:
        pytest.skip("docker compose is not installed")
    env = dict(os.environ, DJANGO_SECRET_KEY="ci", HONOR_CARD_SIGNING_KEY="ci", FIELD_ENCRYPTION_KEYS="ci")
    out = subprocess.run(
        ["scripts/bench-compose.sh", "--check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert "compose files valid" in out.stdout
