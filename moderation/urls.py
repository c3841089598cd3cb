"""URLs of reporting and the moderators' queue of reports."""

from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("report/<str:kind>/<id:pk>/", views.report, name="report"),
    path("moderate/reports/", views.queue, name="queue"),
    path("moderate/reports/<id:pk>/resolve/", views.resolve, name="resolve"),
    path("suspended/", views.suspended, name="suspended"),
]
