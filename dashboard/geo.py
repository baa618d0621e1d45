"""Coordinates staff pick on the map: one rule for what counts as a place in Taiwan."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Taiwan, Penghu, Kinmen and Matsu (the same box the program form uses).
LAT_RANGE = (Decimal("21"), Decimal("26.5"))
LNG_RANGE = (Decimal("118"), Decimal("123"))
OUTSIDE_TAIWAN = _("座標不在臺灣範圍內（緯度 21–26.5、經度 118–123），請在地圖上重新點選或確認數字。")
HALF_FILLED = _("緯度與經度請一起填寫。")


def in_taiwan(latitude, longitude) -> bool:
    lat, lng = Decimal(str(latitude)), Decimal(str(longitude))
    return LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LNG_RANGE[0] <= lng <= LNG_RANGE[1]


def validate_coordinates(latitude, longitude, *, required: bool = True) -> None:
    """Raise ValidationError (zh-Hant, keyed by field) unless the pair is a point in Taiwan."""
    if latitude is None and longitude is None:
        if required:
            raise ValidationError({"latitude": _("請在地圖上點選位置，或填寫緯度與經度。")})
        return
    if latitude is None or longitude is None:
        raise ValidationError({"longitude": HALF_FILLED})
    if not in_taiwan(latitude, longitude):
        raise ValidationError({"latitude": OUTSIDE_TAIWAN})
