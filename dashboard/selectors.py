"""Reads for the welfare map: the points (programs, volunteer units, drop-off points) as plain
objects, shared by the page's list, the map's markers and the GeoJSON feed."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from programs import selectors as program_selectors
from programs.models import Category, ServiceNeed
from volunteers.models import PlanStatus, VolunteerUnit

from .models import DropOffPoint
from .permissions import sees_all_points

KINDS = {
    "program": _("愛心方案"),
    "unit": _("志願服務運用單位"),
    "opportunity": _("志工招募"),
    "dropoff": _("物資收件／保管點"),
}
NEED_TYPES = program_selectors.NEED_TYPES  # money / goods / services, as on the program catalogue


@dataclass
class MapPoint:
    kind: str
    pk: int
    name: str
    latitude: float
    longitude: float
    address: str = ""
    category: str = ""
    need_types: list = field(default_factory=list)
    organisation: str = ""
    detail: str = ""
    url: str = ""

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.pk}"

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def need_labels(self) -> list[str]:
        return [gettext(NEED_TYPES[n]) for n in self.need_types]


def clean_filters(params) -> dict:
    """The map's filters from a query string; unknown values are ignored (treated as 'all')."""
    category = (params.get("category") or "").strip()
    need = (params.get("need") or "").strip()
    kind = (params.get("kind") or "").strip()
    return {
        "category": category if Category.objects.filter(slug=category).exists() else "",
        "need": need if need in NEED_TYPES else "",
        "kind": kind if kind in KINDS else "",
    }


def _programs(category: str, need: str) -> list[MapPoint]:
    # The catalogue's own filters (category, need type), open programs only; sensitive categories
    # (e.g. 家暴被害) never appear on the map: their place could identify the people served.
    qs = (
        program_selectors.catalogue(category=category, need=need, state="open")
        .filter(latitude__isnull=False, longitude__isnull=False, category__is_sensitive=False)
        .annotate(has_services=Exists(ServiceNeed.objects.filter(program=OuterRef("pk"))))
        .order_by("title", "pk")
    )
    points = []
    for program in qs:
        needs = []
        if program.money_target:
            needs.append("money")
        if program.goods_needs.all():
            needs.append("goods")
        if program.has_services:
            needs.append("services")
        points.append(
            MapPoint(
                kind="program",
                pk=program.pk,
                name=program.title,
                latitude=float(program.latitude),
                longitude=float(program.longitude),
                address=program.address or program.place,
                category=program.category.name,
                need_types=needs,
                organisation=program.bureau.name,
                detail=program.summary,
                url=program.get_absolute_url(),
            )
        )
    return points


def _units() -> list[MapPoint]:
    # The units the volunteer statistics count: those with an approved service plan.
    qs = (
        VolunteerUnit.objects.filter(
            latitude__isnull=False,
            longitude__isnull=False,
            organisation__is_active=True,
            plans__status=PlanStatus.APPROVED,
        )
        .distinct()
        .select_related("organisation", "organisation__competent_bureau")
        .order_by("organisation__name", "pk")
    )
    return [
        MapPoint(
            kind="unit",
            pk=unit.pk,
            name=unit.organisation.name,
            latitude=float(unit.latitude),
            longitude=float(unit.longitude),
            address=unit.organisation.address,
            category=unit.get_main_domain_display(),
            need_types=["services"],
            organisation=unit.organisation.competent_bureau.name
            if unit.organisation.competent_bureau
            else "",
            detail=unit.description[:120],
            url="",
        )
        for unit in qs
    ]


def _opportunities() -> list[MapPoint]:
    # Taking applications now (the board's definition); each links to its own page.
    from opportunities.selectors import open_opportunities

    qs = (
        open_opportunities()
        .filter(latitude__isnull=False, longitude__isnull=False)
        .select_related("unit__organisation")
        .order_by("starts_on", "pk")
    )
    return [
        MapPoint(
            kind="opportunity",
            pk=o.pk,
            name=o.title,
            latitude=float(o.latitude),
            longitude=float(o.longitude),
            address=o.venue,
            category=o.get_domain_display(),
            need_types=["services"],
            organisation=o.unit.organisation.name,
            detail=o.description[:120],
            url=reverse("opportunities:detail", args=[o.pk]),
        )
        for o in qs
    ]


def _dropoffs() -> list[MapPoint]:
    qs = DropOffPoint.objects.filter(is_active=True).select_related("bureau").order_by("name", "pk")
    return [
        MapPoint(
            kind="dropoff",
            pk=point.pk,
            name=point.name,
            latitude=float(point.latitude),
            longitude=float(point.longitude),
            address=point.address,
            category=point.get_role_display(),
            need_types=["goods"],
            organisation=point.bureau.name,
            detail=gettext("收受：%(goods)s；開放時間：%(hours)s")
            % {"goods": point.goods_accepted, "hours": point.opening_hours},
            url="",
        )
        for point in qs
    ]


def map_points(*, category: str = "", need: str = "", kind: str = "") -> list[MapPoint]:
    """Published programs by their place, volunteer units and goods drop-off points.

    A program category applies to programs only (units and drop-off points have none), so choosing
    one shows programs alone. Need types: units offer services, drop-off points take goods.
    """
    points = []
    if kind in ("", "program"):
        points += _programs(category, need)
    if not category:
        if kind in ("", "unit") and need in ("", "services"):
            points += _units()
        if kind in ("", "opportunity") and need in ("", "services"):
            points += _opportunities()
        if kind in ("", "dropoff") and need in ("", "goods"):
            points += _dropoffs()
    map_url = reverse("dashboard:map")
    for point in points:
        if not point.url:
            point.url = f"{map_url}#{point.anchor}"
    return points


def as_geojson(points: list[MapPoint], *, absolute) -> dict:
    """A GeoJSON FeatureCollection (RFC 7946: [longitude, latitude]); ``absolute`` makes URLs absolute."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": p.anchor,
                "geometry": {"type": "Point", "coordinates": [p.longitude, p.latitude]},
                "properties": {
                    "kind": p.kind,
                    "kind_label": p.kind_label,
                    "name": p.name,
                    "category": p.category,
                    "need_types": p.need_types,
                    "need_labels": p.need_labels,
                    "address": p.address,
                    "organisation": p.organisation,
                    "detail": p.detail,
                    "url": absolute(p.url),
                },
            }
            for p in points
        ],
    }


def points_for(user):
    """The drop-off and custody points a user keeps: their bureau's, or all for the overseers."""
    qs = DropOffPoint.objects.select_related("bureau").order_by("bureau__name", "name", "pk")
    if not sees_all_points(user):
        qs = qs.filter(bureau_id=user.organisation_id)
    return qs
