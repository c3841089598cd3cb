"""The appointment form: times in the reader's time zone; all-day appointments as whole dates."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from flasky_project import dates
from flasky_project.forms import local_datetime_input, time_zone_help
from schedule.models import ONE_DAY, Appointment, utc_midnight


class AppointmentForm(forms.ModelForm):
    class Meta:
        model = Appointment
        fields = ["title", "start", "end", "all_day", "location", "description"]
        widgets = {
            "title": forms.TextInput(attrs={"placeholder": _("Important Meeting")}),
            # schedule.js turns these into date inputs while "All day" is ticked; a date alone is accepted.
            "start": local_datetime_input(),
            "end": local_datetime_input(),
            "location": forms.TextInput(attrs={"placeholder": _("The Office")}),
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {"all_day": _("For all-day appointments only the dates count.")}

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None and instance.pk and instance.all_day:
            # Show the dates as they are (midnight of each), not converted to the reader's time zone.
            kwargs.setdefault("initial", {}).update(
                start=datetime.datetime.combine(instance.first_day, datetime.time.min),
                end=datetime.datetime.combine(instance.last_day, datetime.time.min),
            )
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["start"].help_text = time_zone_help()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None or end is None:
            return cleaned
        if cleaned.get("all_day"):
            first, last = dates.localdate(start), dates.localdate(end)
            if last < first:
                self.add_error("end", _("The end must not be before the start."))
                return cleaned
            cleaned["start"], cleaned["end"] = utc_midnight(first), utc_midnight(last) + ONE_DAY
        elif end < start:
            self.add_error("end", _("The end must not be before the start."))
        return cleaned
