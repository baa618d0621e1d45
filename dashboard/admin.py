from django.contrib import admin

from .models import DropOffPoint


@admin.register(DropOffPoint)
class DropOffPointAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "bureau", "address", "is_active")
    list_filter = ("role", "is_active", "bureau")
    search_fields = ("name", "address")
