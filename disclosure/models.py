from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.storage import private_storage


class PayeeType(models.TextChoices):
    VENDOR = "vendor", _("廠商")
    BENEFICIARY = "beneficiary", _("受益人")
    ORGANISATION = "organisation", _("機構團體")
    OTHER = "other", _("其他")


class SpendingStatus(models.TextChoices):
    RECORDED = "recorded", _("待核定")
    APPROVED = "approved", _("已核定")
    RETURNED = "returned", _("退回")


class Spending(models.Model):
    """What a program spent from donated money: recorded by its bureau, approved by the social
    welfare bureau (never by the person who recorded it)."""

    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="spendings")
    spent_on = models.DateField("支出日期", db_index=True)
    item = models.CharField("支出項目", max_length=200)
    amount = models.PositiveIntegerField("金額（元）")
    payee_type = models.CharField("受款對象", max_length=20, choices=PayeeType.choices)
    voucher_number = models.CharField("傳票／憑證號碼", max_length=50)
    attachment = models.FileField("憑證附件", upload_to="spending/", storage=private_storage, blank=True)
    status = models.CharField(
        "狀態", max_length=20, choices=SpendingStatus.choices, default=SpendingStatus.RECORDED, db_index=True
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True)

    class Meta:
        verbose_name = "支出"
        verbose_name_plural = "支出"
        ordering = ["-spent_on", "-pk"]

    def __str__(self):
        return f"{self.spent_on} {self.item} NT${self.amount}"


class FundTransfer(models.Model):
    """Money moved from the unrestricted fund into a program's designated fund, so that a refund
    of a designated gift never takes that fund below zero. Published in the month it was made."""

    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="fund_transfers")
    amount = models.PositiveIntegerField("金額（元）")
    transferred_at = models.DateTimeField("撥補時間", db_index=True)
    reason = models.CharField("撥補原因", max_length=200)
    pledge = models.ForeignKey(
        "donations.Pledge", null=True, blank=True, on_delete=models.PROTECT, related_name="fund_transfers"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "基金撥補"
        verbose_name_plural = "基金撥補"
        ordering = ["-transferred_at"]

    def __str__(self):
        return f"{self.transferred_at:%Y-%m-%d} → {self.program_id} NT${self.amount}"


class MonthlyReport(models.Model):
    """One published version of a month's disclosure, frozen: its content is stored exactly as
    shown, with the SHA-256 of that content. A change to the month makes a new version."""

    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    version = models.PositiveSmallIntegerField("版本")
    content = models.JSONField("內容")
    # Totals and per-program sums of `content`, so month lists and program pages need not load every line.
    summary = models.JSONField("摘要", default=dict)
    digest = models.CharField("SHA-256", max_length=64)
    change_note = models.TextField("版本說明", blank=True)
    built_at = models.DateTimeField("產製時間", auto_now_add=True)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "公開徵信月報"
        verbose_name_plural = "公開徵信月報"
        ordering = ["-year", "-month", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "month", "version"], name="one_report_version")
        ]

    def __str__(self):
        return f"{self.year}-{self.month:02d} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Published reports are frozen; build a new version instead.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("disclosure:month", args=[self.year, f"{self.month:02d}"])


class CommitteeMeeting(models.Model):
    """A meeting of the relief committee (社會救濟會報): the period it reviewed, minutes, sign-off."""

    held_on = models.DateField("會議日期")
    title = models.CharField("會議名稱", max_length=200)
    period_start = models.DateField("審查期間起")
    period_end = models.DateField("審查期間迄")
    minutes = models.TextField("會議紀錄", blank=True)
    signed_off_by = models.CharField("簽核", max_length=200, blank=True)
    signed_off_at = models.DateTimeField("簽核時間", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "救濟會報會議"
        verbose_name_plural = "救濟會報會議"
        ordering = ["-held_on"]

    def __str__(self):
        return self.title
