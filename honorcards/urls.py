from django.urls import path

from . import application_views, card_views, correction_views, public_views, review_views

app_name = "honorcards"
urlpatterns = [
    path("", public_views.index, name="index"),
    path("public-key.pem", public_views.public_key, name="public_key"),
    path("v/<str:token>/", public_views.verify, name="verify"),
    path("v/<str:token>/photo/", public_views.verify_photo, name="verify_photo"),
    path("eligible/", application_views.eligible, name="eligible"),
    path("volunteers/<int:volunteer_id>/check/", application_views.check, name="check"),
    path("volunteers/<int:volunteer_id>/apply/", application_views.apply, name="apply"),
    path("applications/", application_views.applications, name="applications"),
    path("applications/<int:pk>/", review_views.application, name="application"),
    path("applications/<int:pk>/resubmit/", application_views.resubmit, name="resubmit"),
    path(
        "applications/<int:pk>/images/<str:which>/",
        application_views.application_image,
        name="application_image",
    ),
    path("queue/", review_views.queue, name="queue"),
    path("cards/", card_views.cards, name="cards"),
    path("cards/print/", card_views.batch_print, name="batch_print"),
    path("cards/<str:number>/", card_views.card, name="card"),
    path("cards/<str:number>/pdf/", card_views.card_pdf, name="card_pdf"),
    path("cards/<str:number>/revoke/", card_views.revoke, name="revoke"),
    path("cards/<str:number>/reissue/", card_views.reissue, name="reissue"),
    path("corrections/", correction_views.correction_list, name="corrections"),
    path("corrections/<int:pk>/decide/", correction_views.correction_decide, name="correction_decide"),
    path("batches/<int:pk>/", card_views.batch, name="batch"),
    path("batches/<int:pk>/pdf/", card_views.batch_pdf, name="batch_pdf"),
    path("batches/<int:pk>/retry/", card_views.batch_retry, name="batch_retry"),
]
