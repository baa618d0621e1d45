from django.urls import include, path

app_name = "volunteers"
# Units, plans, volunteers, training, insurance, awards, résumé, statistics: views.py.
# Service hours, the week grid, events and QR sign-in, imports and exports: hours_urls.py.
urlpatterns: list = [
    path("", include("volunteers.hours_urls")),
]
