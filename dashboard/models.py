from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import OrganisationKind


class PointRole(models.TextChoices):
    DROPOFF = "dropoff", _("物資收件點")
    CUSTODY = "custody", _("物資保管點")
    BOTH = "both", _("收件與保管")


class DropOffPoint(models.Model):
    """A place where donors bring goods, or where a bureau keeps them in custody (shown on the map)."""

    name = models.CharField(_("名稱"), max_length=120)
    role = models.CharField(_("用途"), max_length=10, choices=PointRole.choices, default=PointRole.DROPOFF)
    bureau = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("管理局處"),
        on_delete=models.PROTECT,
        related_name="dropoff_points",
        limit_choices_to={"kind__in": [OrganisationKind.BUREAU, OrganisationKind.SOCIAL_WELFARE_BUREAU]},
    )
    address = models.CharField(_("地址"), max_length=255)
    # Picked on the map by staff (or typed); no outside geocoder.
    latitude = models.DecimalField(_("緯度"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("經度"), max_digits=9, decimal_places=6)
    goods_accepted = models.CharField(
        _("收受物資種類"), max_length=200, help_text=_("例如：白米、罐頭、尿布")
    )
    opening_hours = models.CharField(
        _("開放時間"), max_length=120, help_text=_("例如：週一至週五 9:00–17:00")
    )
    phone = models.CharField(_("聯絡電話"), max_length=40, blank=True)
    is_active = models.BooleanField(_("公開於地圖"), default=True)
    created_at = models.DateTimeField(_("建立時間"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新時間"), auto_now=True)

    class Meta:
        verbose_name = _("物資收件／保管點")
        verbose_name_plural = _("物資收件／保管點")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('dashboard:map')}#dropoff-{self.pk}"
