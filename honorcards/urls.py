from django.urls import path

from . import correction_views, views

app_name = "honorcards"
urlpatterns = [
    path("", views.index, name="index"),
    path("public-key.pem", views.public_key, name="public_key"),
    path("v/<str:token>/", views.verify, name="verify"),
    path("v/<str:token>/photo/", views.verify_photo, name="verify_photo"),
    path("eligible/", views.eligible, name="eligible"),
    path("volunteers/<int:volunteer_id>/check/", views.check, name="check"),
    path("volunteers/<int:volunteer_id>/apply/", views.apply, name="apply"),
    path("applications/", views.applications, name="applications"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/resubmit/", views.resubmit, name="resubmit"),
    path("applications/<int:pk>/images/<str:which>/", views.application_image, name="application_image"),
    path("queue/", views.queue, name="queue"),
    path("cards/", views.cards, name="cards"),
    path("cards/print/", views.batch_print, name="batch_print"),
    path("cards/<str:number>/", views.card, name="card"),
    path("cards/<str:number>/pdf/", views.card_pdf, name="card_pdf"),
    path("cards/<str:number>/revoke/", views.revoke, name="revoke"),
    path("cards/<str:number>/reissue/", views.reissue, name="reissue"),
    path("corrections/", correction_views.correction_list, name="corrections"),
    path("corrections/<int:pk>/decide/", correction_views.correction_decide, name="correction_decide"),
    path("batches/<int:pk>/", views.batch, name="batch"),
    path("batches/<int:pk>/pdf/", views.batch_pdf, name="batch_pdf"),
    path("batches/<int:pk>/retry/", views.batch_retry, name="batch_retry"),
]
