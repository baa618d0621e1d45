from django.contrib import admin

from .models import CommitteeMeeting, MonthlyReport, Spending


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    list_display = ("year", "month", "version", "digest", "built_at")
    exclude = ("content",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(Spending)
admin.site.register(CommitteeMeeting)
