"""Lists of posts in the API, serialized once: each post's JSON comes from the cache, keyed by a digest of
everything the list's query loaded for it, so an entry is always the post as it is now.

What PostSerializer shows of a post comes from the post's own columns, its annotations (comment and like
counts), its talk's columns and its pictures, and from the URL configuration. The key digests the first three
as loaded (any column, shown or not: an edit, a like, a comment, a moderator's change, a talk's new venue
each give a new key, and the old entry is never read again) and the script prefix; what depends on the caller
(``liked``, ``bookmarked``) and the pictures (their addresses may be signed for a while, on S3) are added
per request. Serializing a page of twenty posts with DRF took most of the list's time; a page from the
cache costs one multi-get.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.urls import get_script_prefix

from api.pagination import page_response
from api.serializers import PictureSerializer, PostSerializer
from blog.listing import mark_likes_and_bookmarks
from blog.models import Post, like_count, published_comment_count

# What PostSerializer adds per request, after the cached part (in this order: the last keys of its JSON).
PER_REQUEST = ("liked", "bookmarked", "pictures")
# Entries of posts that changed are never read again; they leave the cache after this.
TIMEOUT = 60 * 60
# Bump when PostSerializer shows something else from the same data (its field names are in the key too).
VERSION = 1
_SHAPE = f"{VERSION}:{','.join(PostSerializer().fields)}"


class _SharedPostSerializer(PostSerializer):
    """What every caller is shown of a post: PostSerializer without its per-request keys."""

    liked = bookmarked = pictures = None


def post_page_response(request, posts, *, path, count=None):
    """The requested page of ``posts`` (a Post queryset, ordered or newest first) that the caller may see, as
    Flasky's page of posts (see api.pagination.page_response).

    The page's keys are read through the visibility rule; its rows then by those keys alone, each with its
    counts, the caller's like and bookmark (EXISTS in the same query) and whether it has pictures, whose rows
    are fetched only for the posts that have some: two queries for most pages (the rows query of
    Post.objects.for_list, with the visibility rule's subqueries compiled a second time, a query for the
    caller's likes and bookmarks and one for the pictures cost more than the rest of the request)."""
    visible = posts.visible_to(request.user)
    if not visible.query.order_by:
        visible = visible.newest_first()

    def rows(keys):
        return (
            Post.objects.filter(pk__in=keys)
            .select_related("talk")
            .annotate(comment_count=published_comment_count(), like_count=like_count())
            .flag_viewer_marks(request.user)
            .flag_pictures()
        )

    return page_response(
        request,
        visible,
        serialized_posts,
        key="posts",
        per_page=settings.FLASKY_POSTS_PER_PAGE,
        path=path,
        count=count,
        rows=rows,
    )


def serialized_posts(posts, request):
    """``PostSerializer(posts, many=True).data``, from the cache where it holds the posts as they are;
    the caller's likes and bookmarks among them in one query, the pictures as the list prefetched them."""
    posts = list(posts)
    keys = {post.pk: _key(post) for post in posts}
    if posts and not hasattr(posts[0], "viewer_liked"):  # (not flagged by the rows' query: one more query)
        mark_likes_and_bookmarks(posts, request.user)
    if posts and hasattr(posts[0], "has_pictures"):
        prefetch_related_objects([post for post in posts if post.has_pictures], "pictures")
    stored = cache.get_many(list(keys.values())) if posts else {}
    fresh = {}
    context = {"request": request}
    for post in posts:
        if keys[post.pk] not in stored:
            fresh[keys[post.pk]] = dict(_SharedPostSerializer(post, context=context).data)
    if fresh:
        cache.set_many(fresh, TIMEOUT)
        stored.update(fresh)
    return [_with_caller_parts(stored[keys[post.pk]], post, context) for post in posts]


def _key(post):
    talk = post._state.fields_cache.get("talk")  # selected with the post (Post.objects.for_list), or None
    loaded = [_columns(post), _columns(talk) if talk is not None else None, get_script_prefix(), _SHAPE]
    digest = hashlib.blake2b(repr(loaded).encode(), digest_size=16).hexdigest()
    return f"api-post:{post.pk}:{digest}"


def _columns(instance):
    """The instance's loaded columns and annotations (not its caches, nor what a page set on it)."""
    return sorted(
        (name, value)
        for name, value in vars(instance).items()
        if not name.startswith("_") and not name.startswith("viewer_")
    )


def _with_caller_parts(shared, post, context):
    data = dict(shared)
    data["liked"] = post.viewer_liked
    data["bookmarked"] = post.viewer_bookmarked
    pictures = list(post.pictures.all()) if getattr(post, "has_pictures", True) else []
    data["pictures"] = PictureSerializer(pictures, many=True, context=context).data if pictures else []
    return data
