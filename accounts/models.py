from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models

from core.crypto import EncryptedTextField

from .roles import ROLE_ORGANISATION_KINDS, STAFF_ROLES, DonorKind, OrganisationKind, Role


class Organisation(models.Model):
    """A bureau, a volunteer unit, the volunteer centre or the committee."""

    name = models.CharField("名稱", max_length=200, unique=True)
    short_name = models.CharField("簡稱", max_length=50, blank=True)
    kind = models.CharField("類別", max_length=20, choices=OrganisationKind.choices)
    # A volunteer unit answers to a competent bureau (目的事業主管機關).
    competent_bureau = models.ForeignKey(
        "self",
        verbose_name="目的事業主管機關",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_organisations",
        limit_choices_to={"kind__in": [OrganisationKind.BUREAU, OrganisationKind.SOCIAL_WELFARE_BUREAU]},
    )
    address = models.CharField("地址", max_length=255, blank=True)
    phone = models.CharField("電話", max_length=40, blank=True)
    email = models.EmailField("電子郵件", blank=True)
    is_active = models.BooleanField("啟用", default=True)

    class Meta:
        verbose_name = "機關單位"
        verbose_name_plural = "機關單位"
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name

    @property
    def is_bureau(self) -> bool:
        return self.kind in (OrganisationKind.BUREAU, OrganisationKind.SOCIAL_WELFARE_BUREAU)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        extra.setdefault("role", Role.SITE_ADMIN)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with an e-mail address and holds one role."""

    username = None
    email = models.EmailField("電子郵件", unique=True)
    name = models.CharField("姓名", max_length=100, blank=True)
    phone = models.CharField("電話", max_length=40, blank=True)
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.DONOR)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="所屬機關單位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    # A donor's own details, asked at sign-up and in the profile, pre-filled into the give form.
    donor_kind = models.CharField(
        "捐款身分", max_length=10, choices=DonorKind.choices, default=DonorKind.PERSON
    )
    receipt_name = models.CharField("收據抬頭", max_length=100, blank=True)
    receipt_address = models.CharField("收據寄送地址", max_length=255, blank=True)
    receipt_id_number = EncryptedTextField("身分證字號或統一編號", blank=True)
    tax_consent = models.BooleanField("同意提供資料予國稅局辦理捐贈扣除額", default=False)
    # The language the person reads the portal in: their e-mails are written in it (core.notify).
    # Set at sign-up, followed when they use the language switch signed in, editable in the profile.
    language = models.CharField(
        "語言", max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = "使用者"
        verbose_name_plural = "使用者"

    def __str__(self):
        return self.name or self.email

    def clean(self):
        super().clean()
        kinds = ROLE_ORGANISATION_KINDS.get(self.role)
        if kinds and (self.organisation is None or self.organisation.kind not in kinds):
            raise ValidationError({"organisation": "此角色必須隸屬於相應類別的機關單位。"})

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES

    def get_full_name(self):
        return self.name or self.email

    def get_short_name(self):
        return self.name or self.email.split("@")[0]
