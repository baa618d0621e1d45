from django.urls import path, register_converter

from . import views


class MonthConverter:
    regex = "0[1-9]|1[0-2]"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(MonthConverter, "mm")

app_name = "disclosure"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/<mm:month>/", views.month, name="month"),
    path("<int:year>/<mm:month>/income.csv", views.table_csv, {"table": "income"}, name="income_csv"),
    path("<int:year>/<mm:month>/goods.csv", views.table_csv, {"table": "goods"}, name="goods_csv"),
    path("<int:year>/<mm:month>/spending.csv", views.table_csv, {"table": "spending"}, name="spending_csv"),
    path("<int:year>/<mm:month>/report.xlsx", views.workbook, name="xlsx"),
    path("<int:year>/<mm:month>/report.pdf", views.pdf, name="pdf"),
    path("spending/new/", views.spending_new, name="spending_new"),
    path("spending/review/", views.spending_queue, name="spending_queue"),
    path("spending/<int:pk>/attachment/", views.spending_attachment, name="spending_attachment"),
    path("build/", views.build, name="build"),
    path("committee/", views.committee, name="committee"),
    path("committee/meetings/new/", views.meeting_new, name="meeting_new"),
    path("committee/meetings/<int:pk>/sign-off/", views.meeting_sign_off, name="meeting_sign_off"),
]
