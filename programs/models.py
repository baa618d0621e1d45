from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import CachedChoiceLabels

PHOTO_ALT_REQUIRED = _("上傳照片時請填寫替代文字，描述照片內容（例如：志工將白米交給長者）。")


class Category(models.Model):
    """A program category (兒少福利, 老人福利 …); data, so an admin can add one (e.g. 防疫)."""

    name = models.CharField("名稱", max_length=50, unique=True)
    slug = models.SlugField("代碼", max_length=50, unique=True)
    # Sensitive categories (家暴被害 …): details that could identify a beneficiary stay unpublished.
    is_sensitive = models.BooleanField("敏感類別", default=False)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        verbose_name = "方案類別"
        verbose_name_plural = "方案類別"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待審核")
    PUBLISHED = "published", _("募集中")
    RETURNED = "returned", pgettext_lazy("status", "退回修正")
    CLOSED = "closed", _("已結案")


class Program(CachedChoiceLabels, models.Model):
    Status = ProgramStatus  # for templates: {% if x.status == x.Status.NAME %}

    bureau = models.ForeignKey(
        "accounts.Organisation", verbose_name="需求局處", on_delete=models.PROTECT, related_name="programs"
    )
    category = models.ForeignKey(
        Category, verbose_name="類別", on_delete=models.PROTECT, related_name="programs"
    )
    title = models.CharField("方案名稱", max_length=120)
    summary = models.CharField("摘要", max_length=300)
    description = models.TextField("方案說明")
    beneficiaries = models.CharField("服務對象", max_length=200)
    beneficiaries_count = models.PositiveIntegerField("預計受益人數", default=0)
    place = models.CharField("服務地點", max_length=120, blank=True)
    address = models.CharField("地址", max_length=255, blank=True)
    latitude = models.DecimalField("緯度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("經度", max_digits=9, decimal_places=6, null=True, blank=True)
    starts_on = models.DateField("開始日期")
    ends_on = models.DateField("結束日期")
    cover_image = models.ImageField("封面圖片", upload_to="programs/covers/", blank=True)
    # Written by the caseworker (what the photo shows), required with a photo: screen readers and
    # the Open Graph card of a shared link read it.
    cover_alt = models.CharField(
        "封面圖片替代文字",
        max_length=200,
        blank=True,
        help_text="描述照片內容，供視障者的螢幕報讀與分享預覽使用（上傳照片時必填）。",
    )
    contact_name = models.CharField("聯絡人", max_length=50)
    contact_phone = models.CharField("聯絡電話", max_length=40)
    contact_email = models.EmailField("聯絡信箱", blank=True)
    money_target = models.PositiveBigIntegerField("募款目標（元）", default=0, help_text="0 表示不募款")
    # Maintained only by the donations app's services, in the transaction that pays or refunds a gift.
    money_raised = models.PositiveBigIntegerField("已募得（元）", default=0, editable=False)
    status = models.CharField(
        "狀態", max_length=20, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT, db_index=True
    )
    return_reason = models.TextField("退回理由", blank=True)
    closing_report = models.TextField("結案報告", blank=True)
    beneficiaries_reached = models.PositiveIntegerField("累計受益人次", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="建立者", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("建立時間", auto_now_add=True)
    submitted_at = models.DateTimeField("送審時間", null=True, blank=True)
    published_at = models.DateTimeField("公開時間", null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField("結案時間", null=True, blank=True)

    class Meta:
        verbose_name = "方案"
        verbose_name_plural = "方案"
        ordering = ["-published_at", "-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programs:detail", args=[self.pk])

    def clean(self):
        if self.cover_image and not (self.cover_alt or "").strip():
            raise ValidationError({"cover_alt": PHOTO_ALT_REQUIRED})

    @property
    def is_public(self) -> bool:
        return self.status in (ProgramStatus.PUBLISHED, ProgramStatus.CLOSED)

    @property
    def is_editable(self) -> bool:
        return self.status in (ProgramStatus.DRAFT, ProgramStatus.RETURNED)

    @property
    def money_remaining(self) -> int:
        return max(0, self.money_target - self.money_raised)

    @property
    def money_percent(self) -> int:
        return min(100, round(self.money_raised * 100 / self.money_target)) if self.money_target else 0


class GoodsNeed(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="goods_needs")
    item = models.CharField("物資品項", max_length=100)
    quantity = models.PositiveIntegerField("需求數量", validators=[MinValueValidator(1)])
    unit = models.CharField("單位", max_length=20)
    unit_value = models.PositiveIntegerField("單價估值（元）", default=0)
    deadline = models.DateField("需求截止日")
    # Accepted from offers (this app's accept service) and received into custody (donations app).
    quantity_accepted = models.PositiveIntegerField("已媒合數量", default=0, editable=False)
    quantity_received = models.PositiveIntegerField("已收到數量", default=0, editable=False)

    class Meta:
        verbose_name = "物資需求"
        verbose_name_plural = "物資需求"
        ordering = ["deadline", "pk"]

    def __str__(self):
        return f"{self.item} {self.quantity}{self.unit}"

    @property
    def remaining(self) -> int:
        return max(0, self.quantity - self.quantity_accepted)


class ServiceNeed(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="service_needs")
    description = models.CharField("服務內容", max_length=200)
    people = models.PositiveIntegerField("需要人數", default=0)
    hours = models.PositiveIntegerField("需要時數", default=0)
    when = models.CharField("服務時間", max_length=120)

    class Meta:
        verbose_name = "服務需求"
        verbose_name_plural = "服務需求"
        ordering = ["pk"]

    def __str__(self):
        return self.description


class OfferKind(models.TextChoices):
    GOODS = "goods", _("物資")
    SERVICE = "service", _("服務")


class OfferStatus(models.TextChoices):
    PENDING = "pending", _("待回覆")
    ACCEPTED = "accepted", _("已接受")
    PARTLY_ACCEPTED = "partly_accepted", pgettext_lazy("status", "部分接受")
    DECLINED = "declined", pgettext_lazy("status", "婉拒")
    DELIVERED = "delivered", _("已送達")
    RECEIVED = "received", _("已驗收")
    WITHDRAWN = "withdrawn", _("已撤回")


class Offer(CachedChoiceLabels, models.Model):
    """A donor's offer of goods or a service: against a need line, or free-form for a bureau to claim."""

    Status = OfferStatus  # for templates: {% if x.status == x.Status.NAME %}
    Kind = OfferKind

    donor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提供者", on_delete=models.PROTECT, related_name="offers"
    )
    kind = models.CharField("類型", max_length=10, choices=OfferKind.choices)
    program = models.ForeignKey(
        Program, verbose_name="方案", null=True, blank=True, on_delete=models.PROTECT, related_name="offers"
    )
    goods_need = models.ForeignKey(
        GoodsNeed,
        verbose_name="物資需求",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offers",
    )
    service_need = models.ForeignKey(
        ServiceNeed,
        verbose_name="服務需求",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offers",
    )
    claimed_by = models.ForeignKey(
        "accounts.Organisation",
        verbose_name="認領局處",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claimed_offers",
    )
    item = models.CharField("品項或服務", max_length=100)
    quantity = models.PositiveIntegerField("數量（或服務時數）", validators=[MinValueValidator(1)])
    unit = models.CharField("單位", max_length=20)
    condition = models.CharField("物品狀況", max_length=100, blank=True)
    delivery_place = models.CharField("可送達地點", max_length=200, blank=True)
    delivery_window = models.CharField("可送達時間", max_length=120, blank=True)
    note = models.TextField("備註", blank=True)
    status = models.CharField(
        "狀態", max_length=20, choices=OfferStatus.choices, default=OfferStatus.PENDING, db_index=True
    )
    accepted_quantity = models.PositiveIntegerField("接受數量", default=0)
    decline_reason = models.TextField("婉拒理由", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("回覆時間", null=True, blank=True)
    delivered_at = models.DateTimeField("送達時間", null=True, blank=True)
    created_at = models.DateTimeField("提出時間", auto_now_add=True)

    class Meta:
        verbose_name = "捐贈意向"
        verbose_name_plural = "捐贈意向"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.item} × {self.quantity}{self.unit}"

    @property
    def bureau_id(self):
        """The bureau that decides on this offer: the program's, or the one that claimed it."""
        return self.program.bureau_id if self.program_id else self.claimed_by_id

    @property
    def bureau(self):
        return self.program.bureau if self.program_id else self.claimed_by

    @property
    def service_may_be_recorded(self) -> bool:
        """A service session may be logged against it: the same rule the service enforces (OFFER_FLOW)."""
        from .workflows import OFFER_FLOW  # workflows imports this module

        return self.kind == OfferKind.SERVICE and OFFER_FLOW.can(self.status, "serve")


class ProgramUpdate(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="updates")
    posted_on = models.DateField("日期")
    title = models.CharField("標題", max_length=120)
    body = models.TextField("內容")
    photo = models.ImageField("照片", upload_to="programs/updates/", blank=True)
    photo_alt = models.CharField(
        "照片替代文字",
        max_length=200,
        blank=True,
        help_text="描述照片內容，供視障者的螢幕報讀使用（上傳照片時必填）。",
    )
    beneficiaries_reached = models.PositiveIntegerField("本次受益人次", default=0)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "進度更新"
        verbose_name_plural = "進度更新"
        ordering = ["-posted_on", "-pk"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.photo and not (self.photo_alt or "").strip():
            raise ValidationError({"photo_alt": PHOTO_ALT_REQUIRED})


class ProgramSubscription(models.Model):
    """A donor following a program's updates (on their dashboard; by e-mail if they asked)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_subscriptions"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="subscriptions")
    by_email = models.BooleanField("以電子郵件通知", default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "program"], name="one_subscription_per_program")
        ]

    def __str__(self):
        return f"{self.user} → {self.program}"


class EmailSubscription(models.Model):
    """A guest (no account) following a program's updates by e-mail: counted only once they have
    confirmed the address from the e-mail we sent (double opt-in)."""

    email = models.EmailField("電子郵件")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="email_subscriptions")
    # The language the guest gave in: the progress e-mails are written in it.
    language = models.CharField(
        "語言", max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField("確認時間", null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["email", "program"], name="one_email_per_program")]

    def __str__(self):
        return f"{self.email} → {self.program}"


class ClosingReportDelivery(models.Model):
    """The closing report e-mailed to one donor of a program: one row per address, so a repeated
    task (a retry, a second close) never sends it twice."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="closing_deliveries")
    email = models.EmailField("電子郵件")
    queued_at = models.DateTimeField("寄送時間", auto_now_add=True)

    class Meta:
        verbose_name = "結案報告寄送"
        verbose_name_plural = "結案報告寄送"
        constraints = [
            models.UniqueConstraint(fields=["program", "email"], name="one_closing_report_per_donor")
        ]

    def __str__(self):
        return f"{self.program_id} → {self.email}"
