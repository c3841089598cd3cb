"""Forms for writing posts and comments."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from blog import pictures
from blog.markdown import render_markdown
from blog.models import COMMENT_BODY_MAX_LENGTH, PICTURE_ALT_MAX_LENGTH, POST_BODY_MAX_LENGTH, Post

PICTURE_NUMBERS = range(1, pictures.MAX_PICTURES + 1)
MAX_ID = 10**18 - 1  # as the URLs' ids: larger ones would overflow the database's integers


def submitted_preview(request):
    """The body of a form sent with its Preview button (no JavaScript), rendered as it would be
    published; None for any other request."""
    if request.method != "POST" or "preview" not in request.POST:
        return None
    return render_markdown(request.POST.get("body", "")[:POST_BODY_MAX_LENGTH])


class PostForm(forms.ModelForm):
    """A post's title and body, and up to MAX_PICTURES pictures, each with its alt text (a fixed group of
    file and text fields: works without JavaScript). On an edit, the post's pictures can be removed.
    Valid pictures are re-encoded while the form is cleaned: ``cleaned_pictures`` is the list of
    (Processed, alt) to publish, ``pictures_to_remove`` the PostPicture rows to remove."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_pictures = list(self.instance.pictures.all()) if self.instance.pk else []
        if self.existing_pictures:
            self.fields["remove_pictures"] = forms.TypedMultipleChoiceField(
                label=_("Remove pictures"),
                required=False,
                coerce=int,
                choices=[(picture.pk, picture.alt) for picture in self.existing_pictures],
                widget=forms.CheckboxSelectMultiple,
            )
        for number in PICTURE_NUMBERS:
            self.fields[f"picture_{number}"] = forms.FileField(
                label=_("Picture %(number)s") % {"number": number},
                required=False,
                widget=forms.FileInput(attrs={"accept": pictures.ACCEPT}),
            )
            self.fields[f"alt_{number}"] = forms.CharField(
                label=_("Description of picture %(number)s (alt text)") % {"number": number},
                required=False,
                max_length=PICTURE_ALT_MAX_LENGTH,
            )
        self.cleaned_pictures = []
        self.pictures_to_remove = []

    @property
    def blank(self):
        """A new post's empty form, the same for every writer (the home page's): its fields' HTML is
        rendered once a language and kept (templates/blog/_post_form.html)."""
        return not self.is_bound and self.instance.pk is None and not self.initial

    def pictures_help(self):
        return gettext(
            "Up to %(count)s JPEG, PNG, WebP or GIF pictures of at most %(size)s each, with a description of "
            "each for people who cannot see it. An animated GIF keeps only its first frame."
        ) % {"count": pictures.MAX_PICTURES, "size": filesizeformat(pictures.MAX_BYTES)}

    def text_fields(self):
        """The post's own fields (title, body), for the template."""
        return [self[name] for name in self._meta.fields]

    def picture_fields(self):
        """(file field, alt text field) bound fields, in order, for the template."""
        return [(self[f"picture_{number}"], self[f"alt_{number}"]) for number in PICTURE_NUMBERS]

    def clean(self):
        cleaned = super().clean()
        known = {f"picture_{number}" for number in PICTURE_NUMBERS}
        sent = sum(len(self.files.getlist(key)) for key in self.files) if self.files else 0
        if sent > pictures.MAX_PICTURES or any(key not in known for key in (self.files or {})):
            raise forms.ValidationError(
                _("You can attach at most %(count)s pictures to a post.") % {"count": pictures.MAX_PICTURES},
                code="too_many_pictures",
            )
        remove = set(cleaned.get("remove_pictures") or ())
        self.pictures_to_remove = [picture for picture in self.existing_pictures if picture.pk in remove]
        kept = len(self.existing_pictures) - len(self.pictures_to_remove)
        new = []
        for number in PICTURE_NUMBERS:
            upload = cleaned.get(f"picture_{number}")
            alt = (cleaned.get(f"alt_{number}") or "").strip()
            if upload is None:
                continue
            if not alt:
                self.add_error(
                    f"alt_{number}",
                    _("Describe the picture for people who cannot see it (alt text)."),
                )
                continue
            try:
                new.append((pictures.process_picture(upload), alt))
            except forms.ValidationError as error:
                self.add_error(f"picture_{number}", error)
        if kept + len(new) > pictures.MAX_PICTURES:
            raise forms.ValidationError(
                _("A post can have at most %(count)s pictures. Remove some first.")
                % {"count": pictures.MAX_PICTURES},
                code="too_many_pictures",
            )
        self.cleaned_pictures = new
        return cleaned

    class Meta:
        model = Post
        fields = ["title", "body"]
        labels = {"title": _("Title (optional)"), "body": _("What's on your mind?")}
        help_texts = {
            "body": _("Markdown: *emphasis*, **strong**, [links](https://example.com), lists, `code`.")
        }
        widgets = {
            "body": forms.Textarea(attrs={"rows": 5, "data-markdown-editor": ""}),
        }


class CommentForm(forms.Form):
    """A comment on a post or a talk (``in_reply_to``: the comment it answers, for a reply)."""

    body = forms.CharField(
        label=_("Enter your comment"),
        max_length=COMMENT_BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "data-markdown-editor": ""}),
        help_text=_("Markdown for *emphasis*, **strong**, [links](https://example.com) and `code`."),
    )
    notify = forms.BooleanField(
        label=_("Email me when others comment on this post"), required=False, initial=True
    )
    in_reply_to = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)

    @property
    def blank(self):
        """An empty form, the same for every member (the post's and the talk's page): its HTML is rendered
        once a language and kept (templates/blog/_comment_form_fields.html). A form sent back with errors
        is rendered afresh."""
        return not self.is_bound and not self.initial


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "data-markdown-editor": ""}),
        help_text=_("Markdown for *emphasis*, **strong**, [links](https://example.com) and `code`."),
    )
