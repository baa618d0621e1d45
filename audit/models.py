from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models


class AuditEvent(models.Model):
    """One change to money, goods, programs, volunteer records, reviews or cards.

    Append-only: rows are never updated or deleted (enforced here and, on PostgreSQL,
    by a trigger, so that not even a raw query can rewrite history).
    """

    at = models.DateTimeField("時間", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text so the record still says who it was if the account is removed.
    actor_label = models.CharField("操作者名稱", max_length=254, blank=True)
    action = models.CharField("動作", max_length=80, db_index=True)
    target_type = models.CharField("對象類型", max_length=100, db_index=True)
    target_id = models.CharField("對象編號", max_length=64, db_index=True)
    target_label = models.CharField("對象", max_length=255, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name="機關單位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changes = models.JSONField("變更內容", default=dict, blank=True)
    reason = models.TextField("理由", blank=True)

    class Meta:
        verbose_name = "稽核紀錄"
        verbose_name_plural = "稽核紀錄"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit events are append-only.")


class TaskFailure(models.Model):
    """A background job that failed, kept so staff see it (the failure page, the admin, /healthz)."""

    at = models.DateTimeField("時間", auto_now_add=True, db_index=True)
    task_name = models.CharField("工作", max_length=200)
    task_id = models.CharField("工作編號", max_length=64, blank=True)
    exception = models.TextField("錯誤")
    traceback = models.TextField("追蹤", blank=True)
    resolved_at = models.DateTimeField("處理時間", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "背景工作失敗"
        verbose_name_plural = "背景工作失敗"
        ordering = ["-at"]

    def __str__(self):
        return f"{self.task_name} {self.at:%Y-%m-%d %H:%M}"
