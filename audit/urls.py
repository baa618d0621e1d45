from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_list, name="list"),
    path("task-failures/", views.task_failures, name="task_failures"),
]
