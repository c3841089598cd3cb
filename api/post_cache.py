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

from django.core.cache import cache
from django.urls import get_script_prefix

from api.serializers import PictureSerializer, PostSerializer
from blog.listing import mark_likes_and_bookmarks

# What PostSerializer adds per request, after the cached part (in this order: the last keys of its JSON).
PER_REQUEST = ("liked", "bookmarked", "pictures")
# Entries of posts that changed are never read again; they leave the cache after this.
TIMEOUT = 60 * 60
# Bump when PostSerializer shows something else from the same data (its field names are in the key too).
VERSION = 1
_SHAPE = f"{VERSION}:{','.join(PostSerializer().fields)}"


def serialized_posts(posts, request):
    """``PostSerializer(posts, many=True).data``, from the cache where it holds the posts as they are;
    the caller's likes and bookmarks among them in one query, the pictures as the list prefetched them."""
    posts = list(posts)
    keys = {post.pk: _key(post) for post in posts}  # (before the caller's flags are set on the posts)
    mark_likes_and_bookmarks(posts, request.user)
    stored = cache.get_many(list(keys.values())) if posts else {}
    fresh = {}
    context = {"request": request}
    for post in posts:
        if keys[post.pk] not in stored:
            data = PostSerializer(post, context=context).data
            fresh[keys[post.pk]] = {name: value for name, value in data.items() if name not in PER_REQUEST}
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
    pictures = list(post.pictures.all())
    data["pictures"] = PictureSerializer(pictures, many=True, context=context).data if pictures else []
    return data
