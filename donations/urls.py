from django.urls import path

from . import views

app_name = "donations"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("give/", views.give, name="give"),
    path("pledges/<str:trade_no>/", views.pledge_status, name="pledge"),
    path("pledges/<str:trade_no>/pay/", views.checkout, name="checkout"),
    path("pledges/<str:trade_no>/refund/", views.refund, name="refund"),
    path("pledges/<str:trade_no>/correct-receipt/", views.correct_receipt, name="correct_receipt"),
    path("receipts/<str:number>.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("staff/", views.staff_list, name="staff_list"),
    path("programs/<int:pk>/donors/", views.program_donors, name="program_donors"),
]
