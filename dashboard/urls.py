from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("dashboard/", views.index, name="index"),
    path("dashboard/figures.csv", views.figures_csv, name="csv"),
    path("map/", views.welfare_map, name="map"),
    path("map/points.geojson", views.map_points, name="map_points"),
    path("map/dropoff-points/", views.points, name="points"),
    path("map/dropoff-points/new/", views.point_new, name="point_new"),
    path("map/dropoff-points/<int:pk>/edit/", views.point_edit, name="point_edit"),
]
