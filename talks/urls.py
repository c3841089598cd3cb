"""URLs of the talks."""

from django.urls import path

from talks import moderation, views

app_name = "talks"

urlpatterns = [
    path("talks/", views.talk_list, name="list"),
    path("talks/past/", views.past_talks, name="past"),
    path("talks/search/", views.search, name="search"),
    path("talks/new/", views.new_talk, name="new"),
    path("talks/by/<str:username>/", views.speaker_talks, name="speaker"),
    path("talks/<id:pk>/", views.talk_detail, name="talk"),
    path("talks/<id:pk>/edit/", views.edit_talk, name="edit"),
    path("talks/moderate/", moderation.queue, name="moderate"),
    path("talks/moderate/all/", moderation.queue_all, name="moderate_all"),
    path("talks/comments/<id:pk>/approve/", moderation.approve_comment, name="approve_comment"),
    path("talks/comments/<id:pk>/delete/", moderation.delete_comment, name="delete_comment"),
]
