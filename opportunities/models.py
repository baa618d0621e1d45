"""Volunteer opportunities (志工招募) and the applications to them.

An ``Opportunity`` is posted by a volunteer unit with an approved plan. Its shifts are the
existing ``volunteers.Shift`` rows of the ``volunteers.Event`` the opportunity owns (``event``):
an accepted applicant is put on those shifts' roster, signs in with the event's QR code, and the
officer's confirmation turns the signed hours into a service record — one path from opportunity
to service record, no second shift model.

Whether an opportunity takes applications is partly stored, partly computed: the unit publishes
and closes it (``status``); "full" is set by the acceptance that fills it; "past" is computed from
``ends_on`` wherever it matters (``is_open``, ``selectors.open_opportunities``), and a nightly
task only records it (``status`` closed, reason past) for lists and figures.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedTextField
from core.validators import IdentityKind
from core.workflow import Move, Workflow
from volunteers.models import ServiceDomain, Sex


class OpportunityKind(models.TextChoices):
    ONE_OFF = "one_off", _("單次活動")
    REGULAR = "regular", _("定期服務")


class OpportunityStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("招募中")
    CLOSED = "closed", _("已截止")


class ClosedReason(models.TextChoices):
    NONE = "", _("—")
    BY_UNIT = "unit", _("單位結束招募")
    FULL = "full", _("名額已滿")
    PAST = "past", _("期間已過")


class Suitability(models.TextChoices):
    """Who the opportunity suits; one boolean column each on ``Opportunity`` (``suits_<value>``)."""

    FAMILY = "family", _("適合親子家庭")
    YOUTH = "youth", _("適合青年")
    SENIOR = "senior", _("適合長者")
    COMPANY = "company", _("適合企業團體")


class Opportunity(models.Model):
    Status = OpportunityStatus  # for templates: {% if x.status == x.Status.NAME %}

    unit = models.ForeignKey(
        "volunteers.VolunteerUnit",
        verbose_name=_("運用單位"),
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    # The opportunity's shifts are this event's shifts (volunteers.Shift); created with it.
    event = models.OneToOneField(
        "volunteers.Event", verbose_name=_("活動"), on_delete=models.PROTECT, related_name="opportunity"
    )
    title = models.CharField(_("招募標題"), max_length=120)
    description = models.TextField(_("服務內容"), max_length=4000)
    domain = models.CharField(_("服務領域"), max_length=20, choices=ServiceDomain.choices)
    kind = models.CharField(_("服務型態"), max_length=10, choices=OpportunityKind.choices)
    starts_on = models.DateField(_("開始日期"))
    ends_on = models.DateField(_("結束日期"))
    schedule = models.CharField(_("服務時段說明"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("招募人數"))
    # Place: the address, its district (a board filter), and a point picked on the map.
    venue = models.CharField(_("服務地點"), max_length=255)
    district = models.CharField(_("行政區"), max_length=20, blank=True, db_index=True)
    latitude = models.DecimalField(_("緯度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("經度"), max_digits=9, decimal_places=6, null=True, blank=True)
    # Required training: basic, and special training in the opportunity's domain.
    requires_basic_training = models.BooleanField(_("需完成基礎訓練"), default=False)
    requires_special_training = models.BooleanField(_("需完成該領域特殊訓練"), default=False)
    min_age = models.PositiveSmallIntegerField(_("最低年齡"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("最高年齡"), null=True, blank=True)
    conditions = models.TextField(_("其他條件"), max_length=2000, blank=True)
    suits_family = models.BooleanField(Suitability.FAMILY.label, default=False)
    suits_youth = models.BooleanField(Suitability.YOUTH.label, default=False)
    suits_senior = models.BooleanField(Suitability.SENIOR.label, default=False)
    suits_company = models.BooleanField(Suitability.COMPANY.label, default=False)
    # What the unit asks applicants beyond their account's details (shown above the answer box).
    question = models.CharField(_("想請報名者回答的問題"), max_length=200, blank=True)
    contact_name = models.CharField(_("聯絡人"), max_length=100)
    contact_phone = models.CharField(_("聯絡電話"), max_length=40, blank=True)
    contact_email = models.EmailField(_("聯絡信箱"), blank=True)
    status = models.CharField(
        _("狀態"), max_length=10, choices=OpportunityStatus.choices, default=OpportunityStatus.DRAFT
    )
    closed_reason = models.CharField(
        _("截止原因"), max_length=10, choices=ClosedReason.choices, default=ClosedReason.NONE, blank=True
    )
    published_at = models.DateTimeField(_("刊登時間"), null=True, blank=True)
    closed_at = models.DateTimeField(_("截止時間"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("建立時間"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新時間"), auto_now=True)

    class Meta:
        verbose_name = _("志工招募")
        verbose_name_plural = _("志工招募")
        ordering = ["starts_on", "pk"]
        indexes = [
            models.Index(fields=["status", "ends_on"]),
            models.Index(fields=["domain"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="opportunity_dates"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="opportunity_capacity"),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(max_age__gte=models.F("min_age")),
                name="opportunity_ages",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_past(self) -> bool:
        return self.ends_on < timezone.localdate()

    @property
    def is_open(self) -> bool:
        """Takes applications now: published, not past (full sets ``status`` closed)."""
        return self.status == OpportunityStatus.PUBLISHED and not self.is_past

    @property
    def shifts(self):
        """The opportunity's shifts (``volunteers.Shift``)."""
        from volunteers.models import Shift

        return Shift.objects.filter(event_id=self.event_id)

    @property
    def suitabilities(self) -> list[str]:
        return [s.label for s in Suitability if getattr(self, f"suits_{s.value}")]


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待審核")
    WAITLISTED = "waitlisted", _("候補中")
    ACCEPTED = "accepted", _("已錄取")
    DECLINED = "declined", _("未錄取")
    WITHDRAWN = "withdrawn", _("已撤回")


class ApplicationAction(models.TextChoices):
    ACCEPT = "accept", _("錄取")
    WAITLIST = "waitlist", _("列入候補")
    DECLINE = "decline", _("婉拒")
    WITHDRAW = "withdraw", _("撤回報名")
    # Moves the portal makes, not a person: a place reopens and the earliest waiting applicant is
    # accepted (``waitlist``); the opportunity ends with the application undecided (``ending``).
    PROMOTE = "promote", _("候補遞補錄取")
    EXPIRE = "expire", _("招募結束未錄取")


# The transitions, as data (core.workflow): officers accept, waitlist or decline; the applicant
# withdraws (also after acceptance, which takes them off the shifts not yet signed in to); the
# portal promotes a waiting applicant when a place reopens, and declines what is still undecided
# once the opportunity has ended.
APPLICATION_FLOW = Workflow(
    ApplicationStatus,
    {
        ApplicationAction.ACCEPT: Move(
            {ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED}, ApplicationStatus.ACCEPTED, _("錄取")
        ),
        ApplicationAction.WAITLIST: Move(
            {ApplicationStatus.SUBMITTED}, ApplicationStatus.WAITLISTED, _("列入候補")
        ),
        ApplicationAction.DECLINE: Move(
            {ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED}, ApplicationStatus.DECLINED, _("婉拒")
        ),
        ApplicationAction.WITHDRAW: Move(
            {ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED, ApplicationStatus.ACCEPTED},
            ApplicationStatus.WITHDRAWN,
            _("撤回報名"),
        ),
        ApplicationAction.PROMOTE: Move(
            {ApplicationStatus.WAITLISTED}, ApplicationStatus.ACCEPTED, _("候補遞補錄取")
        ),
        ApplicationAction.EXPIRE: Move(
            {ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED},
            ApplicationStatus.DECLINED,
            _("招募結束未錄取"),
        ),
    },
)
# The same table as (from, action) → to, for code that asks about one pair.
APPLICATION_TRANSITIONS: dict[tuple[str, str], str] = {
    (source, str(action)): move.target
    for action, move in APPLICATION_FLOW.moves.items()
    for source in move.sources
}
OFFICER_ACTIONS = (ApplicationAction.ACCEPT, ApplicationAction.WAITLIST, ApplicationAction.DECLINE)
APPLICANT_ACTIONS = (ApplicationAction.WITHDRAW,)
SYSTEM_ACTIONS = (ApplicationAction.PROMOTE, ApplicationAction.EXPIRE)
UNDECIDED_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED)
# Still in the running: count against nothing, but a second application is refused.
LIVE_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED, ApplicationStatus.ACCEPTED)


class Application(models.Model):
    """A signed-in person's application (報名) to an opportunity.

    Name, e-mail and phone come from the account. Someone whose account is not yet linked to a
    volunteer record also gives what the register needs (ID number, birth date, sex); the ID number
    is kept encrypted only until the officer decides, then erased (the register keeps it if they
    are accepted)."""

    Status = ApplicationStatus  # for templates: {% if x.status == x.Status.NAME %}

    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("志工招募"), on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("報名者"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # Set on acceptance: the person on the register (matched or registered then).
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        verbose_name=_("志工"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    status = models.CharField(
        _("狀態"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    shifts = models.ManyToManyField(
        "volunteers.Shift", verbose_name=_("希望參加的班次"), blank=True, related_name="applications"
    )
    phone = models.CharField(_("聯絡電話"), max_length=40, blank=True)
    answer = models.TextField(_("回答與補充說明"), max_length=2000, blank=True)
    has_basic_training = models.BooleanField(_("已完成基礎訓練"), default=False)
    has_special_training = models.BooleanField(_("已完成該領域特殊訓練"), default=False)
    # For the register, only when the account has no volunteer record yet.
    identity_kind = models.CharField(_("證件類別"), max_length=30, choices=IdentityKind.choices, blank=True)
    identity_number = EncryptedTextField(_("證件號碼"), blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    sex = models.CharField(_("性別"), max_length=1, choices=Sex.choices, blank=True)
    # The officer's message with a decline or waiting list (sent to the applicant).
    decision_message = models.TextField(_("給報名者的訊息"), max_length=2000, blank=True)
    decided_at = models.DateTimeField(_("審核時間"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(_("錄取時間"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回時間"), null=True, blank=True)
    created_at = models.DateTimeField(_("報名時間"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新時間"), auto_now=True)

    class Meta:
        verbose_name = _("志工報名")
        verbose_name_plural = _("志工報名")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["opportunity", "status"]), models.Index(fields=["created_at"])]
        constraints = [
            # One live application per person and opportunity; after a withdrawal or a decline
            # they may apply again.
            models.UniqueConstraint(
                fields=["opportunity", "applicant"],
                condition=Q(status__in=["submitted", "waitlisted", "accepted"]),
                name="one_live_application",
            )
        ]

    def __str__(self):
        return f"{self.applicant} → {self.opportunity}"

    def next_status(self, action: str) -> str | None:
        return APPLICATION_TRANSITIONS.get((self.status, action))

    @property
    def decided_by_portal(self) -> bool:
        """Decided by the portal itself (ending.py declines what is undecided when an opportunity
        has ended), not by an officer: its message is the portal's note, not the unit's."""
        return self.decided_at is not None and self.decided_by_id is None


class ShiftReminder(models.Model):
    """A reminder e-mail sent for one accepted volunteer's shift: the row makes the reminder task
    idempotent (sent once, however often the task runs)."""

    signup = models.OneToOneField("volunteers.ShiftSignup", on_delete=models.CASCADE, related_name="reminder")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reminders")
    sent_at = models.DateTimeField(_("寄送時間"), auto_now_add=True)

    class Meta:
        verbose_name = _("班次提醒")
        verbose_name_plural = _("班次提醒")

    def __str__(self):
        return f"{self.signup_id} {self.sent_at:%Y-%m-%d %H:%M}"
