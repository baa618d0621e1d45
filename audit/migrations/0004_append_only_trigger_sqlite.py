"""On SQLite too, refuse UPDATE and DELETE on the audit trail at the database itself.

0002 made PostgreSQL refuse them; SQLite (``make run``, the test suite without DATABASE_URL) had
only the model's guard, which a raw query or ``QuerySet.update()`` walks past.
"""

from django.db import migrations

from audit.triggers import SQLITE_CREATE, SQLITE_DROP


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_task_failure")]
    operations = [migrations.RunPython(forwards, backwards)]
