"""``flush`` that also empties the audit trail on SQLite.

Emptying the whole database is a deliberate wipe (tests between transactional cases, a developer
resetting ``make run``), not a rewrite of history. PostgreSQL's TRUNCATE does not fire the
append-only row trigger; SQLite's DELETE does, so the triggers are lifted for the wipe only.
"""

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS, connections

from audit.triggers import create_sqlite_triggers, drop_sqlite_triggers


class Command(DjangoFlush):
    def handle(self, **options):
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        drop_sqlite_triggers(connection)
        try:
            return super().handle(**options)
        finally:
            create_sqlite_triggers(connection)
