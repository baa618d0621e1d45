from django.contrib import admin

from .models import PaymentNotification, Pledge, Receipt


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = ("merchant_trade_no", "donor_name", "amount", "channel", "status", "paid_at")
    list_filter = ("status", "channel")
    search_fields = ("merchant_trade_no", "donor_name")
    exclude = ("receipt_id_number",)
    readonly_fields = [f.name for f in Pledge._meta.fields if f.name != "receipt_id_number"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Receipt)
class ReceiptAdmin(admin.ModelAdmin):
    list_display = ("number", "pledge", "status", "issued_at")
    readonly_fields = ("pledge", "number", "status", "replaces", "voided_at", "void_reason", "receipt_name")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PaymentNotification)
class PaymentNotificationAdmin(admin.ModelAdmin):
    list_display = ("received_at", "endpoint", "merchant_trade_no", "verdict", "reason")
    list_filter = ("verdict", "endpoint")
    search_fields = ("merchant_trade_no",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
