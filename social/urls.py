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
    # Flasky's address for the list of people a user follows.
    path(
        "followed_by/<str:username>/", RedirectView.as_view(pattern_name="social:following", permanent=True)
    ),
]
