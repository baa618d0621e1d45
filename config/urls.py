from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import views as account_views
from core import portal
from core import views as core_views
from ops.metrics import metrics_view

# The project's own endpoints; every app's pages and APIs come from the app registry
# (settings.PORTAL_APPS, each app's AppConfig.urls and api_urls: core/portal.py).
urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("accounts/profile/", account_views.profile, name="profile"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    *portal.urlpatterns(),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI served from our static files, its start-up script a file of its own (?script):
    # nothing inline and nothing from another origin, so it renders under the strict CSP.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/docs.html"),
        name="api-docs",
    ),
]

if settings.GOODDAY_BENCH:
    # The floor `make bench` measures pages against: Django's full stack, no database, no template.
    urlpatterns += [path("bench/bare/", core_views.bare, name="bench-bare")]

if settings.SERVE_MEDIA:
    # Public media only (program photos); personal documents are served by permission-checking views.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]
