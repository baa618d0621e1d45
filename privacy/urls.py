from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.my_data, name="my_data"),
    path("download.json", views.my_data_json, name="my_data_json"),
    path("download.pdf", views.my_data_pdf, name="my_data_pdf"),
    path("correction/", views.request_correction, name="request_correction"),
    path("close/", views.close_account, name="close_account"),
    path("requests/", views.request_queue, name="queue"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
]
