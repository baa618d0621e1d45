"""Reads for units and their service plans."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEvent

from .. import permissions
from ..models import Membership, PlanStatus, ServicePlan, VolunteerUnit


def _count_of(rows):
    """How many of ``rows`` belong to the outer query's unit."""
    per_unit = rows.filter(unit=OuterRef("pk")).order_by().values("unit").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(per_unit, output_field=IntegerField()), 0)


def units_for(user, *, unit_ids=None):
    """Units with their organisation and latest plan status, for the centre's and bureaus' lists."""
    # Counted per unit in subqueries, not by joining memberships × plans and counting distinct:
    # PostgreSQL then evaluates them only for the page's rows, after sorting and the limit.
    units = VolunteerUnit.objects.select_related("organisation__competent_bureau").annotate(
        active_members=_count_of(Membership.objects.filter(left_on__isnull=True)),
        approved_plans=_count_of(ServicePlan.objects.filter(status=PlanStatus.APPROVED)),
    )
    if unit_ids is not None:
        units = units.filter(pk__in=unit_ids)
    return units.order_by("organisation__name")


def officers_of(unit):
    """The unit's officers (承辦人), shown on its profile."""
    return User.objects.filter(
        organisation_id=unit.organisation_id, role=Role.UNIT_OFFICER, is_active=True
    ).order_by("name", "pk")


def plans_of_unit(unit):
    """The unit's plans, newest year first (its page shows year, title and status: no reviewer)."""
    return unit.plans.order_by("-year")


def review_queue(user):
    """Plans waiting for this user's review: the centre sees first reviews, a bureau its second."""
    plans = ServicePlan.objects.select_related("unit__organisation__competent_bureau", "created_by")
    if permissions.is_first_reviewer(user):
        return plans.filter(status=PlanStatus.SUBMITTED).order_by("submitted_at")
    if permissions.can_review_plans(user) and user.organisation_id:
        bureau_ids = [user.organisation_id]
        return plans.filter(
            status=PlanStatus.CENTRE_APPROVED, unit__organisation__competent_bureau_id__in=bureau_ids
        ).order_by("centre_reviewed_at")
    return plans.none()


def plan_returns(plan) -> list:
    """Every time the plan was returned, oldest first, with the reason (kept in the audit trail, so
    a resubmitted plan still shows why it came back)."""
    return list(
        AuditEvent.objects.filter(
            target_type=plan._meta.label_lower,
            target_id=str(plan.pk),
            action__startswith="service_plan.returned",
        )
        .only("at", "action", "actor_label", "reason")
        .order_by("at", "pk")
    )
