"""The officer's API key page (names in the ``volunteers`` namespace; the API itself is
mounted apart: api/urls.py)."""

from django.urls import path

from . import key_views

urlpatterns = [
    path("api-keys/", key_views.api_keys, name="api_keys"),
    path("api-keys/<int:pk>/revoke/", key_views.api_key_revoke, name="api_key_revoke"),
]
