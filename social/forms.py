"""Forms of the social pages: how long to mute someone, a word to mute."""

from django import forms
from django.utils.translation import gettext_lazy as _

from social.models import MUTED_WORD_MAX_LENGTH

# The durations the site offers (the API takes any number of days from 1 to social.services.MUTE_MAX_DAYS).
MUTE_DURATIONS = [("1", _("1 day")), ("7", _("7 days")), ("forever", _("For good"))]


class MuteForm(forms.Form):
    duration = forms.ChoiceField(
        label=_("For how long?"), choices=MUTE_DURATIONS, initial="forever", widget=forms.RadioSelect
    )

    def days(self):
        """The chosen number of days, or None for good."""
        duration = self.cleaned_data["duration"]
        return None if duration == "forever" else int(duration)


class MutedWordForm(forms.Form):
    word = forms.CharField(
        label=_("Word or phrase"),
        max_length=MUTED_WORD_MAX_LENGTH,
        help_text=_("Posts that contain it (as a whole word, in any case) are folded in your timelines."),
    )
