"""Honor cards (志願服務榮譽卡): a unit's application, two reviews, the numbered card and its PDF.

An application snapshots the eligibility check it was filed with (``eligibility``, JSON) and the
figures a reviewer confirms (period, years, hours). The card keeps the period and the service
records it used (``service_records``), so a renewal never counts them again.
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TwoStageReview
from core.roc import to_roc
from volunteers.models import ServiceRecord, private_storage


class Counter(models.Model):
    """One row per ROC year, locked while a card number is taken: numbers are unique and gap-free."""

    roc_year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("榮譽卡編號計數器")
        verbose_name_plural = _("榮譽卡編號計數器")

    def __str__(self):
        return f"{self.roc_year}: {self.last}"


class ApplicationKind(models.TextChoices):
    FIRST = "first", _("初次申請")
    RENEWAL = "renewal", _("重新申請（換發）")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待志推中心初審")
    CENTRE_APPROVED = "centre_approved", _("待社會局複審")
    RETURNED = "returned", _("退回補正")
    APPROVED = "approved", _("已核發")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.CENTRE_APPROVED, ApplicationStatus.RETURNED)


class ReviewStage(models.TextChoices):
    CENTRE = "centre", _("志推中心初審")
    BUREAU = "bureau", _("社會局複審")


class Application(TwoStageReview):
    Status = ApplicationStatus  # for templates: {% if x.status == x.Status.NAME %}

    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        verbose_name=_("志工"),
        on_delete=models.PROTECT,
        related_name="honor_card_applications",
    )
    unit = models.ForeignKey(
        "volunteers.VolunteerUnit",
        verbose_name=_("申請單位"),
        on_delete=models.PROTECT,
        related_name="honor_card_applications",
    )
    kind = models.CharField(_("申請類別"), max_length=10, choices=ApplicationKind.choices)
    previous_card = models.ForeignKey(
        "HonorCard",
        verbose_name=_("前一張榮譽卡"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("狀態"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    record_book_number = models.CharField(_("服務紀錄冊編號"), max_length=60)
    # The figures the application is filed with (pre-filled from the records; declared for paper history).
    counted_from = models.DateField(_("採計起日"))
    counted_until = models.DateField(_("採計迄日（最近一次服務日期）"))
    years = models.PositiveSmallIntegerField(_("服務年資（年）"))
    extra_days = models.PositiveSmallIntegerField(_("服務年資（又幾日）"), default=0)
    hours = models.DecimalField(_("服務時數"), max_digits=8, decimal_places=2)
    declared = models.BooleanField(_("含紙本紀錄冊申報數字"), default=False)
    declared_start = models.DateField(_("申報服務開始日期"), null=True, blank=True)
    declared_last_service = models.DateField(_("申報最近服務日期"), null=True, blank=True)
    declared_hours = models.DecimalField(
        _("申報服務時數"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    declared_confirmed = models.BooleanField(_("審核人已核對申報數字"), default=False)
    # The check as computed when filed (EligibilityResult.as_dict()); the review screen recomputes it.
    eligibility = models.JSONField(_("資格檢核結果"), default=dict)
    photo = models.ImageField(_("大頭照"), storage=private_storage, upload_to="honorcards/photos/")
    record_book_cover = models.ImageField(
        _("紀錄冊封面"), storage=private_storage, upload_to="honorcards/books/", blank=True
    )
    returned_at_stage = models.CharField(
        _("退回階段"), max_length=10, choices=ReviewStage.choices, blank=True
    )
    submitted_at = models.DateTimeField(_("送出時間"), default=timezone.now)

    class Meta:
        verbose_name = _("榮譽卡申請")
        verbose_name_plural = _("榮譽卡申請")
        ordering = ["submitted_at", "pk"]
        indexes = [models.Index(fields=["status", "submitted_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer"],
                condition=models.Q(status__in=list(OPEN_STATUSES)),
                name="one_open_honor_card_application",
            )
        ]

    def __str__(self):
        return f"{self.volunteer} {self.get_kind_display()}（{self.get_status_display()}）"

    def get_absolute_url(self):
        return reverse("honorcards:application", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ApplicationPage(models.Model):
    """One photographed page of the record book."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="pages")
    image = models.ImageField(_("紀錄冊內頁"), storage=private_storage, upload_to="honorcards/books/")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("紀錄冊內頁")
        verbose_name_plural = _("紀錄冊內頁")
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.application_id} 內頁 {self.position + 1}"


class CardStatus(models.TextChoices):
    VALID = "valid", _("有效")
    REVOKED = "revoked", _("已註銷")
    REPLACED = "replaced", _("已換發（由新卡取代）")


class HonorCard(models.Model):
    Status = CardStatus  # for templates: {% if x.status == x.Status.NAME %}

    number = models.CharField(_("卡號"), max_length=12, unique=True)
    volunteer = models.ForeignKey(
        "volunteers.Volunteer", verbose_name=_("持卡人"), on_delete=models.PROTECT, related_name="honor_cards"
    )
    unit = models.ForeignKey(
        "volunteers.VolunteerUnit",
        verbose_name=_("申請單位"),
        on_delete=models.PROTECT,
        related_name="honor_cards",
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("申請案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cards",
    )
    holder_name = models.CharField(_("持卡人姓名"), max_length=100)
    photo = models.ImageField(_("相片"), storage=private_storage, upload_to="honorcards/cards/")
    issued_on = models.DateField(_("核發日期"))
    expires_on = models.DateField(_("有效期限"))
    status = models.CharField(_("狀態"), max_length=10, choices=CardStatus.choices, default=CardStatus.VALID)
    counted_from = models.DateField(_("採計起日"))
    counted_until = models.DateField(_("採計迄日"))
    hours = models.DecimalField(_("採計時數"), max_digits=8, decimal_places=2)
    years = models.PositiveSmallIntegerField(_("採計年資（年）"))
    # The service records this card used: a renewal never counts them again.
    service_records = models.ManyToManyField(
        "volunteers.ServiceRecord", related_name="honor_cards", blank=True, verbose_name=_("已採計的服務紀錄")
    )
    # 128 random bits, part of the signed QR token; the public page finds the card by it.
    nonce = models.CharField(max_length=32, unique=True, editable=False)
    token = models.CharField(max_length=200, unique=True, editable=False)
    pdf = models.FileField(storage=private_storage, upload_to="honorcards/pdf/", blank=True)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    revoked_at = models.DateTimeField(_("註銷時間"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.TextField(_("註銷原因"), blank=True)
    reminder_sent_at = models.DateTimeField(_("到期提醒寄送時間"), null=True, blank=True)
    created_at = models.DateTimeField(_("建立時間"), auto_now_add=True)

    class Meta:
        verbose_name = _("志願服務榮譽卡")
        verbose_name_plural = _("志願服務榮譽卡")
        ordering = ["-issued_on", "-number"]
        indexes = [models.Index(fields=["expires_on"])]

    def __str__(self):
        return f"{self.number} {self.holder_name}"

    def get_absolute_url(self):
        return reverse("honorcards:card", args=[self.number])

    def state_on(self, day: datetime.date | None = None) -> str:
        """valid / expired / revoked / replaced on that day (today by default)."""
        if self.status != CardStatus.VALID:
            return self.status
        day = day or timezone.localdate()
        return CardState.EXPIRED if day > self.expires_on else CardState.VALID

    @property
    def state(self) -> str:
        return self.state_on()

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def verify_path(self) -> str:
        return reverse("honorcards:verify", args=[self.token])

    @property
    def verify_url(self) -> str:
        return settings.SITE_URL + self.verify_path


class CardState(models.TextChoices):
    """What a card is on a given day: its stored status, or expired (a valid card past its expiry)."""

    VALID = CardStatus.VALID.value, _("有效")
    EXPIRED = "expired", _("已過期")
    REVOKED = CardStatus.REVOKED.value, _("已註銷")
    REPLACED = CardStatus.REPLACED.value, _("已換發新卡（本卡失效）")


STATE_LABELS = dict(CardState.choices)


class BatchStatus(models.TextChoices):
    PENDING = "pending", _("排隊中")
    RUNNING = "running", _("製作中")
    DONE = "done", _("完成")
    FAILED = "failed", _("失敗")


class PrintBatch(models.Model):
    """Many cards as one PDF of A4 sheets, built by a Celery task."""

    Status = BatchStatus  # for templates: {% if x.status == x.Status.NAME %}

    unit = models.ForeignKey(
        "volunteers.VolunteerUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cards = models.ManyToManyField(HonorCard, related_name="+")
    status = models.CharField(
        _("狀態"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.PENDING
    )
    total = models.PositiveIntegerField(_("卡片數"), default=0)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    pdf = models.FileField(storage=private_storage, upload_to="honorcards/batches/", blank=True)
    error = models.CharField(_("錯誤"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("建立時間"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成時間"), null=True, blank=True)
    # Set as the worker makes progress; a running batch without one for long has lost its worker.
    heartbeat_at = models.DateTimeField(_("最後進度時間"), null=True, blank=True)

    class Meta:
        verbose_name = _("批次列印")
        verbose_name_plural = _("批次列印")
        ordering = ["-created_at"]

    def __str__(self):
        return f"批次列印 {self.pk}（{self.done}/{self.total}）"


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", _("待推廣中心確認")
    CONFIRMED = "confirmed", _("已確認並更正")
    REFUSED = "refused", _("未同意")


class RecordCorrection(models.Model):
    """A correction of a service record an issued card counted.

    The hours behind a card stay put: the unit's officer asks with a reason, the volunteer centre
    confirms, and only then is the record changed and the card re-checked against its threshold
    (the result is shown on the card's page). ``proposed`` holds the new values, ``before`` the old
    ones, both as text (``{"hours": "8"}``).
    """

    card = models.ForeignKey(HonorCard, on_delete=models.PROTECT, related_name="corrections")
    record = models.ForeignKey(
        "volunteers.ServiceRecord", on_delete=models.PROTECT, related_name="card_corrections"
    )
    before = models.JSONField(_("更正前"), default=dict)
    proposed = models.JSONField(_("更正後"), default=dict)
    reason = models.TextField(_("更正原因"))
    status = models.CharField(
        _("狀態"), max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申請時間"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("確認時間"), null=True, blank=True)
    decision_note = models.TextField(_("推廣中心說明"), blank=True)
    # The card's re-check once the correction is made.
    recheck_passed = models.BooleanField(_("重新檢核符合"), null=True, blank=True)
    recheck_hours = models.DecimalField(
        _("重新檢核採計時數"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    recheck_note = models.TextField(_("重新檢核結果"), blank=True)

    class Meta:
        verbose_name = _("榮譽卡採計紀錄更正")
        verbose_name_plural = _("榮譽卡採計紀錄更正")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One open request per record: a second would race the first.
            models.UniqueConstraint(
                fields=["record"],
                condition=models.Q(status=CorrectionStatus.PENDING),
                name="one_pending_correction_per_record",
            )
        ]

    def __str__(self):
        return f"{self.card.number} #{self.record_id}"

    def change_rows(self) -> list[tuple[str, str, str]]:
        """(field label, before, after) for the page; dates in the ROC calendar."""

        def shown(field, value):
            if field == "served_on" and value:
                return to_roc(datetime.date.fromisoformat(value))
            return value

        return [
            (ServiceRecord._meta.get_field(f).verbose_name, shown(f, self.before.get(f, "")), shown(f, v))
            for f, v in self.proposed.items()
        ]
