"""A company's coordinators (聯絡窗口): several personal accounts may act for one company.

A coordinator is a personal account (donor or volunteer) whose organisation is the company
(``permissions.is_company_coordinator``); ``CorporateTeam.coordinator`` is the main contact among
them (named on the team's page, e-mailed about matches). A coordinator adds another by the e-mail
of an existing personal account that acts for no organisation yet, and removes one — never the
last, so a company is never left without anyone to answer its matches. The team's row is locked
while coordinators are counted: two removals at once cannot remove both of the last two.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import record_event
from core import ratelimit
from core.notify import send_notification

from . import permissions
from .models import CorporateTeam

ADDED_SUBJECT = gettext_lazy("您已成為企業志工隊的聯絡窗口")
EMAIL = "corporate/email/coordinator_added.txt"
ADD_TRIES_PER_DAY = 10  # per company: adding a colleague is rare; each try is counted


def move_to_organisation(user, organisation, *, actor, company) -> None:
    """``user`` now acts for ``organisation`` (None: for nobody), audited in ``company``'s trail:
    the one way a company's coordinators join or leave it."""
    old = user.organisation.name if user.organisation_id else None
    user.organisation = organisation
    user.save(update_fields=["organisation"])
    record_event(
        actor=actor,
        action="user.organisation_changed",
        target=user,
        changes={"organisation": [old, organisation.name if organisation else None]},
        organisation=company,
    )


def coordinators_of(team: CorporateTeam):
    """The company's coordinators, the main contact first."""
    from django.db.models import Case, IntegerField, Value, When

    return (
        get_user_model()
        .objects.filter(
            organisation_id=team.organisation_id, role__in=permissions.PERSONAL_ROLES, is_active=True
        )
        .annotate(
            main=Case(
                When(pk=team.coordinator_id, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("main", "pk")
    )


def _locked_team(team: CorporateTeam) -> CorporateTeam:
    return CorporateTeam.objects.select_for_update().select_related("organisation").get(pk=team.pk)


def _count_try(team: CorporateTeam) -> None:
    """Each try counts against the company's daily allowance (one atomic increment, before the
    address is looked up, core/ratelimit.py): typing addresses one after another is no way to learn
    who has an account, and the added person's e-mail cannot be sent to the many."""
    key = f"corporate:add-coordinator:{team.pk}:{timezone.localdate()}"
    if ratelimit.count(key, 60 * 60 * 24) > ADD_TRIES_PER_DAY:
        raise ValidationError({"email": _("今天新增聯絡窗口的次數已達上限，請明天再試。")})


@transaction.atomic
def add_coordinator(*, team: CorporateTeam, actor, email: str):
    """Another personal account (found by its e-mail) becomes a coordinator of the company.

    An address of no account and one of an account that cannot be added (staff, another company's,
    a unit's) get the same answer: the form tells nobody which addresses are the portal's staff."""
    team = _locked_team(team)
    if not permissions.can_manage_coordinators(actor, team):
        raise PermissionDenied(_("只有企業的聯絡窗口可以新增聯絡窗口。"))
    _count_try(team)
    email = (email or "").strip()
    user = (
        get_user_model().objects.select_for_update().filter(email__iexact=email, is_active=True).first()
        if email
        else None
    )
    if user is not None and user.organisation_id == team.organisation_id:
        raise ValidationError({"email": _("此帳號已是貴公司的聯絡窗口。")})
    if user is None or not permissions.can_register_team(user):
        raise ValidationError(
            {
                "email": _(
                    "無法以這個電子郵件新增聯絡窗口：對方須先以此電子郵件註冊好日子個人帳號，"
                    "且尚未隸屬任何機關單位或企業。"
                )
            }
        )
    record_event(
        actor=actor,
        action="corporate.coordinator_added",
        target=team,
        changes={"coordinator": user.pk},
        organisation=team.organisation,
    )
    move_to_organisation(user, team.organisation, actor=actor, company=team.organisation)
    send_notification(
        [user],  # in their own language
        ADDED_SUBJECT,
        EMAIL,
        {
            "team": team.name,
            "company": team.organisation.name,
            "by": actor.get_full_name(),
            "url": reverse("corporate:team_detail", args=[team.pk]),
        },
    )
    return user


def release_coordinator(*, team: CorporateTeam, user, actor) -> CorporateTeam:
    """``user`` stops acting for the company (removed, or gone to register a volunteer unit):
    refused when they are its last coordinator; the main contact passes to the earliest remaining
    one. Call inside a transaction; locks the team's row. Does not change ``user`` itself."""
    team = _locked_team(team)
    others = coordinators_of(team).exclude(pk=user.pk)
    successor = others.order_by("pk").first()
    if successor is None:
        raise ValidationError(
            _("%(name)s 是「%(team)s」唯一的聯絡窗口；請先新增另一位聯絡窗口。")
            % {"name": user.get_full_name() or user.email, "team": team.name}
        )
    if team.coordinator_id == user.pk:
        team.coordinator = successor
        team.save(update_fields=["coordinator"])
        record_event(
            actor=actor,
            action="corporate.main_contact_changed",
            target=team,
            changes={"coordinator": [user.pk, successor.pk]},
            organisation=team.organisation,
        )
    return team


@transaction.atomic
def remove_coordinator(*, team: CorporateTeam, actor, user):
    """A coordinator removes another (or themselves); never the company's last one."""
    team = _locked_team(team)
    if not permissions.can_manage_coordinators(actor, team):
        raise PermissionDenied(_("只有企業的聯絡窗口可以移除聯絡窗口。"))
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if not permissions.is_company_coordinator(user, team):
        raise ValidationError(_("此帳號不是貴公司的聯絡窗口。"))
    team = release_coordinator(team=team, user=user, actor=actor)
    record_event(
        actor=actor,
        action="corporate.coordinator_removed",
        target=team,
        changes={"coordinator": user.pk},
        organisation=team.organisation,
    )
    move_to_organisation(user, None, actor=actor, company=team.organisation)
    return user
