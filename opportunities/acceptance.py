"""Putting an accepted applicant on the register and the roster: shared by the officer's
acceptance (``applications.decide``) and the waiting list's promotion (``waitlist``), so both
follow one rule. Called inside the caller's transaction, with the opportunity's row locked."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from audit.services import record_event
from volunteers.events import services as event_services
from volunteers.models import Membership, Training, TrainingKind, Volunteer
from volunteers.registry import services as registry_services

from .models import Application


def training_warnings(volunteer, opportunity) -> list[str]:
    """What the opportunity requires and the register does not show (said, not refused: the
    training may be on paper)."""
    warnings = []
    trainings = Training.objects.filter(volunteer=volunteer)
    if opportunity.requires_basic_training and not trainings.filter(kind=TrainingKind.BASIC).exists():
        warnings.append(_("%(name)s 在系統中沒有基礎訓練紀錄。") % {"name": volunteer.name})
    if (
        opportunity.requires_special_training
        and not trainings.filter(kind=TrainingKind.SPECIAL, domain=opportunity.domain).exists()
    ):
        warnings.append(
            _("%(name)s 在系統中沒有「%(domain)s」特殊訓練紀錄。")
            % {"name": volunteer.name, "domain": opportunity.get_domain_display()}
        )
    return warnings


def _volunteer_for(application: Application, actor) -> tuple[Volunteer, list[str]]:
    """The person on the register: the applicant's own linked record, else registered (or matched
    under the registry's rules: ID number, birth date and name must all agree) and linked."""
    warnings = []
    applicant = application.applicant
    opportunity = application.opportunity
    volunteer = Volunteer.objects.filter(user=applicant).first()
    if volunteer is not None:
        membership = Membership.objects.filter(unit=opportunity.unit, volunteer=volunteer).first()
        if membership is None:
            Membership.objects.create(
                unit=opportunity.unit,
                volunteer=volunteer,
                joined_on=timezone.localdate(),
                main_domain=opportunity.domain,
                note=f"志工招募：{opportunity.title}"[:200],
            )
            record_event(
                actor=actor,
                action="volunteer.joined_unit",
                target=volunteer,
                changes={"unit": opportunity.unit.name, "via": "opportunity"},
                organisation=opportunity.unit.organisation,
            )
        elif membership.left_on is not None:
            membership.left_on = None
            membership.joined_on = timezone.localdate()
            membership.save(update_fields=["left_on", "joined_on"])
        return volunteer, warnings
    if not application.identity_number:
        raise ValidationError(_("報名資料缺少證件號碼，無法登錄為志工；請報名者重新報名。"))
    volunteer = registry_services.register_volunteer(
        unit=opportunity.unit,
        actor=actor,
        name=applicant.name,
        identity_kind=application.identity_kind,
        identity_number=application.identity_number,
        birth_date=application.birth_date,
        sex=application.sex,
        main_domain=opportunity.domain,
        phone=application.phone,
        email=applicant.email,
    )
    if volunteer.user_id is None:
        volunteer.user = applicant
        volunteer.save(update_fields=["user", "updated_at"])
        if applicant.role == Role.DONOR:
            applicant.role = Role.VOLUNTEER
            applicant.save(update_fields=["role"])
            record_event(
                actor=actor,
                action="user.role_changed",
                target=applicant,
                changes={"role": [Role.DONOR, Role.VOLUNTEER]},
            )
        record_event(
            actor=actor, action="volunteer.account_linked", target=volunteer, changes={"via": "opportunity"}
        )
    elif volunteer.user_id != applicant.pk:
        warnings.append(_("此志工紀錄已連結其他帳號，報名者將無法在自己的帳號看到服務時數；請洽志推中心。"))
    return volunteer, warnings


def _erase_identity(application: Application) -> None:
    """The ID number was collected for the register; once decided it is not kept here."""
    application.identity_kind, application.identity_number = "", ""


def accept_onto_roster(application: Application, actor) -> list[str]:
    """The applicant on the register (linked or registered), a member of the unit, on the shifts
    they chose (the places were counted by the caller). Returns warnings for the officer."""
    opportunity = application.opportunity
    volunteer, warnings = _volunteer_for(application, actor)
    application.volunteer = volunteer
    application.accepted_at = timezone.now()
    warnings += training_warnings(volunteer, opportunity)
    for shift in application.shifts.filter(date__gte=timezone.localdate()).order_by("date", "starts_at"):
        try:
            signup = event_services.sign_up(shift=shift, volunteer=volunteer, actor=actor)
        except ValidationError as exc:
            warnings += [f"{shift}：{m}" for m in exc.messages]
        else:
            warnings += event_services.assignment_warnings(signup)
    _erase_identity(application)
    return warnings
