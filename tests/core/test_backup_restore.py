"""`make backup` then `make restore` into a fresh database gives back the same records."""

import os
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from audit.services import record_event
from tests.accounts.factories import OrganisationFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def url_for(dbname: str) -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{dbname}"


def totals(url: str) -> dict:
    with psycopg.connect(url) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names
            for table in ("accounts_organisation", "audit_auditevent")
        } | {
            "actions": conn.execute(
                "SELECT string_agg(action, ',' ORDER BY id) FROM audit_auditevent"
            ).fetchone()[0]
        }


def test_backup_restores_into_a_fresh_database_with_the_same_records(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("backups are pg_dump/pg_restore of the PostgreSQL database")
    for n in range(3):
        record_event(actor=None, action=f"demo.{n}", target=OrganisationFactory())
    source = url_for(connection.settings_dict["NAME"])
    fresh = f"goodday_restore_{uuid.uuid4().hex[:8]}"
    admin_url = url_for("postgres")
    env = dict(os.environ, DATABASE_URL=source, BACKUP_DIR=str(tmp_path), MEDIA_ROOT=str(tmp_path / "m"))
    dump = subprocess.run(
        ["scripts/backup.sh"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{fresh}"')
    try:
        subprocess.run(
            ["scripts/restore.sh", dump],
            cwd=ROOT,
            env=dict(env, DATABASE_URL=url_for(fresh)),
            check=True,
            capture_output=True,
        )
        assert totals(url_for(fresh)) == totals(source)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
