"""The landing page, units and their service plans (names in the ``volunteers`` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("units/register/", views.unit_register, name="unit_register"),
    path("unit/", views.unit_home, name="unit_home"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/results/<int:year>/", views.unit_results, name="unit_results"),
    path("units/<int:pk>/plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/review/", views.plan_review, name="plan_review"),
    path("reviews/", views.review_queue, name="review_queue"),
]
