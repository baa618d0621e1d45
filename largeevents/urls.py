from django.urls import path

from . import views

app_name = "largeevents"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("volunteer-roster-template.csv", views.enrol_template, name="template"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/submit/", views.plan_submit, name="submit"),
    path("<int:pk>/review/", views.plan_review, name="review"),
    path("<int:pk>/enrol/", views.plan_enrol, name="enrol"),
]
