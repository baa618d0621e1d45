from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("ecpay/notify/", views.ecpay_notify, name="ecpay_notify"),
    path("ecpay/payment-info/", views.ecpay_payment_info, name="ecpay_payment_info"),
    path("ecpay/period/", views.ecpay_period, name="ecpay_period"),
    path("sandbox/", views.sandbox, name="sandbox"),
    path("sandbox/act/", views.sandbox_act, name="sandbox_act"),
    path("sandbox/query/", views.sandbox_query, name="sandbox_query"),
    path("sandbox/period-action/", views.sandbox_period_action, name="sandbox_period_action"),
]
