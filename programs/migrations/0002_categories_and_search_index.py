"""The standard categories (as data: admins add more), and on PostgreSQL a trigram index for
substring search of Chinese titles."""

from django.db import migrations

CATEGORIES = [
    ("兒少福利", "children", False),
    ("婦女福利", "women", False),
    ("老人福利", "elderly", False),
    ("身心障礙福利", "disability", False),
    ("弱勢關懷", "vulnerable", False),
    ("街友服務", "homeless", False),
    ("急難救助", "emergency", False),
    ("家暴被害", "domestic-violence", True),
    ("新移民", "new-immigrants", False),
    ("其他", "other", False),
]


def add_categories(apps, schema_editor):
    Category = apps.get_model("programs", "Category")
    for order, (name, slug, sensitive) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "is_sensitive": sensitive, "sort_order": order * 10}
        )


def add_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS programs_program_title_trgm ON programs_program "
        "USING gin (UPPER(title) gin_trgm_ops)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS programs_program_summary_trgm ON programs_program "
        "USING gin (UPPER(summary) gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS programs_program_title_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS programs_program_summary_trgm")


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]
    operations = [
        migrations.RunPython(add_categories, migrations.RunPython.noop),
        migrations.RunPython(add_trigram_index, drop_trigram_index),
    ]
