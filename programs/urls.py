from django.urls import path

from . import feeds, share_views, views

app_name = "programs"
urlpatterns = [
    path("", views.catalogue, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/poster.pdf", share_views.poster, name="poster"),
    path("feed/rss/", feeds.rss, name="feed_rss"),
    path("feed/atom/", feeds.atom, name="feed_atom"),
    path("<int:pk>/offer/", views.make_offer, name="make_offer"),
    path("offer/", views.make_free_offer, name="make_free_offer"),
    path("my-offers/", views.my_offers, name="my_offers"),
    path("workspace/", views.workspace, name="workspace"),
    path("new/", views.create, name="create"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/updates/new/", views.post_update, name="post_update"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<int:pk>/", views.review, name="review"),
    path("offers/<int:pk>/", views.offer_detail, name="offer"),
    path("subscriptions/confirm/<str:token>/", views.confirm_subscription, name="confirm_subscription"),
    path("subscriptions/stop/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
