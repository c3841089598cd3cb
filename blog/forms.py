"""Forms for writing posts and comments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from blog.markdown import render_markdown
from blog.models import COMMENT_BODY_MAX_LENGTH, POST_BODY_MAX_LENGTH, Post

MAX_ID = 10**18 - 1  # as the URLs' ids: larger ones would overflow the database's integers


def submitted_preview(request):
    """The body of a form sent with its Preview button (no JavaScript), rendered as it would be
    published; None for any other request."""
    if request.method != "POST" or "preview" not in request.POST:
        return None
    return render_markdown(request.POST.get("body", "")[:POST_BODY_MAX_LENGTH])


class PostForm(forms.ModelForm):
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


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "data-markdown-editor": ""}),
        help_text=_("Markdown for *emphasis*, **strong**, [links](https://example.com) and `code`."),
    )
