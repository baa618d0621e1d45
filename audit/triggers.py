"""The database triggers that keep the audit trail append-only.

PostgreSQL has its own in migration 0002 (a row trigger; TRUNCATE, which ``flush`` uses to empty
a whole database, does not fire it). SQLite has no TRUNCATE: ``flush`` empties tables with
DELETE, so ``audit.management.commands.flush`` lifts these triggers for exactly that and puts
them back.
"""

SQLITE_CREATE = (
    "CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only'); END",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
)


def create_sqlite_triggers(connection) -> None:
    if "audit_auditevent" not in connection.introspection.table_names():
        return  # not migrated yet: migration 0004 will create them
    with connection.cursor() as cursor:
        for statement in SQLITE_CREATE:
            cursor.execute(statement)


def drop_sqlite_triggers(connection) -> None:
    with connection.cursor() as cursor:
        for statement in SQLITE_DROP:
            cursor.execute(statement)
