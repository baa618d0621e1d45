from django.conf import settings
from django.urls import path

from . import sandbox_urls, views

app_name = "payments"
urlpatterns = [
    path("ecpay/notify/", views.ecpay_notify, name="ecpay_notify"),
    path("ecpay/payment-info/", views.ecpay_payment_info, name="ecpay_payment_info"),
    path("ecpay/period/", views.ecpay_period, name="ecpay_period"),
]

if settings.ECPAY_SANDBOX or settings.DEBUG:
    # Development only; each view checks ECPAY_SANDBOX again (it can be switched off while running).
    urlpatterns += sandbox_urls.urlpatterns
