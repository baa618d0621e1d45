"""Corporate volunteering (企業志工): a company's volunteer team, its roster, and its matches to
shifts (a unit's or the volunteer centre's proposal, the company's answer, the unit's enrolment).

The company is an ``Organisation`` of kind ``company``; its coordinator keeps an ordinary personal
account (donor or volunteer role) whose organisation is the company. The hours the team serves are
the service records of its enrolments: ``TeamEnrolment.signup.service_record``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedTextField
from core.validators import IdentityKind, mask_identity_number
from volunteers.models import Sex


class Availability(models.TextChoices):
    WEEKDAY_DAYTIME = "weekday_day", _("平日白天")
    WEEKDAY_EVENING = "weekday_evening", _("平日晚上")
    WEEKEND = "weekend", _("週末")


class CorporateTeam(models.Model):
    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("企業"),
        on_delete=models.PROTECT,
        related_name="corporate_team",
    )
    # 統一編號, checked by its check digit (core.validators.validate_company_tax_id).
    tax_id = models.CharField(_("統一編號"), max_length=8, unique=True)
    name = models.CharField(_("志工隊名稱"), max_length=120)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("聯絡窗口"),
        on_delete=models.PROTECT,
        related_name="coordinated_teams",
    )
    coordinator_phone = models.CharField(_("聯絡電話"), max_length=40)
    headcount = models.PositiveIntegerField(_("可參與人數"))
    # ServiceDomain values; a JSON list so SQLite (the embedded default) works too.
    interests = models.JSONField(_("有興趣的服務領域"), default=list)
    availability = models.JSONField(_("可服務時段"), default=list)
    availability_note = models.CharField(_("時段說明"), max_length=200, blank=True)
    description = models.TextField(_("團隊簡介"), blank=True)
    is_active = models.BooleanField(_("媒合中"), default=True)
    created_at = models.DateTimeField(_("建立時間"), auto_now_add=True)

    class Meta:
        verbose_name = _("企業志工隊")
        verbose_name_plural = _("企業志工隊")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def company_name(self) -> str:
        return self.organisation.name

    def interest_labels(self) -> list[str]:
        from volunteers.models import ServiceDomain

        return [str(ServiceDomain(v).label) for v in self.interests if v in ServiceDomain.values]

    def availability_labels(self) -> list[str]:
        return [str(Availability(v).label) for v in self.availability if v in Availability.values]


class TeamMember(models.Model):
    """An employee the coordinator lists, with the details a unit needs to register a volunteer
    (and insure them); stored encrypted, shown masked, used only to enrol them on a matched shift."""

    team = models.ForeignKey(CorporateTeam, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=100)
    identity_kind = models.CharField(_("證件類別"), max_length=30, choices=IdentityKind.choices)
    identity_number = EncryptedTextField(_("證件號碼"), lookup_hash_field="identity_hash")
    identity_hash = models.CharField(max_length=64, editable=False)
    birth_date = models.DateField(_("出生日期"))
    sex = models.CharField(_("性別"), max_length=1, choices=Sex.choices)
    phone = models.CharField(_("電話"), max_length=40, blank=True)
    email = models.EmailField(_("電子郵件"), blank=True)
    # Set when a unit enrols the member: the person on the volunteer register.
    volunteer = models.ForeignKey(
        "volunteers.Volunteer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("建立時間"), auto_now_add=True)

    class Meta:
        verbose_name = _("企業志工隊員")
        verbose_name_plural = _("企業志工隊員")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["team", "identity_hash"], name="one_member_per_person_per_team")
        ]

    def __str__(self):
        return self.name

    @property
    def masked_identity(self) -> str:
        return mask_identity_number(self.identity_number)


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("待企業回覆")
    ACCEPTED = "accepted", _("企業已同意")
    DECLINED = "declined", _("企業婉拒")
    ENROLLED = "enrolled", _("已排班")
    CANCELLED = "cancelled", _("已取消")


class TeamMatch(models.Model):
    """A company team proposed for a shift (媒合); may answer a program's service need through the
    company's service offer (``offer``: the donation side)."""

    team = models.ForeignKey(CorporateTeam, on_delete=models.PROTECT, related_name="matches")
    shift = models.ForeignKey("volunteers.Shift", on_delete=models.PROTECT, related_name="team_matches")
    offer = models.ForeignKey(
        "programs.Offer",
        verbose_name=_("服務捐贈意向"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="team_matches",
    )
    people = models.PositiveIntegerField(_("預計人數"))
    note = models.CharField(_("說明"), max_length=300, blank=True)
    status = models.CharField(
        _("狀態"), max_length=12, choices=MatchStatus.choices, default=MatchStatus.PROPOSED, db_index=True
    )
    decline_reason = models.CharField(_("婉拒原因"), max_length=300, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("提出時間"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("回覆時間"), null=True, blank=True)

    class Meta:
        verbose_name = _("企業志工媒合")
        verbose_name_plural = _("企業志工媒合")
        ordering = ["-proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "shift"],
                condition=~Q(status__in=["declined", "cancelled"]),
                name="one_open_match_per_team_shift",
            )
        ]

    def __str__(self):
        return f"{self.team} → {self.shift}"


class TeamEnrolment(models.Model):
    """A team member on the matched shift: the sign-up whose confirmed hours the CSR report counts."""

    match = models.ForeignKey(TeamMatch, on_delete=models.PROTECT, related_name="enrolments")
    member = models.ForeignKey(TeamMember, null=True, on_delete=models.SET_NULL, related_name="enrolments")
    signup = models.OneToOneField(
        "volunteers.ShiftSignup", on_delete=models.PROTECT, related_name="corporate_enrolment"
    )
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    enrolled_at = models.DateTimeField(_("排班時間"), auto_now_add=True)

    class Meta:
        verbose_name = _("企業志工排班")
        verbose_name_plural = _("企業志工排班")
        constraints = [models.UniqueConstraint(fields=["match", "member"], name="one_enrolment_per_member")]

    def __str__(self):
        return f"{self.match} #{self.signup_id}"
