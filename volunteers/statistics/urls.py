"""Volunteer statistics (names in the ``volunteers`` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("statistics/", views.statistics_view, name="statistics"),
    path("statistics.xlsx", views.statistics_xlsx, name="statistics_xlsx"),
]
