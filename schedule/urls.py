"""URLs of the private schedule."""

from django.urls import path, re_path

from schedule import views

app_name = "schedule"

urlpatterns = [
    path("schedule/", views.appointment_list, name="list"),
    path("schedule/past/", views.past_appointments, name="past"),
    path("schedule/new/", views.create_appointment, name="create"),
    path("schedule/<id:pk>/", views.appointment_detail, name="detail"),
    path("schedule/<id:pk>/edit/", views.edit_appointment, name="edit"),
    path("schedule/<id:pk>/delete/", views.delete_appointment, name="delete"),
    path("schedule/talks/<id:pk>/add/", views.add_talk, name="add_talk"),
    path("schedule/calendar/reset/", views.reset_feed, name="reset_feed"),
    re_path(r"^schedule/calendar/(?P<token>[A-Za-z0-9_-]{20,64})\.ics$", views.feed, name="feed"),
]
