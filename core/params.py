"""Reading numbers out of query strings and forms without trusting them.

`str.isdigit()` is not enough: it accepts "²" and "①" (which int() refuses) and any number of
digits (which overflows PostgreSQL's bigint, or SQLite's integer, in the query). An id is 1 to 18
ASCII digits or nothing.
"""

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
