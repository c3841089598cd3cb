"""The API's URLs: Flasky's /api/v1, our additions beside them, the schema and its documentation page.

Each path answers with or without its trailing slash, without a redirect (a redirect would turn a
client's POST into a GET): Flask answered /api/v1/posts with a redirect, and Flasky's clients cannot be
expected to follow it. Links in responses use Flasky's spelling (see api/links.py)."""

from django.urls import re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.views import comments, notifications, posts, relations, reports, search, tags, talks, tokens, users

app_name = "api"

ID = r"(?P<pk>[0-9]{1,18})"  # at most 18 digits: larger ids would overflow the database's integers


def collection(route, view, name, **initkwargs):
    """A path that Flasky spells with a trailing slash (``route`` + "/"); it also answers without it."""
    return re_path(rf"^{route}/?$", view.as_view(**initkwargs), name=name)


def resource(route, view, name):
    """A path that Flasky spells without a trailing slash; it also answers with one."""
    return re_path(rf"^{route}(?:/)?$", view.as_view(), name=name)


urlpatterns = [
    collection("v1/posts", posts.PostList, "posts"),
    resource(f"v1/posts/{ID}", posts.PostDetail, "post"),
    collection(f"v1/posts/{ID}/comments", comments.PostComments, "post_comments"),
    resource(f"v1/posts/{ID}/like", posts.PostLike, "post_like"),
    resource(f"v1/posts/{ID}/bookmark", posts.PostBookmark, "post_bookmark"),
    collection("v1/bookmarks", posts.BookmarkList, "bookmarks"),
    collection("v1/users", users.UserList, "users"),
    resource(f"v1/users/{ID}", users.UserDetail, "user"),
    collection(f"v1/users/{ID}/posts", users.UserPosts, "user_posts"),
    collection(f"v1/users/{ID}/timeline", users.UserTimeline, "user_timeline"),
    collection(f"v1/users/{ID}/followers", users.UserFollowers, "user_followers"),
    collection(f"v1/users/{ID}/following", users.UserFollowing, "user_following"),
    resource(f"v1/users/{ID}/follow", users.UserFollow, "user_follow"),
    resource(f"v1/users/{ID}/block", relations.UserBlock, "user_block"),
    resource(f"v1/users/{ID}/mute", relations.UserMute, "user_mute"),
    collection("v1/blocks", relations.BlockList, "blocks"),
    collection("v1/mutes", relations.MuteList, "mutes"),
    collection("v1/comments", comments.CommentList, "comments"),
    resource(f"v1/comments/{ID}", comments.CommentDetail, "comment"),
    resource(f"v1/comments/{ID}/disable", comments.DisableComment, "comment_disable"),
    resource(f"v1/comments/{ID}/enable", comments.EnableComment, "comment_enable"),
    resource(f"v1/comments/{ID}/approve", comments.ApproveComment, "comment_approve"),
    collection("v1/talks", talks.TalkList, "talks"),
    resource(f"v1/talks/{ID}", talks.TalkDetail, "talk"),
    collection(r"v1/tags/(?P<name>[^/]{1,200})/posts", tags.TagPosts, "tag_posts"),
    collection("v1/tokens", tokens.TokenView, "tokens"),
    collection("v1/notifications", notifications.NotificationList, "notifications"),
    resource("v1/notifications/read", notifications.MarkNotificationsRead, "notifications_read"),
    collection("v1/search", search.Search, "search"),
    collection("v1/reports", reports.ReportList, "reports"),
    collection("schema", SpectacularAPIView, "schema"),
    collection(
        "docs",
        SpectacularSwaggerSplitView,
        "docs",
        url_name="api:schema",
        template_name="api/swagger_ui.html",
    ),
]
