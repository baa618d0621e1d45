"""Abstract building blocks shared by the apps' models (core itself has no tables)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TwoStageReview(models.Model):
    """Who decided, and when, at the two reviews a filing goes through: the volunteer centre first
    (初審), the competent bureau second (複審). Used by service plans and honor-card applications."""

    return_reason = models.TextField(_("退回原因"), blank=True)
    centre_reviewed_at = models.DateTimeField(_("初審時間"), null=True, blank=True)
    centre_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    bureau_reviewed_at = models.DateTimeField(_("複審時間"), null=True, blank=True)
    bureau_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("建立時間"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新時間"), auto_now=True)

    class Meta:
        abstract = True
