from django.urls import path

from . import views

app_name = "corporate"
urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("teams/<int:pk>/members/", views.members, name="members"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("teams/<int:pk>/coordinators/", views.coordinators, name="coordinators"),
    path("coordinators/join/<str:token>/", views.coordinator_join, name="coordinator_join"),
    path(
        "teams/<int:pk>/coordinators/<int:user_pk>/remove/",
        views.coordinator_remove,
        name="coordinator_remove",
    ),
    path("teams/<int:pk>/match/", views.propose, name="propose"),
    path("teams/<int:pk>/report/", views.report, name="report"),
    path("teams/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("teams/<int:pk>/report.csv", views.report_csv, name="report_csv"),
    path("matches/<int:pk>/", views.match_detail, name="match_detail"),
    path("matches/<int:pk>/answer/", views.match_answer, name="match_answer"),
    path("matches/<int:pk>/enrol/", views.match_enrol, name="match_enrol"),
    path("matches/<int:pk>/cancel/", views.match_cancel, name="match_cancel"),
]
