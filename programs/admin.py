from django.contrib import admin

from .models import Category, GoodsNeed, Offer, Program, ProgramUpdate, ServiceNeed


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "is_sensitive", "sort_order")
    list_editable = ("sort_order",)
    prepopulated_fields = {"slug": ("name",)}


class GoodsNeedInline(admin.TabularInline):
    model = GoodsNeed
    extra = 0


class ServiceNeedInline(admin.TabularInline):
    model = ServiceNeed
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("title", "bureau", "category", "status", "money_target", "money_raised")
    list_filter = ("status", "category", "bureau")
    search_fields = ("title",)
    readonly_fields = ("status", "money_raised", "published_at", "closed_at")
    inlines = [GoodsNeedInline, ServiceNeedInline]

    def has_delete_permission(self, request, obj=None):
        return False  # programs carry money and audit history: close them, never delete


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ("item", "quantity", "status", "program", "donor", "created_at")
    list_filter = ("status", "kind")
    readonly_fields = ("status", "accepted_quantity", "decided_by", "decided_at", "delivered_at")


admin.site.register(ProgramUpdate)
