"""The docs point at files that exist, and the dependency script still reads the code."""

import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def _documents():
    base = settings.BASE_DIR
    return [base / "README.md", *sorted((base / "docs").rglob("*.md"))]


def test_every_relative_link_in_the_docs_leads_to_a_file():
    broken = []
    for document in _documents():
        for target in LINK.findall(document.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not (document.parent / target).exists():
                broken.append(f"{document.relative_to(settings.BASE_DIR)}: {target}")
    assert not broken


def test_every_decision_is_listed_in_the_decisions_index():
    decisions = settings.BASE_DIR / "docs" / "decisions"
    index = (decisions / "README.md").read_text(encoding="utf-8")
    unlisted = [path.name for path in decisions.glob("[0-9]*.md") if f"({path.name})" not in index]
    assert not unlisted


def test_the_dependency_script_lists_every_app_of_the_registry():
    out = subprocess.run(
        [sys.executable, "scripts/app_dependencies.py"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    listed = re.findall(r"^\| `([a-z_]+)` \|", out, flags=re.MULTILINE)
    assert listed == list(settings.PORTAL_APPS)


def _readme() -> str:
    return (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")


def _settings_table() -> str:
    readme = _readme()
    return readme[
        readme.index("## Settings (environment variables)") : readme.index("## Running on PostgreSQL")
    ]


# Read by config/settings.py but deliberately left out of the README's table: the benchmarks' own
# switches (set by bench/) and the test database's file (named in the README's "Tests").
UNDOCUMENTED_SETTINGS = {"GOODDAY_BENCH", "GOODDAY_SERVER_TIMING", "SQLITE_TEST_DATABASE"}


def test_every_variable_the_settings_read_is_in_the_readmes_settings_table():
    source = (settings.BASE_DIR / "config/settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r"env(?:\.[a-z_]+)?\(\s*[\"']([A-Z][A-Z0-9_]+)[\"']", source))
    table = _settings_table()
    assert len(read) > 50
    assert sorted(n for n in read - UNDOCUMENTED_SETTINGS if f"`{n}`" not in table) == []
    assert read >= UNDOCUMENTED_SETTINGS  # an allow-listed name no longer read: drop it from the list


def test_every_variable_of_the_readmes_settings_table_is_read_by_the_settings():
    table = _settings_table()
    named = {
        name
        for line in table.splitlines()
        if line.startswith("| `")
        for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1])
    }
    base = settings.BASE_DIR
    read = "".join(
        (base / f).read_text(encoding="utf-8") for f in ("config/settings.py", "config/gunicorn.py")
    )
    read += (base / "tests/conftest.py").read_text(encoding="utf-8")  # TEST_REDIS_URL
    assert len(named) > 50
    assert sorted(n for n in named if not re.search(rf"[\"']{n}[\"']", read)) == []


def test_every_allauth_setting_the_settings_set_is_one_allauth_reads():
    # ACCOUNT_RATE_LIMITS_ENABLED was set (and named by the README's security table) but allauth
    # reads no such setting: its limits were on only because ACCOUNT_RATE_LIMITS was left unset.
    import allauth.account.app_settings
    import allauth.mfa.app_settings

    source = {
        "ACCOUNT_": Path(allauth.account.app_settings.__file__).read_text(encoding="utf-8"),
        "MFA_": Path(allauth.mfa.app_settings.__file__).read_text(encoding="utf-8"),
    }
    ours = re.findall(
        r"^((ACCOUNT|MFA)_[A-Z_]+) =", (settings.BASE_DIR / "config/settings.py").read_text(), re.M
    )
    assert ours
    unread = [
        name for name, prefix in ours if f'"{name.removeprefix(prefix + "_")}"' not in source[prefix + "_"]
    ]
    assert unread == []
    assert "ACCOUNT_RATE_LIMITS_ENABLED" not in _readme()


def test_the_login_limits_the_readme_states_are_allauths_in_force():
    from allauth.account import app_settings

    assert "10/min per address and 5 per 5 min per account" in _readme()
    assert app_settings.RATE_LIMITS["login_failed"] == "10/m/ip,5/300s/key"


def test_the_beat_jobs_the_readme_names_are_scheduled_at_the_times_it_states():
    from celery.schedules import crontab

    readme = _readme()
    named = set(re.findall(r"`(\w+\.tasks\.\w+)`", readme))
    assert {"privacy.tasks.anonymise_expired_personal_data", "ops.tasks.nightly_backup"} <= named
    for dotted in named:
        module, name = dotted.rsplit(".", 1)
        assert hasattr(__import__(module, fromlist=[name]), name), dotted
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert (
        "applied daily at 03:30 by the beat task\n`privacy.tasks.anonymise_expired_personal_data`" in readme
    )
    assert schedule["privacy.tasks.anonymise_expired_personal_data"] == crontab(hour="3", minute="30")
    # The nightly backup is scheduled only where it runs (DJANGO_DEBUG=0 on PostgreSQL): its time
    # comes from BACKUP_HOUR (default 3) and minute 15.
    assert "`ops.tasks.nightly_backup` every night at 03:15 (Taiwan time; `BACKUP_HOUR`)" in readme
    assert 'crontab(hour=env.int("BACKUP_HOUR", default=3), minute="15")' in (
        settings.BASE_DIR / "config/settings.py"
    ).read_text(encoding="utf-8")
    assert settings.CELERY_TIMEZONE == "Asia/Taipei"
