"""Volunteers, training, insurance, awards, résumé and claim (names in the ``volunteers`` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("units/<int:pk>/volunteers/", views.volunteer_list, name="volunteer_list"),
    path("units/<int:pk>/volunteers/new/", views.volunteer_add, name="volunteer_add"),
    path("units/<int:pk>/insurance/", views.insurance_list, name="insurance_list"),
    path("insurance/<int:pk>/", views.insurance_detail, name="insurance_detail"),
    path("people/<int:pk>/", views.volunteer_detail, name="volunteer_detail"),
    path("people/<int:pk>/edit/", views.volunteer_edit, name="volunteer_edit"),
    path("people/<int:pk>/identity/", views.reveal_identity, name="reveal_identity"),
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
]
