from django.urls import path

from .api import OpenOpportunitiesView

urlpatterns = [path("opportunities/", OpenOpportunitiesView.as_view(), name="api-opportunities")]
