"""The JSON shapes of the API: Flasky's keys (seed §8.3) first, a few of ours after them.

Output serializers are read-only; the input ones accept only the fields a client may set (a resource's
read-only keys are ignored, so a client may send back what it got; any other key is a 400 naming it).
Help texts are the schema's documentation for developers, in English like its summaries: not translated."""

import datetime
from collections.abc import Mapping

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from api import links
from api.pictures import PictureUploadFields
from blog.forms import MAX_ID
from blog.listing import mark_likes_and_bookmarks
from blog.models import COMMENT_BODY_MAX_LENGTH, POST_BODY_MAX_LENGTH, POST_TITLE_MAX_LENGTH, Post
from moderation.forms import NOTE_MAX_LENGTH
from moderation.models import Kind, Reason
from social.services import MUTE_MAX_DAYS
from talks.models import Talk
from talks.services import clean_talk_title


@extend_schema_field({"type": "string", "format": "uri-reference"})
class Link(serializers.Field):
    """The path of a related API resource, from an id on the object (``None`` stays ``null``)."""

    def __init__(self, name, *, attr="pk", collection=False, **kwargs):
        self.name, self.attr, self.is_collection = name, attr, collection
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        pk = getattr(value, self.attr)
        if pk is None:
            return None
        return (links.collection if self.is_collection else links.resource)(self.name, pk)


class Timestamp(serializers.DateTimeField):
    """ISO 8601 in UTC ("2026-05-04T12:30:00.123456Z"), whatever time zone the request runs in."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, default_timezone=datetime.UTC, **kwargs)


class UserSerializer(serializers.Serializer):
    url = Link("user")
    username = serializers.CharField(read_only=True)
    member_since = Timestamp()
    last_seen = Timestamp()
    posts_url = Link("user_posts", collection=True)
    followed_posts_url = Link("user_timeline", collection=True)
    post_count = serializers.IntegerField(read_only=True, help_text="How many posts the user wrote.")
    followers_url = Link("user_followers", collection=True)
    following_url = Link("user_following", collection=True)


def talk_of(post):
    """The post's talk details, or None for a plain post: Post.kind says which without a query, and lists
    bring the details with the posts (Post.objects.for_list)."""
    if not post.is_talk:
        return None
    try:
        return post.talk
    except ObjectDoesNotExist:  # a post marked a talk whose details were deleted by hand: a plain post
        return None


class TalkDetailsSerializer(serializers.Serializer):
    url = Link("talk", help_text="The talk in the API (edit it there).")
    page_url = serializers.CharField(
        source="get_absolute_url", read_only=True, help_text="The talk's page on the site (a path)."
    )
    date = Timestamp(help_text="When the talk starts (UTC).")
    venue = serializers.CharField(read_only=True)
    venue_url = serializers.CharField(read_only=True, help_text="Empty when not given.")
    slides_url = serializers.CharField(read_only=True, help_text="Empty when not given.")
    video_url = serializers.CharField(read_only=True, help_text="Empty when not given.")

    def get_attribute(self, instance):
        return talk_of(instance)


class PostListSerializer(serializers.ListSerializer):
    """A page of posts: the caller's likes and bookmarks among them come in one query for the page, and their
    pictures in one more unless the list prefetched them (Post.objects.for_list; a list of talks does not)."""

    def to_representation(self, data):
        posts = list(data.all() if hasattr(data, "all") else data)
        mark_likes_and_bookmarks(posts, self.context["request"].user)
        prefetch_related_objects(posts, "pictures")
        return super().to_representation(posts)


class PictureSerializer(serializers.Serializer):
    url = serializers.SerializerMethodField(help_text="The picture, at most 2,048 pixels on its longer side.")
    thumbnail_url = serializers.SerializerMethodField(help_text="A thumbnail of at most 400 pixels.")
    alt = serializers.CharField(read_only=True, help_text="What the picture shows (alt text).")
    width = serializers.IntegerField(read_only=True)
    height = serializers.IntegerField(read_only=True)

    def _absolute(self, url):
        return self.context["request"].build_absolute_uri(url)  # an object store's URL stays as it is

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, picture):
        return self._absolute(picture.url)

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_thumbnail_url(self, picture):
        return self._absolute(picture.thumbnail_url)


class PostSerializer(serializers.Serializer):
    url = Link("post")
    body = serializers.CharField(read_only=True, help_text="Markdown, as written.")
    body_html = serializers.CharField(read_only=True, help_text="Sanitised HTML rendered from the body.")
    timestamp = Timestamp(source="created")
    author_url = Link("user", attr="author_id")
    comments_url = Link("post_comments", collection=True)
    comment_count = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True, help_text="Optional; empty for most posts.")
    talk = TalkDetailsSerializer(
        source="*", read_only=True, allow_null=True, help_text="The talk's details; null for a plain post."
    )
    like_count = serializers.IntegerField(read_only=True, help_text="How many people like the post.")
    liked = serializers.BooleanField(source="viewer_liked", read_only=True, help_text="You like the post.")
    bookmarked = serializers.BooleanField(
        source="viewer_bookmarked", read_only=True, help_text="You bookmarked the post (only you see it)."
    )
    pictures = PictureSerializer(
        source="pictures.all",
        many=True,
        read_only=True,
        help_text="The post's pictures, in order (sent as multipart/form-data: see createPost).",
    )

    class Meta:
        list_serializer_class = PostListSerializer

    def to_representation(self, instance):
        if not hasattr(instance, "viewer_liked"):  # one post, not a page: its own query
            mark_likes_and_bookmarks([instance], self.context["request"].user)
        return super().to_representation(instance)


class CommentSerializer(serializers.Serializer):
    url = Link("comment")
    post_url = Link("post", attr="post_id")
    body = serializers.CharField(read_only=True, help_text="Empty when disabled, except for moderators.")
    body_html = serializers.CharField(read_only=True, help_text="Empty when disabled, as body.")
    timestamp = Timestamp(source="created")
    author_url = Link("user", attr="author_id", allow_null=True, help_text="null for guests' comments.")
    disabled = serializers.BooleanField(read_only=True, help_text="Hidden by a moderator.")
    disabled_notice = serializers.CharField(
        read_only=True, allow_null=True, help_text="What the site shows for a disabled comment; null if not."
    )
    in_reply_to = Link(
        "comment",
        attr="in_reply_to_id",
        allow_null=True,
        help_text="The thread's top comment this one answers; null for a comment on the post.",
    )
    edited = Timestamp(allow_null=True, help_text="When its author last edited it; null if never.")
    deleted = serializers.BooleanField(
        read_only=True, help_text="Deleted by its author or a moderator, kept for its replies (no text)."
    )

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # As on the site: a disabled comment's text is for those who may moderate it.
        if instance.hides_text_from(self.context["request"].user):
            data["body"] = data["body_html"] = ""
        return data


class FollowerSerializer(serializers.Serializer):
    user = UserSerializer(source="follower", read_only=True)
    timestamp = Timestamp(source="created", help_text="Since when.")


class FollowingSerializer(serializers.Serializer):
    user = UserSerializer(source="followed", read_only=True)
    timestamp = Timestamp(source="created", help_text="Since when.")


class RelationshipSerializer(serializers.Serializer):
    user_url = serializers.CharField(read_only=True)
    following = serializers.BooleanField(read_only=True, help_text="You follow this user.")
    follows_you = serializers.BooleanField(read_only=True)
    followers_count = serializers.IntegerField(read_only=True)
    following_count = serializers.IntegerField(read_only=True)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
    expiration = serializers.IntegerField(read_only=True, help_text="Seconds the token is valid for.")


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField(read_only=True, help_text='The status, e.g. "not found".')
    message = serializers.CharField(read_only=True)


def _page(name, key, item):
    fields = {
        key: item(many=True, read_only=True),
        "prev": serializers.CharField(read_only=True, allow_null=True, help_text="The previous page."),
        "next": serializers.CharField(read_only=True, allow_null=True, help_text="The next page."),
        "count": serializers.IntegerField(read_only=True, help_text="Items in the whole list."),
    }
    return type(name, (serializers.Serializer,), fields)


PostPageSerializer = _page("PostPageSerializer", "posts", PostSerializer)
TalkPageSerializer = _page("TalkPageSerializer", "talks", PostSerializer)
CommentPageSerializer = _page("CommentPageSerializer", "comments", CommentSerializer)
FollowerPageSerializer = _page("FollowerPageSerializer", "followers", FollowerSerializer)
FollowingPageSerializer = _page("FollowingPageSerializer", "following", FollowingSerializer)


# --- input ------------------------------------------------------------------------------------------------


NON_FIELD_ERRORS = api_settings.NON_FIELD_ERRORS_KEY


# Rejects unknown keys, and answers a missing or empty body with Flasky's message. (A comment: drf-spectacular
# would publish a docstring here as the description of every input in the schema.)
class InputSerializer(serializers.Serializer):
    resource = None  # the output serializer: its keys are accepted and ignored
    no_body = None

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields) - set(self.resource().fields))
            if unknown:
                message = _("Unknown field: %(fields)s.") % {"fields": ", ".join(map(str, unknown))}
                raise serializers.ValidationError({NON_FIELD_ERRORS: [message]}, code="unknown")
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            body_errors = error.detail.get("body", []) if isinstance(error.detail, dict) else []
            if any(detail.code in ("required", "null", "blank") for detail in body_errors):
                raise serializers.ValidationError({NON_FIELD_ERRORS: [self.no_body]}, code="blank") from error
            raise

    def validate_body(self, value):
        if not value.strip():
            raise serializers.ValidationError(self.no_body, code="blank")
        return value


class PostInputSerializer(PictureUploadFields, InputSerializer):
    """A post as a client writes it: JSON, or multipart/form-data with its pictures."""

    resource = PostSerializer
    no_body = _("post does not have a body")

    body = serializers.CharField(
        max_length=POST_BODY_MAX_LENGTH, trim_whitespace=False, help_text="Markdown."
    )
    title = serializers.CharField(
        max_length=Post._meta.get_field("title").max_length, allow_blank=True, required=False
    )


def checked_by_model(name):
    """The validators of the Talk model's field ``name``, run on the API's value: the API accepts what the
    model's field accepts (date bounds, http(s) addresses only), whatever validators the field gains."""
    return Talk._meta.get_field(name).run_validators


def _talk_url(name, help_text):
    return serializers.CharField(
        max_length=Talk._meta.get_field(name).max_length,
        allow_blank=True,
        required=False,
        validators=[checked_by_model(name)],
        help_text=help_text,
    )


class TalkInputSerializer(InputSerializer):
    """A talk as a client writes it: its post (title, abstract) and its details."""

    resource = PostSerializer
    no_body = _("talk does not have a body")

    title = serializers.CharField(
        max_length=POST_TITLE_MAX_LENGTH, allow_blank=True, required=False, help_text="Required for a talk."
    )
    body = serializers.CharField(
        max_length=POST_BODY_MAX_LENGTH, trim_whitespace=False, help_text="The abstract, in Markdown."
    )
    date = serializers.DateTimeField(
        default_timezone=datetime.UTC,
        validators=[checked_by_model("date")],
        help_text="When the talk starts: ISO 8601, UTC unless it has an offset.",
    )
    venue = serializers.CharField(
        max_length=Talk._meta.get_field("venue").max_length, validators=[checked_by_model("venue")]
    )
    venue_url = _talk_url("venue_url", "http(s) address, or empty.")
    video_url = _talk_url("video_url", "http(s) address (YouTube and Vimeo are shown as players), or empty.")
    slides_url = _talk_url("slides_url", "http(s) address (Speaker Deck and SlideShare embeds), or empty.")

    def validate(self, attrs):
        if "title" in attrs or not self.partial:
            attrs["title"] = checked_talk_title(attrs.get("title", ""))
        return attrs


def checked_talk_title(title):
    """The talk-title rule (talks.services.clean_talk_title), as the API's 400 on "title"."""
    try:
        return clean_talk_title(title)
    except DjangoValidationError as error:
        raise serializers.ValidationError({"title": error.messages}) from error


class CommentInputSerializer(InputSerializer):
    """A comment as a client writes it."""

    resource = CommentSerializer
    no_body = _("comment does not have a body")

    body = serializers.CharField(
        max_length=COMMENT_BODY_MAX_LENGTH, trim_whitespace=False, help_text="Markdown (inline only)."
    )
    notify = serializers.BooleanField(
        default=False, help_text="Email me when others comment on this post later."
    )
    in_reply_to = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="The id of a comment on the same post to reply to (a reply to a reply joins its thread).",
    )

    def to_internal_value(self, data):
        # The comment's own JSON says "in_reply_to" as a URL: a client that sends it back means no change.
        if isinstance(data, Mapping) and isinstance(data.get("in_reply_to"), str):
            data = {key: value for key, value in data.items() if key != "in_reply_to"}
        return super().to_internal_value(data)


class CommentEditSerializer(InputSerializer):
    """A comment's new text, from its author."""

    resource = CommentSerializer
    no_body = _("comment does not have a body")

    body = serializers.CharField(
        max_length=COMMENT_BODY_MAX_LENGTH, trim_whitespace=False, help_text="Markdown (inline only)."
    )


# --- blocks and mutes -------------------------------------------------------------------------------------


class BlockStateSerializer(serializers.Serializer):
    user_url = serializers.CharField(read_only=True)
    blocking = serializers.BooleanField(read_only=True, help_text="You block this user.")


class MuteStateSerializer(serializers.Serializer):
    user_url = serializers.CharField(read_only=True)
    muting = serializers.BooleanField(read_only=True, help_text="You mute this user.")
    until = Timestamp(allow_null=True, help_text="When the mute ends; null: for good (or not muting).")


class BlockedSerializer(serializers.Serializer):
    user = UserSerializer(source="blocked", read_only=True)
    timestamp = Timestamp(source="created", help_text="Since when.")


class MutedSerializer(serializers.Serializer):
    user = UserSerializer(source="muted", read_only=True)
    timestamp = Timestamp(source="created", help_text="Since when.")
    until = Timestamp(allow_null=True, help_text="When the mute ends; null: for good.")


BlockedPageSerializer = _page("BlockedPageSerializer", "users", BlockedSerializer)
MutedPageSerializer = _page("MutedPageSerializer", "users", MutedSerializer)


class JSONIntegerField(serializers.IntegerField):
    """An integer written as a JSON number: "7", 7.0 and true are refused (DRF would take them)."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class MuteInputSerializer(InputSerializer):
    """How long to mute a user; no body (or no ``days``) mutes for good."""

    resource = MuteStateSerializer

    days = JSONIntegerField(
        min_value=1, max_value=MUTE_MAX_DAYS, required=False, help_text="Days, 1 to 3650; absent: for good."
    )


# --- reports ----------------------------------------------------------------------------------------------


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True, help_text="What is reported.")
    post_url = Link("post", attr="post_id", allow_null=True, help_text="The reported post; null if none.")
    comment_url = Link("comment", attr="comment_id", allow_null=True, help_text="The reported comment.")
    user_url = Link("user", attr="user_id", allow_null=True, help_text="The reported user.")
    reporter_url = Link("user", attr="reporter_id")
    reason = serializers.ChoiceField(choices=Reason.choices, read_only=True)
    message = serializers.CharField(read_only=True, help_text="Empty when not given.")
    timestamp = Timestamp(source="created")
    resolved = Timestamp(source="resolved_at", allow_null=True, help_text="null while the report is open.")
    action = serializers.CharField(read_only=True, help_text="How a moderator resolved it; empty while open.")


ReportPageSerializer = _page("ReportPageSerializer", "reports", ReportSerializer)


class ReportInputSerializer(InputSerializer):
    """A report as a client files it: one of post, comment or user (an id), a reason, an optional message."""

    resource = ReportSerializer
    no_body = _("Name the post, comment or user to report.")

    post = serializers.IntegerField(required=False, min_value=1, max_value=10**18 - 1)
    comment = serializers.IntegerField(required=False, min_value=1, max_value=10**18 - 1)
    user = serializers.IntegerField(required=False, min_value=1, max_value=10**18 - 1)
    reason = serializers.ChoiceField(choices=Reason.choices)
    message = serializers.CharField(max_length=NOTE_MAX_LENGTH, allow_blank=True, required=False)

    def validate(self, attrs):
        named = [kind for kind in Kind.values if kind in attrs]
        if len(named) != 1:
            raise serializers.ValidationError(
                {NON_FIELD_ERRORS: [_("Name exactly one post, comment or user to report.")]}, code="target"
            )
        attrs["kind"], attrs["pk"] = named[0], attrs.pop(named[0])
        return attrs
