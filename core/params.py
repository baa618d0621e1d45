"""Reading numbers out of query strings and forms without trusting them.

`str.isdigit()` is not enough: it accepts "²" and "①" (which int() refuses) and any number of
digits (which overflows PostgreSQL's bigint, or SQLite's integer, in the query). An id is 1 to 18
ASCII digits or nothing.
"""

import datetime
import re

_ID = re.compile(r"[0-9]{1,18}")


def id_param(value) -> int | None:
    """An id or a count from a parameter, or None when it is not one."""
    if isinstance(value, int):
        return value if 0 <= value < 10**18 else None
    if isinstance(value, str) and _ID.fullmatch(value):
        return int(value)
    return None


def id_list(values) -> list[int]:
    return [number for number in (id_param(v) for v in values) if number is not None]


# Dates people may mean: anything outside is an odd input (and 9999-12-31 + 7 days overflows).
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2999, 12, 31)


def date_param(value, default: datetime.date | None = None) -> datetime.date | None:
    """An ISO date from a parameter within EARLIEST_DATE..LATEST_DATE, or ``default``."""
    try:
        day = datetime.date.fromisoformat(value or "")
    except (TypeError, ValueError):
        return default
    return day if EARLIEST_DATE <= day <= LATEST_DATE else default
