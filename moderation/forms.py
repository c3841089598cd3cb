"""The report form, and the form a moderator resolves a report with."""

from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.models import Action, Reason

NOTE_MAX_LENGTH = 1000

# The queue's one choice of action: a suspension's length is part of it.
RESOLUTIONS = {
    "dismiss": (Action.DISMISS, None),
    "hide": (Action.HIDE, None),
    "warn": (Action.WARN, None),
    "suspend_1": (Action.SUSPEND, 1),
    "suspend_7": (Action.SUSPEND, 7),
    "suspend_30": (Action.SUSPEND, 30),
    "suspend_forever": (Action.SUSPEND, None),
}
RESOLUTION_LABELS = [
    ("dismiss", _("Dismiss")),
    ("hide", _("Hide the post or comment")),
    ("warn", _("Warn the author")),
    ("suspend_1", _("Suspend the author for 1 day")),
    ("suspend_7", _("Suspend the author for 7 days")),
    ("suspend_30", _("Suspend the author for 30 days")),
    ("suspend_forever", _("Suspend the author for good")),
]


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Reason.choices, widget=forms.RadioSelect)
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what moderators should know."),
    )


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(label=_("Action"), choices=RESOLUTION_LABELS)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )

    def action_and_days(self):
        return RESOLUTIONS[self.cleaned_data["resolution"]]
