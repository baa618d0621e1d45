"""The units' API (mounted under /api/v1/): volunteers, bulk service records, totals."""

from django.urls import path

from .views import ServiceRecordBulkView, VolunteerDetailView, VolunteerTotalsView, VolunteerUpsertView

urlpatterns = [
    path("volunteers/", VolunteerUpsertView.as_view(), name="api-volunteers"),
    path("volunteers/<int:pk>/", VolunteerDetailView.as_view(), name="api-volunteer"),
    path("volunteers/<int:pk>/totals/", VolunteerTotalsView.as_view(), name="api-volunteer-totals"),
    path("service-records/bulk/", ServiceRecordBulkView.as_view(), name="api-service-records-bulk"),
]
