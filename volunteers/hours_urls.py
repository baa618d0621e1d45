"""Service hours, the week grid, events and QR sign-in, imports, exports and API keys
(names in the ``volunteers`` namespace)."""

from django.urls import path

from . import event_views, hours_views, import_views

urlpatterns = [
    path("hours/", hours_views.hours_list, name="hours_list"),
    path("hours/new/", hours_views.record_hours, name="record_hours"),
    path("hours/week/", hours_views.week_grid, name="week_grid"),
    path("hours/certify/", hours_views.certify_hours, name="certify_hours"),
    path("hours/<int:pk>/correct/", hours_views.correct_hours, name="correct_hours"),
    path("exports/", hours_views.exports_page, name="exports"),
    path("exports/unit.xlsx", hours_views.export_xlsx, name="export_xlsx"),
    path("exports/national-<str:kind>.csv", hours_views.export_national, name="export_national"),
    path("api-keys/", hours_views.api_keys, name="api_keys"),
    path("api-keys/<int:pk>/revoke/", hours_views.api_key_revoke, name="api_key_revoke"),
    path("events/", event_views.event_list, name="event_list"),
    path("events/new/", event_views.event_create, name="event_create"),
    path("events/open/", event_views.open_events, name="open_events"),
    path("events/<int:pk>/", event_views.event_detail, name="event_detail"),
    path("events/<int:pk>/shifts/new/", event_views.shift_create, name="shift_create"),
    path("events/<int:pk>/signups/new/", event_views.signup_add, name="signup_add"),
    path("events/<int:pk>/qr/", event_views.event_qr, name="event_qr"),
    path("events/<int:pk>/check-in/<slug:code>/", event_views.event_check_in, name="event_check_in"),
    path("signups/<int:pk>/", event_views.signup_act, name="signup_act"),
    path("shifts/<int:pk>/sign-up/", event_views.shift_sign_up, name="shift_sign_up"),
    path("imports/", import_views.import_list, name="import_list"),
    path("imports/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", import_views.import_progress, name="import_progress"),
    path("imports/template/<str:kind>.<str:fmt>", import_views.import_template, name="import_template"),
]
