"""Volunteer records: units and their plans, volunteers, training, service hours, events,
insurance, awards, imports and the units' API tokens.

The record follows the person, not the unit: a ``Volunteer`` is one person (found by the keyed hash
of their ID number), serving in any number of units through ``Membership``; service records name
the unit they were served in.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedTextField
from core.models import CachedChoiceLabels, TwoStageReview
from core.roc import to_roc
from core.storage import private_storage
from core.validators import IdentityKind, mask_identity_number


class ServiceDomain(models.TextChoices):
    """服務領域, as the national volunteer information system classifies them."""

    SOCIAL_WELFARE = "social_welfare", _("社會福利")
    HEALTH = "health", _("衛生保健")
    EDUCATION = "education", _("教育")
    CULTURE = "culture", _("文化")
    ENVIRONMENT = "environment", _("環境保護")
    CIVIL_SERVICE = "civil_service", _("為民服務")
    POLICE = "police", _("警政治安")
    FIRE = "fire", _("消防")
    TRAFFIC = "traffic", _("交通")
    SPORTS = "sports", _("體育")
    TOURISM = "tourism", _("觀光")
    LABOUR = "labour", _("勞動")
    OTHER = "other", _("其他")


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")
    OTHER = "X", _("其他或不揭露")


# --- Units and their plans --------------------------------------------------------------------


class VolunteerUnit(CachedChoiceLabels, models.Model):
    """The volunteer-unit profile (運用單位) of an organisation of kind ``volunteer_unit``.

    The competent bureau (目的事業主管機關), name, address and phone live on the organisation.
    """

    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("機關單位"),
        on_delete=models.PROTECT,
        related_name="volunteer_unit",
    )
    main_domain = models.CharField(_("主要服務領域"), max_length=20, choices=ServiceDomain.choices)
    description = models.TextField(_("單位簡介"), blank=True)
    contact_person = models.CharField(_("聯絡人"), max_length=100, blank=True)
    registration_number = models.CharField(_("備案字號"), max_length=60, blank=True)
    # The company whose coordinator registered the unit (a company's own volunteer unit, 企業志工);
    # the link stays when the coordinator becomes the unit's officer.
    company = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("所屬企業"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="company_units",
        limit_choices_to={"kind": "company"},
    )
    # For the welfare map: picked on a map by staff, no outside geocoder.
    latitude = models.DecimalField(_("緯度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("經度"), max_digits=9, decimal_places=6, null=True, blank=True)
    created_at = models.DateTimeField(_("建立時間"), auto_now_add=True)

    class Meta:
        verbose_name = _("志願服務運用單位")
        verbose_name_plural = _("志願服務運用單位")
        ordering = ["organisation__name"]

    def __str__(self):
        return self.organisation.name

    @property
    def name(self) -> str:
        return self.organisation.name

    @property
    def competent_bureau(self):
        return self.organisation.competent_bureau


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待志推中心初審")
    CENTRE_APPROVED = "centre_approved", _("待主管機關複審")
    APPROVED = "approved", _("已核備")
    RETURNED = "returned", _("退回補正")


class ServicePlan(TwoStageReview):
    """A unit's yearly volunteer service plan (志願服務計畫備案)."""

    Status = PlanStatus  # for templates: {% if x.status == x.Status.NAME %}

    unit = models.ForeignKey(
        VolunteerUnit, verbose_name=_("運用單位"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("年度（西元）"))
    status = models.CharField(_("狀態"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    title = models.CharField(_("計畫名稱"), max_length=200)
    service_items = models.TextField(_("服務項目與內容"))
    domain = models.CharField(_("服務領域"), max_length=20, choices=ServiceDomain.choices)
    expected_volunteers = models.PositiveIntegerField(_("預計運用志工人數"))
    recruitment = models.TextField(_("招募方式"), blank=True)
    training_plan = models.TextField(_("教育訓練規劃"), blank=True)
    insurance_plan = models.TextField(_("意外事故保險規劃"), blank=True)
    budget = models.PositiveIntegerField(_("經費（新臺幣元）"), default=0)
    submitted_at = models.DateTimeField(_("送出時間"), null=True, blank=True)

    class Meta:
        verbose_name = _("志願服務計畫")
        verbose_name_plural = _("志願服務計畫")
        ordering = ["-year", "unit__organisation__name"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="one_plan_per_unit_year")]

    def __str__(self):
        return f"{self.unit} {self.year - 1911}年度志願服務計畫"


# --- Volunteers -------------------------------------------------------------------------------


class Volunteer(models.Model):
    """One person who volunteers, whatever units they serve in."""

    name = models.CharField(_("姓名"), max_length=100)
    identity_kind = models.CharField(_("證件類別"), max_length=30, choices=IdentityKind.choices)
    # Encrypted at rest; ``identity_hash`` (keyed HMAC) finds and de-duplicates people.
    identity_number = EncryptedTextField(_("證件號碼"), lookup_hash_field="identity_hash")
    identity_hash = models.CharField(max_length=64, unique=True, editable=False)
    birth_date = models.DateField(_("出生日期"))
    sex = models.CharField(_("性別"), max_length=1, choices=Sex.choices)
    phone = models.CharField(_("電話"), max_length=40, blank=True)
    email = models.EmailField(_("電子郵件"), blank=True)
    address = models.CharField(_("地址"), max_length=255, blank=True)
    photo = models.ImageField(_("照片"), storage=private_storage, upload_to="volunteers/photos/", blank=True)
    record_book_number = models.CharField(_("志願服務紀錄冊編號"), max_length=60, blank=True)
    record_book_issued_on = models.DateField(_("紀錄冊發給日期"), null=True, blank=True)
    # 紀錄冊登載之服務開始日期: where the honor-card years are counted from.
    service_started_on = models.DateField(_("服務開始日期"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登入帳號"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer_profile",
    )
    units = models.ManyToManyField(VolunteerUnit, through="Membership", related_name="volunteers")
    created_at = models.DateTimeField(_("建立時間"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新時間"), auto_now=True)

    class Meta:
        verbose_name = _("志工")
        verbose_name_plural = _("志工")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["birth_date"])]

    def __str__(self):
        return self.name

    @property
    def masked_identity(self) -> str:
        return mask_identity_number(self.identity_number)

    @property
    def has_record_book(self) -> bool:
        return bool(self.record_book_number)


class Membership(models.Model):
    """A volunteer serving in a unit (在隊)."""

    unit = models.ForeignKey(VolunteerUnit, on_delete=models.PROTECT, related_name="memberships")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="memberships")
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("離隊日期"), null=True, blank=True)
    main_domain = models.CharField(_("服務領域"), max_length=20, choices=ServiceDomain.choices)
    note = models.CharField(_("備註"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("隊員資格")
        verbose_name_plural = _("隊員資格")
        constraints = [models.UniqueConstraint(fields=["unit", "volunteer"], name="one_membership_per_unit")]

    def __str__(self):
        return f"{self.volunteer} @ {self.unit}"

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class TrainingKind(models.TextChoices):
    BASIC = "basic", _("基礎訓練")
    SPECIAL = "special", _("特殊訓練")
    PROFESSIONAL = "professional", _("專業訓練")
    IN_SERVICE = "in_service", _("在職（成長）訓練")


class Training(models.Model):
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="trainings")
    kind = models.CharField(_("訓練類別"), max_length=20, choices=TrainingKind.choices)
    # Special training is per service domain; hours in a domain count for honor cards only after it.
    domain = models.CharField(_("服務領域"), max_length=20, choices=ServiceDomain.choices, blank=True)
    title = models.CharField(_("課程名稱"), max_length=200)
    provider = models.CharField(_("辦理單位"), max_length=200)
    completed_on = models.DateField(_("結訓日期"))
    hours = models.DecimalField(_("時數"), max_digits=5, decimal_places=2)
    certificate_number = models.CharField(_("結訓證明書字號"), max_length=80, blank=True)
    certificate = models.FileField(
        _("證明書影像"), storage=private_storage, upload_to="volunteers/training/", blank=True
    )
    recorded_by_unit = models.ForeignKey(
        VolunteerUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("建立時間"), auto_now_add=True)

    class Meta:
        verbose_name = _("訓練紀錄")
        verbose_name_plural = _("訓練紀錄")
        ordering = ["-completed_on"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="special") | ~Q(domain=""), name="special_training_names_domain"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.title}"


# --- Service hours ----------------------------------------------------------------------------

HOUR_STEP = Decimal("0.25")
MAX_HOURS_PER_DAY = Decimal("24")


class ServiceRecordSource(models.TextChoices):
    FORM = "form", _("逐筆登錄")
    GRID = "grid", _("週表登錄")
    IMPORT = "import", _("檔案匯入")
    EVENT = "event", _("活動簽到退")
    API = "api", "API"
    PAPER = "paper", _("紙本紀錄冊")


class ServiceRecordStatus(models.TextChoices):
    RECORDED = "recorded", _("已登錄")
    CERTIFIED = "certified", _("已認證")


class ServiceRecord(CachedChoiceLabels, models.Model):
    """Hours of actual service on one day in one unit (training hours are not service hours)."""

    Status = ServiceRecordStatus  # for templates: {% if x.status == x.Status.NAME %}

    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="service_records")
    unit = models.ForeignKey(VolunteerUnit, on_delete=models.PROTECT, related_name="service_records")
    served_on = models.DateField(_("服務日期"))
    hours = models.DecimalField(_("服務時數"), max_digits=4, decimal_places=2)
    domain = models.CharField(_("服務領域"), max_length=20, choices=ServiceDomain.choices)
    activity = models.CharField(_("服務內容"), max_length=200, blank=True)
    source = models.CharField(_("來源"), max_length=10, choices=ServiceRecordSource.choices)
    status = models.CharField(
        _("狀態"), max_length=10, choices=ServiceRecordStatus.choices, default=ServiceRecordStatus.RECORDED
    )
    certified_at = models.DateTimeField(_("認證時間"), null=True, blank=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    import_batch = models.ForeignKey(
        "ImportBatch", null=True, blank=True, on_delete=models.PROTECT, related_name="service_records"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("建立時間"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新時間"), auto_now=True)

    class Meta:
        verbose_name = _("服務紀錄")
        verbose_name_plural = _("服務紀錄")
        ordering = ["-served_on", "pk"]
        indexes = [
            models.Index(fields=["volunteer", "served_on"]),
            models.Index(fields=["unit", "served_on"]),
            models.Index(fields=["served_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24), name="service_hours_in_a_day")
        ]

    def __str__(self):
        return f"{self.volunteer} {self.served_on} {self.hours}h"


# --- Events and shifts ------------------------------------------------------------------------


class Event(models.Model):
    unit = models.ForeignKey(VolunteerUnit, on_delete=models.PROTECT, related_name="events")
    title = models.CharField(_("活動名稱"), max_length=200)
    description = models.TextField(_("說明"), blank=True)
    venue = models.CharField(_("地點"), max_length=255)
    domain = models.CharField(_("服務領域"), max_length=20, choices=ServiceDomain.choices)
    starts_on = models.DateField(_("開始日期"))
    ends_on = models.DateField(_("結束日期"))
    is_city_event = models.BooleanField(_("市府大型活動"), default=False)
    # Random per event; the day's sign-in code is derived from it, so codes rotate every day.
    qr_secret = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("建立時間"), auto_now_add=True)

    class Meta:
        verbose_name = _("志工活動")
        verbose_name_plural = _("志工活動")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="event_dates")
        ]

    def __str__(self):
        return self.title


class Shift(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="shifts")
    date = models.DateField(_("日期"))
    starts_at = models.TimeField(_("開始時間"))
    ends_at = models.TimeField(_("結束時間"))
    task = models.CharField(_("工作內容"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("名額"))

    class Meta:
        verbose_name = _("班次")
        verbose_name_plural = _("班次")
        ordering = ["date", "starts_at"]

    def __str__(self):
        return f"{self.event} {to_roc(self.date)} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class SignupStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("已報名")
    CANCELLED = "cancelled", _("已取消")


class ShiftSignup(models.Model):
    """A volunteer on a shift: sign-up, then sign-in/out at the venue, then the officer's confirmation."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="shift_signups")
    status = models.CharField(
        _("狀態"), max_length=10, choices=SignupStatus.choices, default=SignupStatus.SIGNED_UP
    )
    signed_up_at = models.DateTimeField(_("報名時間"), auto_now_add=True)
    signed_in_at = models.DateTimeField(_("簽到時間"), null=True, blank=True)
    signed_out_at = models.DateTimeField(_("簽退時間"), null=True, blank=True)
    signed_in_by_officer = models.BooleanField(_("由承辦人代為簽到"), default=False)
    service_record = models.OneToOneField(
        ServiceRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="shift_signup"
    )

    class Meta:
        verbose_name = _("班次報名")
        verbose_name_plural = _("班次報名")
        constraints = [models.UniqueConstraint(fields=["shift", "volunteer"], name="one_signup_per_shift")]

    def __str__(self):
        return f"{self.volunteer} → {self.shift}"


# --- Insurance and awards ---------------------------------------------------------------------


class InsurancePolicy(models.Model):
    unit = models.ForeignKey(VolunteerUnit, on_delete=models.PROTECT, related_name="insurance_policies")
    insurer = models.CharField(_("保險公司"), max_length=120)
    policy_number = models.CharField(_("保單號碼"), max_length=80)
    starts_on = models.DateField(_("保險期間起"))
    ends_on = models.DateField(_("保險期間迄"))
    coverage = models.CharField(_("保障內容"), max_length=255, blank=True)
    insured = models.ManyToManyField(Volunteer, related_name="insurance_policies", blank=True)
    created_at = models.DateTimeField(_("建立時間"), auto_now_add=True)

    class Meta:
        verbose_name = _("志工意外事故保險")
        verbose_name_plural = _("志工意外事故保險")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="policy_period")
        ]

    def __str__(self):
        return f"{self.insurer} {self.policy_number}"


class Award(models.Model):
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="awards")
    title = models.CharField(_("獎項"), max_length=200)
    grantor = models.CharField(_("頒發單位"), max_length=200)
    awarded_on = models.DateField(_("獲獎日期"))
    note = models.CharField(_("備註"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("建立時間"), auto_now_add=True)

    class Meta:
        verbose_name = _("獎勵表揚")
        verbose_name_plural = _("獎勵表揚")
        ordering = ["-awarded_on"]

    def __str__(self):
        return self.title


# --- Imports and the units' API ---------------------------------------------------------------


class ImportKind(models.TextChoices):
    VOLUNTEERS = "volunteers", _("志工名冊")
    SERVICE_RECORDS = "service_records", _("服務紀錄")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("排隊中")
    VALIDATING = "validating", _("檢查中")
    IMPORTING = "importing", _("匯入中")
    FAILED = "failed", _("未匯入（有錯誤）")
    DONE = "done", _("已匯入")


class ImportBatch(CachedChoiceLabels, models.Model):
    """An uploaded XLSX/CSV: validated whole, then imported whole or not at all (Celery task)."""

    Status = ImportStatus  # for templates: {% if x.status == x.Status.NAME %}

    unit = models.ForeignKey(VolunteerUnit, on_delete=models.PROTECT, related_name="imports")
    kind = models.CharField(_("匯入類別"), max_length=20, choices=ImportKind.choices)
    original_name = models.CharField(_("檔名"), max_length=255)
    file = models.FileField(storage=private_storage, upload_to="volunteers/imports/")
    status = models.CharField(
        _("狀態"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(_("總列數"), default=0)
    processed_rows = models.PositiveIntegerField(_("已處理列數"), default=0)
    imported_rows = models.PositiveIntegerField(_("已匯入列數"), default=0)
    # [{"row": 5, "column": "服務時數", "message": "…"}, …]
    errors = models.JSONField(_("錯誤"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("上傳時間"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成時間"), null=True, blank=True)
    # Set as the worker makes progress; a running batch without one for long has lost its worker.
    heartbeat_at = models.DateTimeField(_("最後進度時間"), null=True, blank=True)

    class Meta:
        verbose_name = _("匯入批次")
        verbose_name_plural = _("匯入批次")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.original_name}"


class UnitApiToken(models.Model):
    """A unit's key for its own systems; only a hash is stored, the key is shown once."""

    unit = models.ForeignKey(VolunteerUnit, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("建立時間"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("停用時間"), null=True, blank=True)

    class Meta:
        verbose_name = _("單位 API 金鑰")
        verbose_name_plural = _("單位 API 金鑰")

    def __str__(self):
        return f"{self.unit} {self.name} ({self.prefix}…)"
