"""Writes of the dashboard app: the goods drop-off / custody points shown on the welfare map."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import diff, record_event
from core.pagecache import invalidate

from . import permissions
from .geo import validate_coordinates
from .models import DropOffPoint

PAGE_CACHE = "dashboard"
EDITABLE_FIELDS = (
    "name",
    "role",
    "bureau",
    "address",
    "latitude",
    "longitude",
    "goods_accepted",
    "opening_hours",
    "phone",
    "is_active",
)


def _require(allowed: bool, message: str | None = None):
    if not allowed:
        raise ValidationError(message or _("您沒有權限執行此操作。"))


def _check(point: DropOffPoint) -> None:
    validate_coordinates(point.latitude, point.longitude)
    point.full_clean()


@transaction.atomic
def create_point(*, actor, **fields) -> DropOffPoint:
    _require(permissions.can_manage_points(actor))
    if not permissions.sees_all_points(actor):
        fields["bureau"] = actor.organisation  # a caseworker keeps only their own bureau's points
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"{sorted(unknown)} cannot be set")
    point = DropOffPoint(**fields)
    _check(point)
    point.save()
    record_event(actor=actor, action="dropoff_point.created", target=point, organisation=point.bureau)
    invalidate(PAGE_CACHE)
    return point


@transaction.atomic
def update_point(*, point: DropOffPoint, actor, **fields) -> DropOffPoint:
    point = DropOffPoint.objects.select_for_update().get(pk=point.pk)
    _require(permissions.can_edit_point(actor, point), _("只有管理此地點的局處可以修改。"))
    if not permissions.sees_all_points(actor):
        fields.pop("bureau", None)
    old = {f: getattr(point, f) for f in EDITABLE_FIELDS}
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"{name} cannot be edited")
        setattr(point, name, value)
    _check(point)
    point.save()
    changes = diff(point, old, EDITABLE_FIELDS)
    if changes:
        record_event(
            actor=actor,
            action="dropoff_point.edited",
            target=point,
            changes=changes,
            organisation=point.bureau,
        )
        invalidate(PAGE_CACHE)
    return point
