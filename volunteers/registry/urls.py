"""Units, plans, volunteers, training, insurance, awards, résumé and statistics (names in the
``volunteers`` namespace)."""

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
    path("units/<int:pk>/volunteers/", views.volunteer_list, name="volunteer_list"),
    path("units/<int:pk>/volunteers/new/", views.volunteer_add, name="volunteer_add"),
    path("units/<int:pk>/insurance/", views.insurance_list, name="insurance_list"),
    path("insurance/<int:pk>/", views.insurance_detail, name="insurance_detail"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/review/", views.plan_review, name="plan_review"),
    path("reviews/", views.review_queue, name="review_queue"),
    path("people/<int:pk>/", views.volunteer_detail, name="volunteer_detail"),
    path("people/<int:pk>/edit/", views.volunteer_edit, name="volunteer_edit"),
    path("people/<int:pk>/leave/", views.volunteer_leave, name="volunteer_leave"),
    path("people/<int:pk>/photo/", views.volunteer_photo, name="volunteer_photo"),
    path("people/<int:pk>/training/new/", views.training_add, name="training_add"),
    path("people/<int:pk>/awards/new/", views.award_add, name="award_add"),
    path("people/<int:pk>/resume/", views.resume, name="resume"),
    path("people/<int:pk>/resume.pdf", views.resume_pdf, name="resume_pdf"),
    path("training/<int:pk>/certificate/", views.training_certificate, name="training_certificate"),
    path("awards/thresholds/", views.award_thresholds, name="award_thresholds"),
    path("me/", views.my_resume, name="my_resume"),
    path("me/claim/", views.claim, name="claim"),
    path("statistics/", views.statistics_view, name="statistics"),
    path("statistics.xlsx", views.statistics_xlsx, name="statistics_xlsx"),
]
