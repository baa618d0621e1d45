from django.apps import AppConfig

from core.portal import Mount


class DonationsConfig(AppConfig):
    name = "donations"
    verbose_name = "捐款與物資"
    urls = (
        Mount("donations/", "donations.urls"),
        Mount("payments/", "donations.payment_urls", namespace="payments"),
    )
    menu_order = 20
