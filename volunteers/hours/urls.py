"""Service hours, the week grid, and exports (names in the ``volunteers`` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("hours/", views.hours_list, name="hours_list"),
    path("hours/new/", views.record_hours, name="record_hours"),
    path("hours/week/", views.week_grid, name="week_grid"),
    path("hours/certify/", views.certify_hours, name="certify_hours"),
    path("hours/<int:pk>/correct/", views.correct_hours, name="correct_hours"),
    path("exports/", views.exports_page, name="exports"),
    path("exports/unit.xlsx", views.export_xlsx, name="export_xlsx"),
    path("exports/national-<str:kind>.csv", views.export_national, name="export_national"),
]
