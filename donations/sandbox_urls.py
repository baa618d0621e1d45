"""The sandbox gateway's URLs: mounted only where the sandbox is on (development and the demo)."""

from django.urls import path

from . import sandbox_views

urlpatterns = [
    path("sandbox/", sandbox_views.cashier, name="sandbox"),
    path("sandbox/act/", sandbox_views.act, name="sandbox_act"),
    path("sandbox/vouchers/", sandbox_views.vouchers, name="sandbox_vouchers"),
    path("sandbox/query/", sandbox_views.query, name="sandbox_query"),
    path("sandbox/period-action/", sandbox_views.period_action, name="sandbox_period_action"),
]
