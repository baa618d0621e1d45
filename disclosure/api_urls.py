from django.urls import re_path

from .api import DisclosureMonthView

urlpatterns = [
    re_path(
        r"^disclosure/(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])/$",
        DisclosureMonthView.as_view(),
        name="api-disclosure-month",
    ),
]
