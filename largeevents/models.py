"""Large events' volunteer plans (大型活動志工備案): the event's organiser files how volunteers
will serve (duties, headcount, insurance, training); the competent bureau reviews it as part of
the event's review (將志工備案納入本市大型活動審查檢核機制).

The organiser is a volunteer unit (志願服務運用單位: whoever uses volunteers is one under the
Volunteer Service Act) and the plan is for one of its events (``volunteers.Event``): shifts, the
venue's QR sign-in and the confirmed hours are the events' own, so the hours reach the records.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class LargeEventPlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待主管機關審查")
    APPROVED = "approved", _("審查通過")
    RETURNED = "returned", _("退回補正")
    WITHDRAWN = "withdrawn", _("已撤回")


class LargeEventPlan(models.Model):
    Status = LargeEventPlanStatus  # for templates: {% if x.status == x.Status.NAME %}

    event = models.OneToOneField(
        "volunteers.Event", verbose_name=_("活動"), on_delete=models.PROTECT, related_name="large_event_plan"
    )
    # The bureau reviewing the event as a whole (e.g. the sports bureau for a marathon); it need not
    # be the organising unit's own competent bureau.
    competent_bureau = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("審查主管機關"),
        on_delete=models.PROTECT,
        related_name="large_event_plans",
    )
    expected_attendance = models.PositiveIntegerField(_("預估參加人數"), default=0)
    duties = models.TextField(_("志工勤務內容"))
    headcount = models.PositiveIntegerField(_("志工人數"), validators=[MinValueValidator(1)])
    insurance_policy = models.ForeignKey(
        "volunteers.InsurancePolicy",
        verbose_name=_("志工意外事故保險"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    training_plan = models.TextField(_("行前訓練規劃"))
    training_hours = models.DecimalField(_("訓練時數"), max_digits=5, decimal_places=2, default=Decimal("0"))
    status = models.CharField(
        _("狀態"), max_length=12, choices=LargeEventPlanStatus.choices, default=LargeEventPlanStatus.DRAFT
    )
    return_reason = models.TextField(_("退回原因"), blank=True)
    submitted_at = models.DateTimeField(_("送出時間"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("審查時間"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("建立時間"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新時間"), auto_now=True)

    class Meta:
        verbose_name = _("大型活動志工計畫")
        verbose_name_plural = _("大型活動志工計畫")
        ordering = ["-event__starts_on"]

    def __str__(self):
        return f"{self.event.title} 志工計畫"

    @property
    def unit(self):
        return self.event.unit
