"""What the volunteer seeders share: bulk writes of gathered rows (the demo's volume is large)."""

from django.db import connection

BATCH = 5000


def bulk(model, objs):
    return model.objects.bulk_create(objs, batch_size=BATCH)


class Batch:
    """Rows gathered for one bulk insert per table."""

    def __init__(self):
        self.volunteers, self.memberships, self.trainings, self.records, self.insured = [], [], [], [], []


def copy_rows(model, columns, rows):
    """Plain tuples into ``model``'s table: PostgreSQL's COPY (millions of rows at ``--scale 100``),
    ``bulk_create`` elsewhere. Returns how many rows were written."""
    count = 0
    if connection.vendor == "postgresql":
        sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
    bulk(model, objs)
    return len(objs)
