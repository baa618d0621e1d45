from django.urls import path

from . import api

urlpatterns = [
    path(
        "volunteers/<int:pk>/honor-card-eligibility/",
        api.eligibility,
        name="api-honor-card-eligibility",
    ),
]
