"""URLs of the account pages that allauth does not provide (allauth itself is mounted at /auth/)."""

from django.urls import path, re_path
from django.views.generic import RedirectView

from accounts import views

app_name = "accounts"

urlpatterns = [
    re_path(
        r"^avatar/(?P<letters>[A-Z0-9]{1,2})/(?P<colour>[0-9]{1,2})\.(?P<kind>svg|png)$",
        views.letter_avatar,
        name="letter_avatar",
    ),
    path("edit-profile/", views.edit_profile, name="edit_profile"),
    path("edit-profile/<id:pk>/", views.edit_profile_admin, name="edit_profile_admin"),
    path("auth/unconfirmed/", views.unconfirmed, name="unconfirmed"),
    path("auth/confirm/", views.resend_confirmation, name="resend_confirmation"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("settings/email/", views.email_preferences, name="email_preferences"),
    path("settings/data/", views.data_export, name="data_export"),
    path("settings/delete-account/", views.delete_account, name="delete_account"),
    path("settings/data/download/<str:token>/", views.data_export_download, name="data_export_download"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.mark_notifications_read, name="notifications_read"),
    path("notifications/unread-count", views.unread_notifications, name="notifications_unread"),
    path("email/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    # Where the blog's own unsubscribe links pointed, in emails sent before there was one kind of link.
    path("post/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe_post"),
    # Flasky's addresses for the account pages, for old links and bookmarks.
    path("auth/register/", RedirectView.as_view(pattern_name="account_signup", permanent=True)),
    path(
        "auth/change-password/", RedirectView.as_view(pattern_name="account_change_password", permanent=True)
    ),
    path("auth/change_email/", RedirectView.as_view(pattern_name="account_email", permanent=True)),
    path("auth/reset/", RedirectView.as_view(pattern_name="account_reset_password", permanent=True)),
]
