"""An offline gazetteer: a Taiwan address → the centre of its township/district (鄉鎮市區).

Where no geocoder can be reached (the portal calls no outside service), a unit or program whose
location nobody picked on the map is placed at the centre of the district its address names, so it
still appears on the welfare map. ``data/taiwan_districts.tsv`` lists all 368 districts: county,
district, postal code, latitude, longitude (the district centres of the national TGOS open data,
rounded to 5 decimals, about a metre); its notes record its row count and the rows' SHA-256, which
the tests check (the sources' edition was not recorded). Village (村里) centres are not shipped; a village in the
address is therefore placed at its district's centre, and ``precision`` says so.

Matching: 台 and 臺 are the same; a county name (e.g. 臺北市) narrows the district; without one, a
leading 3-digit postal code decides, else a district name found in only one county, else the
portal's own city (``CITY_NAME``) among several (大安區 is in both 臺北市 and 臺中市).
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings

DATA = Path(__file__).resolve().parent / "data" / "taiwan_districts.tsv"
_POSTCODE = re.compile(r"^\s*(\d{3})(?:\d{2,3})?(?!\d)")


@dataclass(frozen=True)
class Place:
    county: str
    district: str
    postcode: str
    latitude: Decimal
    longitude: Decimal
    precision: str = "district"

    @property
    def label(self) -> str:
        return f"{self.county}{self.district}"


def normalise(text: str) -> str:
    return (text or "").replace("台", "臺").replace(" ", "").replace("\u3000", "")


@cache
def places() -> tuple[Place, ...]:
    rows = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        county, district, postcode, lat, lng = line.split("\t")
        rows.append(Place(county, district, postcode, Decimal(lat), Decimal(lng)))
    return tuple(rows)


def _home_county() -> str:
    return normalise(getattr(settings, "CITY_NAME", ""))


def locate(address: str) -> Place | None:
    """The district centre for ``address``, or None when it names no district we know."""
    text = normalise(address)
    if not text:
        return None
    candidates = _candidates(text)
    if not candidates:
        return None
    match = _POSTCODE.match(text)
    return _best(candidates, match.group(1) if match else "")


def _candidates(text: str) -> list[tuple[int, int, int, Place]]:
    """(rank, county position, district position, place) for every district the text names: rank 0
    when its county is named before it, 1 when no other county is named at all."""
    named_counties = {place.county for place in places() if place.county in text}
    candidates = []
    for place in places():
        at = text.find(place.district)
        if at < 0:
            continue
        county_at = text.find(place.county)
        if county_at >= 0 and county_at + len(place.county) <= at:
            candidates.append((0, county_at, at, place))  # county named before the district
        elif not named_counties - {place.county}:
            candidates.append((1, 0, at, place))  # no other county named
    return candidates


def _best(candidates: list, postcode: str) -> Place:
    """The best-ranked candidate; ties go to the postcode's, then the home county's, then the
    earliest district name in the address (a road may carry another district's name later)."""
    best_rank = min(c[0] for c in candidates)
    best = [c for c in candidates if c[0] == best_rank]
    if len(best) > 1 and postcode:
        best = [c for c in best if c[3].postcode == postcode] or best
    if len(best) > 1:
        best = [c for c in best if c[3].county == _home_county()] or best
    best.sort(key=lambda c: (c[1], c[2]))
    return best[0][3]


def place_if_unplaced(record, address: str) -> Place | None:
    """Give ``record`` (with ``latitude``/``longitude``) its district's centre when nobody picked a
    location; a picked location always wins. Returns the place used, if any."""
    if record.latitude is not None or record.longitude is not None:
        return None
    place = locate(address)
    if place is not None:
        record.latitude, record.longitude = place.latitude, place.longitude
    return place
