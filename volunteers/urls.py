from django.urls import include, path

app_name = "volunteers"
# Each part of volunteer records (see the subpackages) brings its own routes; all of them are
# named in the one ``volunteers`` namespace. The units' API is mounted apart: volunteers.api.urls.
urlpatterns: list = [
    path("", include("volunteers.hours.urls")),
    path("", include("volunteers.events.urls")),
    path("", include("volunteers.imports.urls")),
    path("", include("volunteers.api.key_urls")),
    path("", include("volunteers.units.urls")),
    path("", include("volunteers.registry.urls")),
    path("", include("volunteers.statistics.urls")),
]
