"""URLs of the social graph."""

from django.urls import path
from django.views.generic import RedirectView

from social import views

app_name = "social"

urlpatterns = [
    path("follow/<str:username>/", views.follow, name="follow"),
    path("unfollow/<str:username>/", views.unfollow, name="unfollow"),
    path("followers/<str:username>/", views.followers, name="followers"),
    path("following/<str:username>/", views.following, name="following"),
    path("block/<str:username>/", views.block, name="block"),
    path("unblock/<str:username>/", views.unblock, name="unblock"),
    path("mute/<str:username>/", views.mute, name="mute"),
    path("unmute/<str:username>/", views.unmute, name="unmute"),
    path("settings/blocks/", views.blocks_and_mutes, name="blocks"),
    path("settings/muted-words/", views.add_muted_word, name="add_muted_word"),
    path("settings/muted-words/<int:pk>/delete/", views.remove_muted_word, name="remove_muted_word"),
    # Flasky's address for the list of people a user follows.
    path(
        "followed_by/<str:username>/", RedirectView.as_view(pattern_name="social:following", permanent=True)
    ),
]
