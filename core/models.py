"""Abstract building blocks shared by the apps' models (core itself has no tables)."""

import functools

from django.conf import settings
from django.db import models
from django.dispatch import receiver
from django.utils.autoreload import file_changed
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


@functools.cache
def choice_labels(field, language) -> dict:
    """{value: label} of a field's choices, translated once per language (``language`` is the active
    one: the caller passes get_language())."""
    return {make_hashable(value): force_str(label, strings_only=True) for value, label in field.flatchoices}


@receiver(file_changed, dispatch_uid="core.models.choice_labels")
def _forget_choice_labels(sender, file_path, **kwargs):
    """runserver reloads a recompiled catalogue without restarting: the labels follow it."""
    if str(file_path).endswith(".mo"):
        choice_labels.cache_clear()


class CachedChoiceLabels:
    """``get_FOO_display()`` the same, without Django's translating every label of the field's
    choices on each call (it hashes the lazy labels): a list of 50 rows with three such columns
    translated ~1,000 labels. For fields with fixed choices (TextChoices), not callables that
    query (their labels would be cached)."""

    def _get_FIELD_display(self, field):
        value = make_hashable(getattr(self, field.attname))
        labels = choice_labels(field, get_language())
        return labels[value] if value in labels else force_str(value, strings_only=True)


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
