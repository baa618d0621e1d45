from django.contrib import admin

from .models import DataRequest


@admin.register(DataRequest)
class DataRequestAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "organisation", "status", "created_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in DataRequest._meta.fields]
