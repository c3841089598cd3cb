"""Form pieces the apps share."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _

LOCAL_DATETIME_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends and shows


def local_datetime_input():
    """An <input type="datetime-local">: a date and time in the reader's time zone (the active one)."""
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_DATETIME_FORMAT)


def time_zone_help():
    """Help text saying which time zone a date and time field is read in (call it per request)."""
    return _("In your time zone (%(zone)s).") % {"zone": timezone.get_current_timezone_name()}


def form_data(request):
    """(data, files) to bind a form to on a POST, or (None, None) to show it empty. A POST with every box
    unticked has no fields at all, and must still count as a submission."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)
