"""The schedule app's configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScheduleConfig(AppConfig):
    name = "schedule"
    verbose_name = _("Schedule")
    # "Add to my schedule" on a talk's page (see talks.views.talk_page_partials).
    talk_page_partials = ["schedule/_add_talk.html"]
    # Its part of a user's data export and account erasure (see accounts.personal_data).
    personal_data = "schedule.personal_data"
