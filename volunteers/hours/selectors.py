"""Reads for the hours pages."""

from ..models import ServiceRecord


def card_numbers(record_ids) -> dict[int, str]:
    """{record id: number of the valid honor card that counted it}: such hours stay put (a
    correction needs a reason and the volunteer centre's confirmation), and lists say so."""
    through = ServiceRecord.honor_cards.through
    return dict(
        through.objects.filter(servicerecord_id__in=list(record_ids), honorcard__status="valid").values_list(
            "servicerecord_id", "honorcard__number"
        )
    )
