from django.urls import path

from . import goods_views, staff_views, views

app_name = "donations"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("give/", views.give, name="give"),
    path("monthly/<int:pk>/stop/", views.stop_monthly, name="stop_monthly"),
    path("pledges/<str:trade_no>/", views.pledge_status, name="pledge"),
    path("guest/<str:token>/", views.guest_access, name="guest_access"),
    path("pledges/<str:trade_no>/pay/", views.checkout, name="checkout"),
    path("pledges/<str:trade_no>/refund/", views.refund, name="refund"),
    path("pledges/<str:trade_no>/correct-receipt/", views.correct_receipt, name="correct_receipt"),
    path("receipts/<str:number>.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/offline/", staff_views.offline_gift, name="offline_gift"),
    path("staff/statements/", staff_views.statement_import, name="statement_import"),
    path("staff/statements/<int:pk>/", staff_views.statement, name="statement"),
    path("staff/tax-export/<int:roc_year>.csv", staff_views.tax_export, name="tax_export"),
    path("receipts/annual/<int:roc_year>.pdf", staff_views.annual_receipt, name="annual_receipt"),
    path("programs/<int:pk>/donors/", views.program_donors, name="program_donors"),
    path("offers/<int:pk>/receive/", goods_views.receive_goods, name="receive_goods"),
    path("offers/<int:pk>/service/", goods_views.service_delivery, name="service_delivery"),
    path("goods/", goods_views.goods_list, name="goods_list"),
    path("goods/<int:pk>/", goods_views.goods_detail, name="goods_detail"),
    path("goods/<int:pk>/receipt.pdf", goods_views.goods_receipt_pdf, name="goods_receipt_pdf"),
]
