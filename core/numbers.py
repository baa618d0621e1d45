"""Hours and money as people read them, the same on every database.

SQLite keeps no scale with a Decimal: 64.50 hours come back as 64.5, an aggregate as 64.5 or 64,
while PostgreSQL answers 64.50. Whatever is shown or exported is therefore formatted here, never
with str() of whatever the database returned.
"""

from decimal import Decimal, InvalidOperation

TWO_PLACES = Decimal("0.01")


def hours_text(value, *, grouped: bool = False) -> str:
    """Volunteer hours with two decimals (quarter hours): 64.5 → "64.50"; None/"" → ""."""
    if value in (None, ""):
        return ""
    try:
        hours = Decimal(str(value)).quantize(TWO_PLACES)
    except InvalidOperation:
        return str(value)
    return f"{hours:,.2f}" if grouped else f"{hours:.2f}"


def ntd_text(value) -> str:
    """Integer NT$ with thousands separators: 1234567 → "NT$1,234,567"; None/"" → ""."""
    if value in (None, ""):
        return ""
    return f"NT${int(Decimal(str(value))):,}"
