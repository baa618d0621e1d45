from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import DonorKind
from core.crypto import EncryptedTextField


class PledgeStatus(models.TextChoices):
    PENDING = "pending", _("待付款")
    AWAITING_PAYMENT = "awaiting_payment", _("待繳費")
    PAID = "paid", _("已付款")
    FAILED = "failed", _("付款失敗")
    EXPIRED = "expired", _("逾期未繳")
    REFUNDED = "refunded", _("已退款")


class Channel(models.TextChoices):
    CREDIT = "credit", _("信用卡")
    ATM = "atm", _("ATM 轉帳")
    CVS = "cvs", _("超商代碼")
    BARCODE = "barcode", _("超商條碼")
    WEBATM = "webatm", _("網路 ATM")
    TWQR = "twqr", _("台灣 Pay")
    REMITTANCE = "remittance", _("匯款")
    CHEQUE = "cheque", _("支票")


ONLINE_CHANNELS = [Channel.CREDIT, Channel.ATM, Channel.CVS, Channel.BARCODE, Channel.WEBATM, Channel.TWQR]


class DisclosureMode(models.TextChoices):
    FULL = "full", _("公開全名（個人姓名將遮蔽部分字元）")
    DISPLAY_NAME = "display_name", _("使用自訂名稱")
    ANONYMOUS = "anonymous", _("匿名（善心人士）")


class Pledge(models.Model):
    """A gift of money: to a program's money need, or (program empty) to the unrestricted fund."""

    Status = PledgeStatus  # for templates: {% if x.status == x.Status.NAME %}

    donor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="捐款人帳號",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pledges",
    )
    guest_email = models.EmailField("電子郵件（訪客）", blank=True)
    # The language the guest gave in: their receipt and other e-mails are written in it.
    language = models.CharField(
        "語言", max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    program = models.ForeignKey(
        "programs.Program",
        verbose_name="指定方案",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pledges",
    )
    amount = models.PositiveIntegerField("金額（元）")
    donor_kind = models.CharField(
        "捐款身分", max_length=10, choices=DonorKind.choices, default=DonorKind.PERSON
    )
    donor_name = models.CharField("捐款人姓名／名稱", max_length=100)
    disclosure_mode = models.CharField(
        "徵信顯示方式", max_length=20, choices=DisclosureMode.choices, default=DisclosureMode.FULL
    )
    display_name = models.CharField("自訂顯示名稱", max_length=50, blank=True)
    receipt_name = models.CharField("收據抬頭", max_length=100)
    receipt_id_number = EncryptedTextField("身分證字號或統一編號", blank=True)
    receipt_address = models.CharField("收據寄送地址", max_length=255, blank=True)
    tax_consent = models.BooleanField("同意提供資料予國稅局辦理捐贈扣除額", default=False)
    email_updates = models.BooleanField("以電子郵件接收方案進度", default=False)
    channel = models.CharField("付款方式", max_length=20, choices=Channel.choices)
    status = models.CharField(
        "狀態", max_length=20, choices=PledgeStatus.choices, default=PledgeStatus.PENDING, db_index=True
    )
    merchant_trade_no = models.CharField("交易編號", max_length=20, unique=True)
    gateway_trade_no = models.CharField("金流交易編號", max_length=30, blank=True)
    created_at = models.DateTimeField("建立時間", auto_now_add=True)
    paid_at = models.DateTimeField("付款時間", null=True, blank=True, db_index=True)
    voucher = models.JSONField("繳費資訊", default=dict, blank=True)
    voucher_expires_at = models.DateTimeField("繳費期限", null=True, blank=True)
    failed_reason = models.CharField("失敗原因", max_length=200, blank=True)
    refunded_at = models.DateTimeField("退款時間", null=True, blank=True, db_index=True)
    refund_reason = models.TextField("退款理由", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登錄人員（臨櫃／匯款）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "捐款"
        verbose_name_plural = "捐款"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "paid_at"]),
            # The staff's and donors' lists show the newest first, a page at a time.
            models.Index(fields=["-created_at"], name="pledge_newest_first"),
        ]

    def __str__(self):
        return f"{self.merchant_trade_no} {self.donor_name} NT${self.amount}"

    def get_absolute_url(self):
        return reverse("donations:pledge", args=[self.merchant_trade_no])

    @property
    def designation(self) -> str:
        return self.program.title if self.program_id else "不指定用途（一般捐款）"

    @property
    def contact_email(self) -> str:
        return self.donor.email if self.donor_id else self.guest_email

    @property
    def contact(self) -> tuple[str, str]:
        """Who hears about this gift, and in which language: the account's, else the guest's."""
        if self.donor_id:
            return (self.donor.email, self.donor.language)
        return (self.guest_email, self.language)


class ReceiptStatus(models.TextChoices):
    VALID = "valid", _("有效")
    VOID = "void", _("已作廢")


class Receipt(models.Model):
    Status = ReceiptStatus  # for templates: {% if x.status == x.Status.NAME %}

    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="receipts")
    number = models.CharField("收據編號", max_length=20, unique=True)
    issued_at = models.DateTimeField("開立時間", auto_now_add=True)
    status = models.CharField(
        "狀態", max_length=10, choices=ReceiptStatus.choices, default=ReceiptStatus.VALID
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name="取代收據",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    voided_at = models.DateTimeField("作廢時間", null=True, blank=True)
    void_reason = models.CharField("作廢原因", max_length=200, blank=True)
    # What the receipt said when issued (a correction issues a new receipt; this one never changes).
    receipt_name = models.CharField("收據抬頭", max_length=100)
    receipt_id_masked = models.CharField("身分證字號／統編（遮蔽）", max_length=20, blank=True)

    class Meta:
        verbose_name = "收據"
        verbose_name_plural = "收據"
        ordering = ["-issued_at"]

    def __str__(self):
        return self.number


class ReceiptCounter(models.Model):
    """One row per ROC year, locked while a number is taken: numbers are unique and gap-free."""

    roc_year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.roc_year}: {self.last}"


class GoodsReceiptCounter(models.Model):
    """The goods receipts' numbers, one row per ROC year (see core.sequences)."""

    roc_year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.roc_year}: {self.last}"


class NotificationVerdict(models.TextChoices):
    RECORDED = "recorded", _("已記錄")
    REPEAT = "repeat", _("重複通知")
    IGNORED = "ignored", _("模擬付款（忽略）")
    REJECTED = "rejected", _("拒絕")


class PaymentNotification(models.Model):
    """Every notification the gateway sent us, kept for staff (including the ones we refused)."""

    received_at = models.DateTimeField("收到時間", auto_now_add=True)
    endpoint = models.CharField("端點", max_length=20)
    merchant_trade_no = models.CharField("交易編號", max_length=40, blank=True, db_index=True)
    params = models.JSONField("內容")
    verdict = models.CharField("結果", max_length=10, choices=NotificationVerdict.choices)
    reason = models.CharField("原因", max_length=200, blank=True)
    remote_addr = models.GenericIPAddressField("來源位址", null=True, blank=True)

    class Meta:
        verbose_name = "金流通知"
        verbose_name_plural = "金流通知"
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.received_at:%Y-%m-%d %H:%M} {self.merchant_trade_no} {self.verdict}"


class SandboxTradeStatus(models.TextChoices):
    """The local sandbox's trade states (the column keeps no choices: a sandbox needs no migration)."""

    CREATED = "created", "created"
    VOUCHER = "voucher", "voucher"
    PAID = "paid", "paid"
    FAILED = "failed", "failed"
    EXPIRED = "expired", "expired"
    CANCELLED = "cancelled", "cancelled"


class SandboxTrade(models.Model):
    """The local sandbox gateway's own record of a trade (development and demo only)."""

    Status = SandboxTradeStatus  # for templates: {% if x.status == x.Status.NAME %}

    merchant_trade_no = models.CharField(max_length=20, unique=True)
    amount = models.PositiveIntegerField()
    choose_payment = models.CharField(max_length=20)
    status = models.CharField(max_length=20, default=SandboxTradeStatus.CREATED)  # a SandboxTradeStatus
    trade_no = models.CharField(max_length=20)
    period_amount = models.PositiveIntegerField(default=0)  # monthly gifts: the amount charged each month
    periods_charged = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.merchant_trade_no


class GoodsStatus(models.TextChoices):
    RECEIVED = "received", _("已驗收")
    IN_CUSTODY = "in_custody", _("保管中")
    PARTLY_HANDED_OUT = "partly_handed_out", _("部分發放")
    HANDED_OUT = "handed_out", _("已發放完畢")


class GoodsDonation(models.Model):
    """Goods received from a matched offer (or a walk-in gift), held in custody until handed out."""

    offer = models.OneToOneField(
        "programs.Offer", null=True, blank=True, on_delete=models.PROTECT, related_name="goods_donation"
    )
    program = models.ForeignKey(
        "programs.Program", null=True, blank=True, on_delete=models.PROTECT, related_name="goods_donations"
    )
    goods_need = models.ForeignKey(
        "programs.GoodsNeed", null=True, blank=True, on_delete=models.PROTECT, related_name="goods_donations"
    )
    donor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="goods_donations",
    )
    donor_name = models.CharField("捐贈者", max_length=100)
    donor_kind = models.CharField(
        "捐贈身分", max_length=10, choices=DonorKind.choices, default=DonorKind.PERSON
    )
    # The goods receipt's own gap-free yearly series (G115-000001), separate from money receipts.
    receipt_number = models.CharField("物資收據編號", max_length=20, unique=True, null=True, blank=True)
    disclosure_mode = models.CharField(
        "徵信顯示方式", max_length=20, choices=DisclosureMode.choices, default=DisclosureMode.FULL
    )
    item = models.CharField("品項", max_length=100)
    unit = models.CharField("單位", max_length=20)
    quantity_received = models.PositiveIntegerField("驗收數量")
    condition = models.CharField("狀況", max_length=100)
    unit_value = models.PositiveIntegerField("市價單價（元）")
    appraised_value = models.PositiveBigIntegerField("市價總值（元）")
    received_at = models.DateTimeField("驗收時間", db_index=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    storage_location = models.CharField("保管地點", max_length=200, blank=True)
    # Never below zero: the database refuses it even if a bug tried.
    quantity_in_stock = models.PositiveIntegerField("庫存數量")
    status = models.CharField(
        "狀態", max_length=20, choices=GoodsStatus.choices, default=GoodsStatus.RECEIVED
    )

    class Meta:
        verbose_name = "物資捐贈"
        verbose_name_plural = "物資捐贈"
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity_in_stock__lte=models.F("quantity_received")),
                name="goods_stock_not_above_received",
            )
        ]

    def __str__(self):
        return f"{self.item} {self.quantity_received}{self.unit}"

    @property
    def bureau_id(self):
        return self.program.bureau_id if self.program_id else None

    @property
    def quantity_handed_out(self) -> int:
        return self.quantity_received - self.quantity_in_stock


class GoodsHandout(models.Model):
    goods = models.ForeignKey(GoodsDonation, on_delete=models.PROTECT, related_name="handouts")
    quantity = models.PositiveIntegerField("發放數量")
    handed_out_on = models.DateField("發放日期")
    recipient = models.CharField("發放對象（受益群體或分行）", max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "物資發放"
        verbose_name_plural = "物資發放"
        ordering = ["-handed_out_on", "-pk"]

    def __str__(self):
        return f"{self.goods.item} × {self.quantity} → {self.recipient}"


class ServiceDelivery(models.Model):
    """A matched service offer carried out: who served, when, for how many hours."""

    offer = models.ForeignKey("programs.Offer", on_delete=models.PROTECT, related_name="service_deliveries")
    served_by = models.CharField("服務者", max_length=100)
    served_on = models.DateField("服務日期")
    hours = models.DecimalField("時數", max_digits=6, decimal_places=2)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "服務紀錄"
        verbose_name_plural = "服務紀錄"
        ordering = ["-served_on"]

    def __str__(self):
        return f"{self.served_by} {self.served_on} {self.hours}h"


class StatementImport(models.Model):
    """A bank statement or the gateway's settlement file, matched line by line to gifts."""

    uploaded_at = models.DateTimeField("上傳時間", auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField("檔名", max_length=200)
    line_count = models.PositiveIntegerField("筆數", default=0)
    matched_count = models.PositiveIntegerField("已對帳", default=0)
    total_amount = models.BigIntegerField("金額合計", default=0)
    total_fees = models.BigIntegerField("手續費合計", default=0)

    class Meta:
        verbose_name = "對帳匯入"
        verbose_name_plural = "對帳匯入"
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.filename} ({self.uploaded_at:%Y-%m-%d})"


class StatementLine(models.Model):
    statement = models.ForeignKey(StatementImport, on_delete=models.CASCADE, related_name="lines")
    row = models.PositiveIntegerField("列")
    date = models.DateField("日期")
    reference = models.CharField("交易編號／摘要", max_length=100, blank=True)
    payer = models.CharField("付款人", max_length=100, blank=True)
    amount = models.BigIntegerField("金額")
    fee = models.BigIntegerField("手續費", default=0)
    pledge = models.ForeignKey(
        Pledge, null=True, blank=True, on_delete=models.PROTECT, related_name="statement_lines"
    )
    note = models.CharField("說明", max_length=200, blank=True)

    class Meta:
        ordering = ["statement", "row"]

    def __str__(self):
        return f"{self.row}: {self.amount}"


class RecurringStatus(models.TextChoices):
    """A monthly gift's state, stored as ``RecurringGift.is_active`` (see its ``status``)."""

    ACTIVE = "active", _("扣款中")
    STOPPED = "stopped", _("已停止")


class RecurringGift(models.Model):
    """A monthly gift by credit card (ECPay's periodic authorisation). Each month's charge is its
    own Pledge with its own receipt; the first month is the pledge that started it."""

    first_pledge = models.OneToOneField(Pledge, on_delete=models.PROTECT, related_name="recurring_gift")
    donor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recurring_gifts"
    )
    amount = models.PositiveIntegerField("每月金額")
    exec_times = models.PositiveSmallIntegerField("授權期數", default=12)
    is_active = models.BooleanField("扣款中", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    stopped_at = models.DateTimeField("停止時間", null=True, blank=True)

    class Meta:
        verbose_name = "定期定額捐款"
        verbose_name_plural = "定期定額捐款"

    def __str__(self):
        return f"{self.donor} NT${self.amount}/月"

    # The workflow table (donations.workflows.MONTHLY_FLOW) moves a status; the column stays the boolean.
    @property
    def status(self) -> str:
        return RecurringStatus.ACTIVE if self.is_active else RecurringStatus.STOPPED

    @status.setter
    def status(self, value: str) -> None:
        self.is_active = value == RecurringStatus.ACTIVE


class RecurringCharge(models.Model):
    """One month's charge of a recurring gift (unique per period, so repeats record once)."""

    recurring = models.ForeignKey(RecurringGift, on_delete=models.PROTECT, related_name="charges")
    period = models.PositiveSmallIntegerField("期數")
    pledge = models.OneToOneField(Pledge, on_delete=models.PROTECT, related_name="recurring_charge")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recurring", "period"], name="one_charge_per_period")]

    def __str__(self):
        return f"{self.recurring} #{self.period}"
