"""Gap-free yearly numbers (receipts, honor cards) taken from a one-row-per-year counter table."""

from django.db import connection, models


def take_next_number(counter_model: type[models.Model], roc_year: int) -> int:
    """The next number of ``roc_year`` in ``counter_model`` (a table of ``roc_year`` → ``last``).

    One upsert creates the year's row or increments it and returns the new value. The row stays
    locked until the caller's transaction ends, so a rollback gives the number back and two
    concurrent takers never share one: must run inside ``transaction.atomic()``. A single statement
    rather than get-or-create, lock, read and update, because the payment notification holds this
    lock and every round trip it saves shortens the queue behind it.
    """
    if connection.get_autocommit():
        raise RuntimeError("take_next_number must run inside a transaction")
    # The table name is the model's own, quoted; the year is a bound parameter.
    table = connection.ops.quote_name(counter_model._meta.db_table)
    with connection.cursor() as cursor:
        upsert = (
            f"INSERT INTO {table} (roc_year, last) VALUES (%s, 1) "  # noqa: S608
            f"ON CONFLICT (roc_year) DO UPDATE SET last = {table}.last + 1 RETURNING last"
        )
        cursor.execute(upsert, [roc_year])
        return cursor.fetchone()[0]
