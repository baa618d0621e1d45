from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Organisation, User

# The admin has no login form of its own: /admin/login/ sends people to allauth's sign-in, which
# asks staff for their authenticator code and is rate-limited; the session then passes the
# second-factor check in accounts/middleware.py like every other staff session.
admin.site.login = secure_admin_login(admin.site.login)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "competent_bureau", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "name", "role", "organisation", "is_active")
    list_filter = ("role", "is_active", "organisation__kind")
    search_fields = ("email", "name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("個人資料", {"fields": ("name", "phone", "language")}),
        ("角色", {"fields": ("role", "organisation", "is_active", "is_staff", "is_superuser")}),
        ("時間", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2", "role")}),)
