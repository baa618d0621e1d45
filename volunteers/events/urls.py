"""Events, shifts, sign-ups and QR check-in (names in the ``volunteers`` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/open/", views.open_events, name="open_events"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/shifts/new/", views.shift_create, name="shift_create"),
    path("events/<int:pk>/signups/new/", views.signup_add, name="signup_add"),
    path("events/<int:pk>/qr/", views.event_qr, name="event_qr"),
    path("events/<int:pk>/check-in/<slug:code>/", views.event_check_in, name="event_check_in"),
    path("signups/<int:pk>/", views.signup_act, name="signup_act"),
    path("shifts/<int:pk>/sign-up/", views.shift_sign_up, name="shift_sign_up"),
]
