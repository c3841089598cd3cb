"""Lists of posts as pages show them: the one helper every list of posts goes through.

``post_page(request, posts)`` applies the one visibility rule (``Post.objects.visible_to``), fetches what a
list shows (``for_list``: author, a talk's details, the comment count; ``flag_muted_words``: whether the
post contains a word the viewer muted, which the list folds behind "Show anyway"), cuts one page without
counting, and decorates each post for the viewer. Home (All and Followed), profiles and the other lists use
it; a list that finds its posts another way (search ranks them in SQL of its own) still reads them through
``visible_to`` and ``decorate``.

The page's rows are read by ``listed_posts`` with SQL compiled once per process (blog.prepared), their
pictures only for the posts that have some: a logged-in home page took 29.0 ms of CPU before, 20.7 ms after
(bench/profile_api.py, 100,000 posts, three runs each, interleaved), a visitor's rendered one 20.1 then
13.7 ms. When the list of the page's keys was drawn for a reader of the same kind under the current page
generation, it comes whole from the cache and no row is read (blog.composed): the reader's likes,
bookmarks and own posts are filled into it.
"""

from django.conf import settings
from django.db import connections, router
from django.db.models import prefetch_related_objects
from django.utils.translation import get_language

from accounts.roles import FOLLOW
from blog import cards, composed, prepared, translation
from blog.models import Bookmark, Like, Post, PostPicture, may_mute_words
from flasky_project.pagination import window


def post_page(request, posts, *, per_page=None, order_by=None, by_author=False):
    """The requested page of ``posts`` (a Post queryset) that the viewer may see, newest first (or in
    ``order_by``'s order, e.g. newest bookmarked first), decorated; a Window, never counted (bad page numbers
    are a 404). ``by_author``: ``posts`` are a few authors' (see post_visibility)."""
    per_page = per_page or settings.FLASKY_POSTS_PER_PAGE
    viewer = request.user
    keys = posts.visible_to(viewer, by_author=by_author)
    if order_by:
        keys = keys.order_by(*order_by)
    elif not keys.query.order_by:
        keys = keys.newest_first()

    # The rule chose the keys a moment ago: the rows need not ask it again (building and compiling it was
    # a large share of the page's CPU), only what a list shows of each; or, when the list of those keys
    # was composed for readers of the viewer's kind under the current generation, nothing (blog.composed).
    lookup = composed.Lookup(viewer, lambda ids: listed_posts(ids, viewer))
    page = window(request, keys, per_page, rows=lookup.rows)
    page.object_list = lookup.page_posts(page.object_list)
    if lookup.composed is not None:
        mark_own(page.object_list, viewer)
        mark_likes_and_bookmarks(page.object_list, viewer)
    else:
        decorate(page.object_list, viewer)
    return page


def _rows_queryset(keys, viewer):
    """What a list shows of the posts with ``keys`` (Post.objects.for_list's columns and counts, and the
    viewer's muted words), with whether each has pictures instead of their prefetch (see listed_posts)."""
    return Post.objects.filter(pk__in=keys).listed().flag_pictures().flag_muted_words(viewer)


def _viewer_shape(viewer):
    # The rows' SQL names the viewer only in its muted words' EXISTS; for everyone else (visitors, and
    # most readers, whose facts say they mute no word) it is a visitor's.
    return prepared.READER if may_mute_words(viewer) else prepared.VISITOR


_rows = prepared.PreparedRows(_rows_queryset, _viewer_shape)


def listed_posts(keys, viewer):
    """The posts with ``keys`` as a list shows them to ``viewer``, in no particular order: what
    ``Post.objects.filter(pk__in=keys).for_list().flag_muted_words(viewer)`` reads, through SQL compiled
    once per process for each number of keys (blog.prepared; building and compiling the ORM's query was
    about a third of a logged-in home page's CPU), and each post's pictures where Django's prefetch puts
    them (``post.pictures.all()`` reads no query), read in one query only when some post has any: most
    pages cost one query fewer."""
    if not keys:
        return []
    # (The database the ORM would read these rows from: a replica, or the primary after a write.)
    posts = _rows.instances(list(keys), viewer, Post.objects.db)
    with_pictures = [post for post in posts if post.has_pictures]
    if with_pictures:
        prefetch_related_objects(with_pictures, "pictures")
    # The posts without pictures share one empty result, as a prefetch that found none would give each;
    # anything built on it (a filter, a count) is empty too, without a query.
    none = PostPicture.objects.none()
    none._result_cache, none._prefetch_done = [], True
    cache_name = PostPicture._meta.get_field("post").remote_field.cache_name
    for post in posts:
        if not post.has_pictures:
            post._prefetched_objects_cache = {cache_name: none}
    return posts


def decorate(posts, user):
    """Ready listed posts for display by ``user``: whether they may edit each (and whether only as an
    administrator), and whether to offer a translation into the reader's language. Returns the posts as a
    list."""
    posts = list(posts)
    language = get_language()
    mark_own(posts, user)
    for post in posts:
        post.viewer_can_edit = post.can_edit(user)
        post.viewer_can_translate = translation.can_translate(post, language)
    mark_likes_and_bookmarks(posts, user)
    return posts


def mark_own(posts, user):
    """Set ``viewer_is_author`` on each of the listed posts. Returns the posts."""
    for post in posts:
        post.viewer_is_author = user.is_authenticated and post.author_id == user.pk
    return posts


def mark_likes_and_bookmarks(posts, user, marked=None):
    """Set ``viewer_liked`` and ``viewer_bookmarked`` on each of the listed posts: one query for the whole
    list (the viewer's likes and bookmarks among its posts, as one UNION), none for visitors, or none when
    ``marked`` gives them ((liked ids, bookmarked ids), as marked() returns). Returns the posts."""
    liked, bookmarked = marked if marked is not None else marked_by(user, [post.pk for post in posts])
    can_like = user.has_perm(FOLLOW)
    for post in posts:
        post.viewer_liked = post.pk in liked
        post.viewer_bookmarked = post.pk in bookmarked
        post.viewer_can_like = can_like
        post.viewer_can_bookmark = user.is_authenticated
    return posts


def marked_by(user, ids):
    """The ids among the posts ``ids`` that ``user`` likes, and those they bookmarked (frozensets): one
    query, none for a visitor."""
    liked, bookmarked = set(), set()
    if user.is_authenticated and ids:
        for post_id, kind in _likes_and_bookmarks(user.pk, ids):
            (liked if kind == "like" else bookmarked).add(post_id)
    return frozenset(liked), frozenset(bookmarked)


def _likes_and_bookmarks(user_id, post_ids):
    """(post id, "like" or "bookmark") for each of ``user_id``'s likes and bookmarks among ``post_ids``:
    one UNION on the likes' (post, user) and the bookmarks' (user, post) unique indexes. Written out rather
    than built with the ORM on each request (two querysets, a union and their compilation cost more than
    the query's run); the table and column names come from the models."""
    connection = connections[router.db_for_read(Like)]
    name = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(post_ids))
    parts = []
    for model, kind in ((Like, "like"), (Bookmark, "bookmark")):
        options = model._meta
        user_column = name(options.get_field("user").column)
        post_column = name(options.get_field("post").column)
        parts.append(
            f"SELECT {post_column}, '{kind}' FROM {name(options.db_table)} "  # noqa: S608 - the models' names
            f"WHERE {user_column} = %s AND {post_column} IN ({marks})"
        )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), [user_id, *post_ids, user_id, *post_ids])
        return cursor.fetchall()


def fill_kept_list(request, data, csrf_token, memo):
    """A list of posts kept composed in a page kept for readers of its kind (flasky_project.shells), drawn
    for the request's reader: their likes and bookmarks and their own posts fill its slots. The likes and
    bookmarks are one query, kept in the reader's ``memo`` (under the page generation, which every like
    renews, and the marks', which every bookmark renews: blog.marks) for their next request."""
    kept, pairs, next_url = data
    viewer = request.user
    posts = [composed.ListedPost(pk, author_id) for pk, author_id in pairs]
    mark_own(posts, viewer)
    ids = tuple(pk for pk, _author_id in pairs)
    if memo.kept is not None and memo.kept[0] == ids:
        marked = memo.kept[1:]
    else:
        marked = marked_by(viewer, ids)
        memo.keep((ids, *marked))
    mark_likes_and_bookmarks(posts, viewer, marked)
    return cards.fill(kept, posts, next_url=next_url, csrf_token=csrf_token)
