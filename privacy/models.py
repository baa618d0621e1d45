"""People's requests under the Personal Data Protection Act that need a person to act on them.

Seeing and copying one's data needs nobody (the download is immediate); a correction, or a unit
told that one of its volunteers closed their account, is a task for that unit or the bureau.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    CORRECTION = "correction", _("更正個人資料")
    ACCOUNT_CLOSED = "account_closed", _("志工已註銷帳號")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("待處理")
    DONE = "done", _("已處理")


class DataRequest(models.Model):
    """A task for ``organisation`` (a volunteer unit, or the bureau) about one person's data."""

    Status = RequestStatus  # for templates: {% if x.status == x.Status.NAME %}

    kind = models.CharField(_("類別"), max_length=20, choices=RequestKind.choices)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申請人"),
        on_delete=models.PROTECT,
        related_name="data_requests",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("受理機關單位"),
        on_delete=models.PROTECT,
        related_name="data_requests",
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("需要更正的內容"), blank=True)
    status = models.CharField(
        _("狀態"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField(_("申請時間"), auto_now_add=True)
    handled_at = models.DateTimeField(_("處理時間"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reply = models.TextField(_("處理說明"), blank=True)

    class Meta:
        verbose_name = _("個資請求")
        verbose_name_plural = _("個資請求")
        ordering = ["status", "-created_at"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"
