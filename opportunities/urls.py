from django.urls import path

from . import views

app_name = "opportunities"

urlpatterns = [
    path("", views.board, name="board"),
    path("open-data.csv", views.open_data_csv, name="open_data_csv"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/apply/", views.apply, name="apply"),
    path("mine/", views.my_applications, name="my_applications"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.manage_new, name="manage_new"),
    path("manage/<int:pk>/", views.manage_detail, name="manage_detail"),
    path("manage/<int:pk>/edit/", views.manage_edit, name="manage_edit"),
    path("manage/<int:pk>/status/", views.manage_status, name="manage_status"),
    path("manage/<int:pk>/shifts/new/", views.manage_shift_new, name="manage_shift_new"),
    path("manage/applications/<int:pk>/", views.decide, name="decide"),
]
