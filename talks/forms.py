"""Forms for publishing talks and for guests' comments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from blog.models import COMMENT_BODY_MAX_LENGTH, POST_BODY_MAX_LENGTH, POST_TITLE_MAX_LENGTH
from flasky_project.forms import local_datetime_input, time_zone_help
from talks import services
from talks.models import URL_MAX_LENGTH, Talk, web_url


def _web_address(label, placeholder, help_text=""):
    """An optional http(s) address (a bare host gets https://), checked as the model's fields are."""
    return forms.URLField(
        label=label,
        max_length=URL_MAX_LENGTH,
        required=False,
        assume_scheme="https",
        validators=[web_url],
        widget=forms.URLInput(attrs={"placeholder": placeholder}),
        help_text=help_text,
    )


class TalkForm(forms.ModelForm):
    """The talk's post (title, abstract) and its details in one form. Times are the reader's local time."""

    # Not required here: the talk-title rule (talks.services.clean_talk_title) says so, with its own message,
    # the same for the form and the API; the browser still asks for one.
    title = forms.CharField(
        label=_("Title"),
        max_length=POST_TITLE_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"required": True}),
    )
    body = forms.CharField(
        label=_("Abstract"),
        max_length=POST_BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "data-markdown-editor": ""}),
        help_text=_("Markdown: *emphasis*, **strong**, [links](https://example.com), lists, `code`."),
    )

    venue_url = _web_address(_("Venue URL"), "https://")
    video_url = _web_address(
        _("Video URL"),
        "https://www.youtube.com/watch?v=…",
        _("A YouTube or Vimeo address is shown as a player; any other address as a link."),
    )
    slides_url = _web_address(
        _("Slides URL"),
        "https://speakerdeck.com/player/…",
        _(
            "Speaker Deck and SlideShare slides are shown as a player when you give the address from "
            "their embed code (speakerdeck.com/player/…, slideshare.net/slideshow/embed_code/…); "
            "any other address is shown as a link."
        ),
    )

    field_order = ["title", "date", "venue", "venue_url", "body", "video_url", "slides_url"]

    class Meta:
        model = Talk
        fields = ["date", "venue", "venue_url", "video_url", "slides_url"]
        widgets = {
            "date": local_datetime_input(),
        }

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {}).update(title=instance.post.title, body=instance.post.body)
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["date"].help_text = time_zone_help()

    def clean_title(self):
        return services.clean_talk_title(self.cleaned_data["title"])

    def clean(self):
        # Embed code pasted where an address belongs gets a clear answer instead of "Enter a valid URL."
        for name in ("video_url", "slides_url", "venue_url"):
            if "<" in str(self.data.get(self.add_prefix(name), "")):
                self.errors.pop(name, None)
                self.add_error(name, _("Paste the page's address (https://…), not its embed code."))
        return super().clean()


class GuestCommentForm(forms.Form):
    """A comment by a visitor without an account: it waits for the speaker's approval.

    ``website`` is a honeypot: hidden from people (and from screen readers), filled in by robots."""

    name = forms.CharField(label=_("Name"), max_length=64)
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("Shown only to the speaker and the moderators; never published."),
    )
    body = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Markdown for *emphasis*, **strong**, [links](https://example.com) and `code`."),
    )
    notify = forms.BooleanField(label=_("Notify me of new comments"), required=False, initial=True)
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_spam(self):
        return bool(self.cleaned_data.get("website"))
