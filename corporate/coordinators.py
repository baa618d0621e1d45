"""A company's coordinators (聯絡窗口): several personal accounts may act for one company.

A coordinator is a personal account (donor or volunteer) whose organisation is the company
(``permissions.is_company_coordinator``); ``CorporateTeam.coordinator`` is the main contact among
them (named on the team's page, e-mailed about matches). A coordinator invites another by the
e-mail of an existing personal account that acts for no organisation yet (it joins when its owner
accepts the signed link), and removes one — never the last, so a company is never left without anyone to answer its matches. The team's row is locked
while coordinators are counted: two removals at once cannot remove both of the last two.
"""

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import record_event
from core import ratelimit
from core.notify import send_notification

from . import permissions
from .models import CorporateTeam

INVITED_SUBJECT = gettext_lazy("邀請您成為企業志工隊的聯絡窗口")
INVITATION_EMAIL = "corporate/email/coordinator_invited.txt"
INVITATION_SALT = "corporate.coordinator-invitation"
INVITATION_DAYS = 7
ADD_TRIES_PER_DAY = 10  # invitations per company a day: inviting a colleague is rare; each try counts


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
    address is looked up, core/ratelimit.py): the invitation e-mail cannot be sent to the many."""
    key = f"corporate:add-coordinator:{team.pk}:{ratelimit.local_date()}"
    if ratelimit.count(key, 60 * 60 * 24) > ADD_TRIES_PER_DAY:
        raise ValidationError({"email": _("今天新增聯絡窗口的次數已達上限，請明天再試。")})


@transaction.atomic
def invite_coordinator(*, team: CorporateTeam, actor, email: str) -> None:
    """Invite another personal account (found by its e-mail) to act for the company: it becomes a
    coordinator only when its owner accepts (``accept_invitation``), never by someone else's word,
    since a coordinator cannot leave while they are the last one and stops being able to register
    a company of their own.

    An address of no account and one that cannot be invited (staff, another company's, a unit's)
    get the same answer as an invitation sent: the form tells nobody who has an account."""
    team = _locked_team(team)
    if not permissions.can_manage_coordinators(actor, team):
        raise PermissionDenied(_("只有企業的聯絡窗口可以新增聯絡窗口。"))
    _count_try(team)
    email = (email or "").strip()
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first() if email else None
    if user is not None and user.organisation_id == team.organisation_id:
        raise ValidationError({"email": _("此帳號已是貴公司的聯絡窗口。")})
    if user is None or not permissions.can_register_team(user):
        return
    record_event(
        actor=actor,
        action="corporate.coordinator_invited",
        target=team,
        changes={"invited": user.pk},
        organisation=team.organisation,
    )
    send_notification(
        [user],  # in their own language
        INVITED_SUBJECT,
        INVITATION_EMAIL,
        {
            "team": team.name,
            "company": team.organisation.name,
            "by": actor.get_full_name(),
            "days": INVITATION_DAYS,
            "url": reverse("corporate:coordinator_join", args=[invitation_token(team, user, actor)]),
        },
    )


def _last_move(user) -> int:
    """The latest ``user.organisation_changed`` row of the account (0: none): every join and leave
    writes one (``move_to_organisation``), so an invitation is used once and is void once the
    account has joined or left a company since it was sent (someone removed cannot come back by
    the old link)."""
    from audit.models import AuditEvent

    last = (
        AuditEvent.objects.filter(
            action="user.organisation_changed", target_type=user._meta.label_lower, target_id=str(user.pk)
        )
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return last or 0


def invitation_token(team: CorporateTeam, user, actor) -> str:
    """A signed invitation: this team, this account, from this coordinator (valid INVITATION_DAYS,
    until the account next joins or leaves an organisation)."""
    return signing.dumps(
        {"t": team.pk, "u": user.pk, "by": actor.pk, "m": _last_move(user)}, salt=INVITATION_SALT
    )


def _invitation_for(token: str, user) -> dict | None:
    """The signed content of an unexpired invitation addressed to ``user``; None otherwise."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_DAYS * 24 * 60 * 60)
    except signing.BadSignature:  # also an expired one
        return None
    if not isinstance(data, dict) or not user.is_authenticated or data.get("u") != user.pk:
        return None
    return data


def read_invitation(token: str, user):
    """(team, inviter) of a valid, unexpired invitation addressed to ``user``; None otherwise."""
    data = _invitation_for(token, user)
    if data is None or _last_move(user) != data.get("m"):  # used already, or the account moved since
        return None
    team = CorporateTeam.objects.select_related("organisation").filter(pk=data.get("t")).first()
    inviter = get_user_model().objects.filter(pk=data.get("by")).first()
    if team is None or inviter is None:
        return None
    return team, inviter


@transaction.atomic
def accept_invitation(*, token: str, user) -> CorporateTeam:
    """The invited person agrees: their account now acts for the company (audited). Refused when
    the invitation is not theirs or has expired, when the coordinator who sent it no longer acts
    for the company, or when their account has since joined another organisation."""
    invalid = ValidationError(_("這個邀請連結無效或已過期；請貴公司的聯絡窗口再寄一次邀請。"))
    data = _invitation_for(token, user)
    if data is None:
        raise invalid
    # The team, then the account, locked; "used already?" is asked under the account's
    # lock, so a second click at once waits and then finds the move the first one made.
    team = (
        CorporateTeam.objects.select_for_update()
        .select_related("organisation")
        .filter(pk=data.get("t"))
        .first()
    )
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    inviter = get_user_model().objects.filter(pk=data.get("by")).first()
    if team is None or inviter is None or _last_move(user) != data.get("m"):
        raise invalid
    if not permissions.is_company_coordinator(inviter, team):
        raise ValidationError(_("邀請您的聯絡窗口已不代表這家企業，這個邀請已失效。"))
    if not permissions.can_register_team(user):
        raise ValidationError(_("您的帳號已隸屬其他機關單位或企業，無法成為聯絡窗口。"))
    record_event(
        actor=user,
        action="corporate.coordinator_added",
        target=team,
        changes={"coordinator": user.pk, "invited_by": inviter.pk},
        organisation=team.organisation,
    )
    move_to_organisation(user, team.organisation, actor=user, company=team.organisation)
    return team


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


@transaction.atomic
def leave_on_closure(user) -> None:
    """A coordinator closes their account (privacy.services.close_account): they leave the company
    first, the main contact passing on, as a removal would; refused for the last coordinator, so a
    company is never left to a closed account."""
    company = permissions.company_of(user)
    team = getattr(company, "corporate_team", None) if company is not None else None
    if team is None:
        return
    release_coordinator(team=team, user=user, actor=user)
    move_to_organisation(user, None, actor=user, company=company)
