from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("sitemap/", views.sitemap, name="sitemap"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("language/", views.switch_language, name="switch_language"),
]
