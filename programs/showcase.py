"""What the home page asks for: the programs that need help most urgently, the goods most needed
now (with the drop-off point nearest to where they are needed), this month's figures and the latest
progress. A fixed number of queries; the page itself is cached whole (core.views.home).

Orders decided here (stated on the page):
- appeals: 急難救助 programs first, then the money appeals closest to their target (still short
  of it), then the ones ending soonest;
- goods: lines still short and not past their deadline, nearest deadline first, then the largest
  unmet share of the quantity asked;
- drop-off point: a cached page knows nothing of the visitor, so each item shows the active
  drop-off point nearest to the program's own place (great-circle distance); the page also lists
  every point by district, and a "nearest to me" button (static/core/nearest.js) sorts that list
  by the browser's own location, which never leaves the browser.
"""

import math
import re
from dataclasses import dataclass

from django.db.models import BooleanField, Case, F, FloatField, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from .models import GoodsNeed, ProgramStatus, ProgramUpdate
from .selectors import published_programs

EMERGENCY = "emergency"  # the 急難救助 category's slug (programs.constants)
APPEALS_SHOWN = 6
GOODS_SHOWN = 6
UPDATES_SHOWN = 4


def appeals(limit: int = APPEALS_SHOWN) -> list:
    return list(
        published_programs()
        .filter(ends_on__gte=timezone.localdate())
        .annotate(
            is_emergency=Case(
                When(category__slug=EMERGENCY, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            still_short=Case(
                When(money_target__gt=F("money_raised"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            funded_share=Case(
                When(
                    money_target__gt=F("money_raised"),
                    then=Cast("money_raised", FloatField()) / Cast("money_target", FloatField()),
                ),
                default=Value(0.0),
                output_field=FloatField(),
            ),
        )
        .select_related("category", "bureau")
        .order_by("-is_emergency", "-still_short", "-funded_share", "ends_on", "pk")[:limit]
    )


@dataclass
class NeededItem:
    need: GoodsNeed
    dropoff: object | None  # dashboard.models.DropOffPoint
    distance_km: float | None

    @property
    def program(self):
        return self.need.program

    @property
    def unmet_percent(self) -> int:
        return round(self.need.remaining * 100 / self.need.quantity) if self.need.quantity else 0


def _distance_km(lat1, lng1, lat2, lng2) -> float:
    lat1, lng1, lat2, lng2 = (math.radians(float(v)) for v in (lat1, lng1, lat2, lng2))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def dropoff_points() -> list:
    from dashboard.models import DropOffPoint, PointRole

    return list(
        DropOffPoint.objects.filter(is_active=True, role__in=[PointRole.DROPOFF, PointRole.BOTH]).order_by(
            "name", "pk"
        )
    )


def nearest_dropoff(program, points: list):
    """(point, km) nearest to the program's place; (first point, None) when the program is unplaced."""
    if not points:
        return None, None
    if program.latitude is None or program.longitude is None or program.category.is_sensitive:
        return points[0], None  # a sensitive program's place is not published: no distance from it
    best = min(
        points, key=lambda p: _distance_km(program.latitude, program.longitude, p.latitude, p.longitude)
    )
    return best, _distance_km(program.latitude, program.longitude, best.latitude, best.longitude)


_DISTRICT = re.compile(r"(?:\S{1,3}?[市縣])?(\S{1,3}?[區鄉鎮])")


def district_of(address: str) -> str:
    """The district an address names (臺北市萬華區東園街19號 → 萬華區), or "其他"."""
    match = _DISTRICT.search((address or "").replace(" ", ""))
    return match.group(1) if match else "其他"


def dropoffs_by_district(points: list) -> list[tuple[str, list]]:
    """Every drop-off point grouped by district (for visitors who know where they are)."""
    groups: dict[str, list] = {}
    for point in points:
        groups.setdefault(district_of(point.address), []).append(point)
    return sorted(groups.items())


def goods_most_needed(limit: int = GOODS_SHOWN, points: list | None = None) -> list[NeededItem]:
    needs = (
        GoodsNeed.objects.filter(
            program__status=ProgramStatus.PUBLISHED,
            deadline__gte=timezone.localdate(),
            quantity__gt=F("quantity_accepted"),
        )
        .annotate(
            unmet_share=Cast(F("quantity") - F("quantity_accepted"), FloatField())
            / Cast("quantity", FloatField())
        )
        .select_related("program", "program__category")
        .order_by("deadline", "-unmet_share", "pk")[:limit]
    )
    points = dropoff_points() if points is None else points
    out = []
    for need in needs:
        point, km = nearest_dropoff(need.program, points)
        out.append(NeededItem(need=need, dropoff=point, distance_km=round(km, 1) if km is not None else None))
    return out


def latest_updates(limit: int = UPDATES_SHOWN) -> list:
    return list(
        ProgramUpdate.objects.filter(program__status__in=[ProgramStatus.PUBLISHED, ProgramStatus.CLOSED])
        .select_related("program")
        .order_by("-posted_on", "-pk")[:limit]
    )


def month_figures() -> list:
    """This month's figures by the dashboard's definitions (its cached figures, one source)."""
    from dashboard.figures import current_figures

    today = timezone.localdate()
    prefix = f"month.{today.year}-{today.month:02d}."
    wanted = [f"{prefix}income", f"{prefix}goods_value", "programs_open", "beneficiaries"]
    by_key = {f.key: f for f in current_figures()}
    return [by_key[key] for key in wanted if key in by_key]


def home_context() -> dict:
    points = dropoff_points()
    return {
        "appeals": appeals(),
        "needed_goods": goods_most_needed(points=points),
        "dropoffs_by_district": dropoffs_by_district(points),
        "month_figures": month_figures(),
        "latest_updates": latest_updates(),
    }
