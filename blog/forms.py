"""Forms for writing posts and comments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from blog.models import COMMENT_BODY_MAX_LENGTH, Post


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
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Markdown for *emphasis*, **strong**, [links](https://example.com) and `code`."),
    )
    notify = forms.BooleanField(
        label=_("Email me when others comment on this post"), required=False, initial=True
    )
