"""The roles people hold in Goodday and the kinds of organisation they belong to."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    BUREAU = "bureau", _("局處")
    SOCIAL_WELFARE_BUREAU = "social_welfare", _("社會局")
    VOLUNTEER_UNIT = "volunteer_unit", _("志願服務運用單位")
    VOLUNTEER_CENTRE = "volunteer_centre", _("志願服務推廣中心")
    COMMITTEE = "committee", _("社會救濟會報")
    # A company with a corporate volunteer team (企業志工); its people keep ordinary donor or
    # volunteer accounts: corporate.permissions.is_company_coordinator.
    COMPANY = "company", _("企業")


class DonorKind(models.TextChoices):
    """Who gives: a person (masked in public lists) or a company or organisation (shown in full)."""

    PERSON = "person", _("個人")
    COMPANY = "company", _("公司／團體")


class Role(models.TextChoices):
    DONOR = "donor", _("捐款人")
    CASEWORKER = "caseworker", _("局處承辦人")
    SW_REVIEWER = "sw_reviewer", _("社會局審核人員")
    COMMITTEE = "committee", _("社會救濟會報委員")
    UNIT_OFFICER = "unit_officer", _("運用單位承辦人")
    CENTRE_STAFF = "centre_staff", _("志推中心人員")
    CARD_REVIEWER = "card_reviewer", _("社會局榮譽卡審核人員")
    VOLUNTEER = "volunteer", _("志工")
    SITE_ADMIN = "site_admin", _("系統管理員")


# Roles that act for the city: they must use two-factor sign-in.
STAFF_ROLES = frozenset(
    {
        Role.CASEWORKER,
        Role.SW_REVIEWER,
        Role.COMMITTEE,
        Role.UNIT_OFFICER,
        Role.CENTRE_STAFF,
        Role.CARD_REVIEWER,
        Role.SITE_ADMIN,
    }
)

# Which kind of organisation each organisational role belongs to.
ROLE_ORGANISATION_KINDS = {
    Role.CASEWORKER: {OrganisationKind.BUREAU, OrganisationKind.SOCIAL_WELFARE_BUREAU},
    Role.SW_REVIEWER: {OrganisationKind.SOCIAL_WELFARE_BUREAU},
    Role.CARD_REVIEWER: {OrganisationKind.SOCIAL_WELFARE_BUREAU},
    Role.UNIT_OFFICER: {OrganisationKind.VOLUNTEER_UNIT},
    Role.CENTRE_STAFF: {OrganisationKind.VOLUNTEER_CENTRE},
    Role.COMMITTEE: {OrganisationKind.COMMITTEE},
}
