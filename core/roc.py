"""The ROC (民國) calendar used on official documents: year − 1911, e.g. 108.06.02 is 2019-06-02."""

import datetime
import re

ROC_OFFSET = 1911

_ROC_PATTERN = re.compile(
    r"""^\s*(?:民國\s*)?(?P<y>\d{1,3})\s*
        (?:[./\-]|年)\s*(?P<m>\d{1,2})\s*
        (?:[./\-]|月)\s*(?P<d>\d{1,2})\s*日?\s*$""",
    re.VERBOSE,
)


def to_roc(value: datetime.date | None, style: str = "dot") -> str:
    """Format a date in the ROC calendar.

    ``dot`` → ``108.06.02``; ``long`` → ``108年06月02日``; ``slash`` → ``108/06/02``.
    Dates before the ROC's first year (1912) have no ROC form and raise ``ValueError``.
    """
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    year = value.year - ROC_OFFSET
    if year < 1:
        raise ValueError(f"{value.isoformat()} is before the ROC calendar (1912).")
    if style == "long":
        return f"{year:03d}年{value.month:02d}月{value.day:02d}日"
    sep = "/" if style == "slash" else "."
    return f"{year:03d}{sep}{value.month:02d}{sep}{value.day:02d}"


def parse_roc(text: str) -> datetime.date:
    """Parse ``108.06.02``, ``108/6/2``, ``108-06-02``, ``108年06月02日`` or ``民國108年6月2日``."""
    match = _ROC_PATTERN.match(text or "")
    if not match:
        raise ValueError(f"「{text}」不是民國日期（例如 108.06.02 或 108年06月02日）。")
    year = int(match["y"])
    if year < 1:
        raise ValueError(f"「{text}」的民國年必須大於 0。")
    try:
        return datetime.date(year + ROC_OFFSET, int(match["m"]), int(match["d"]))
    except ValueError as exc:
        raise ValueError(f"「{text}」不是存在的日期。") from exc


def roc_year(value: datetime.date) -> int:
    return value.year - ROC_OFFSET
