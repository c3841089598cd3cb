"""A page's comments as HTML, each comment rendered once for every kind of reader (blog/_comments.html).

A comment's ``<li>`` holds its shared card (blog.cards) and the actions the reader is offered: Like, pressed
or not, Edit, Delete, Reply, Report, and Disable, Enable or Approve for those who moderate. Those depend on
the reader only through a few flags (what they may do to this comment, whether they liked it) and on the
page (where the forms come back to, where a reply is sent), so the whole ``<li>`` is cached under a digest of
the comment's card key and those flags: the members who may like and reply to a comment but not edit it all
read the same HTML, and a page of comments costs one ``cache.get_many`` and a join, with no template rendered
per comment (the templates render only the misses, as before).

The only thing of one reader in the HTML is the CSRF token of the forms: a fragment is rendered with a
placeholder token, and the reader's own is put in its place as the page is served, so it is never cached.
Whatever changes a comment's ``<li>`` changes its key: an edit, approval, disabling, deletion, a like or a
renamed author changes the card's key; a like by the reader, their new role or the post becoming theirs
changes the flags; the language and the templates are part of the key. There is nothing to invalidate.
"""

from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from blog import cards
from blog.models import Comment, Like, Moderation
from flasky_project import shells

COMMENT_TEMPLATE = "blog/_comment.html"
MODERATION_TEMPLATE = "blog/_comment_moderation.html"
# Where a comment's replies go in its <li>: the fragment is stored split there.
REPLIES = "<!--comment-replies-->"
# The token a fragment's forms are rendered with, replaced as a whole <input> by the reader's own when the
# page is served. Every text a writer chose is escaped in a fragment, so none can hold this tag.
PLACEHOLDER = "csrf-token-of-the-reader"
PLACEHOLDER_INPUT = f'<input type="hidden" name="csrfmiddlewaretoken" value="{PLACEHOLDER}">'


def comment_items(
    comments,
    *,
    csrf_input,
    can_moderate=False,
    show_post=False,
    show_guest_emails=False,
    moderation_partial="",
    actions=False,
    can_reply=False,
    action="",
    next="",  # noqa: A002 - the templates' name for where a form comes back to
):
    """The ``<li>`` of each of ``comments`` with its replies (``thread_replies``) inside it, as one safe
    string ("" for none). ``csrf_input`` is the reader's ``{% csrf_token %}``; the other arguments are
    blog/_comments.html's (see there). The comments carry their reader's flags (blog.comments._prepare)."""
    comments = list(comments)
    listed = [*comments, *(reply for comment in comments for reply in _replies(comment))]
    if not listed:
        return ""
    card_flags = {
        "show_post": bool(show_post),
        "show_hidden": bool(can_moderate),
        "show_guest_emails": bool(show_guest_emails),
    }
    version = (cards._templates_digest(), get_language())
    card_keys = [f"card:comment:{cards._comment_digest(comment, version, card_flags)}" for comment in listed]
    partial = moderation_partial or MODERATION_TEMPLATE
    page = (
        _templates_digest(partial),
        partial,
        bool(can_moderate),
        bool(actions),
        bool(can_reply),
        action,
        next,
    )
    # The page's part of the key is one digest for all its comments; each comment's is its card's key and
    # its reader's flags as digits (digesting them again for each comment was a fifth of this function).
    page_key = cards._digest(page)
    keys = [
        f"card:thread:{page_key}:{card_key[len('card:comment:') :]}:{_flags_text(comment)}"
        for card_key, comment in zip(card_keys, listed, strict=True)
    ]
    found = cache.get_many(keys)
    missing = [number for number, key in enumerate(keys) if key not in found]
    if missing:
        comments_missed = [listed[number] for number in missing]
        cards.attach_comment_cards(comments_missed, [card_keys[number] for number in missing], card_flags)
        context = {
            "can_moderate": can_moderate,
            "next": next,
            "csrf_token": PLACEHOLDER,
            "moderation_partial": moderation_partial,
            "actions": actions,
            "can_reply": can_reply,
            "action": action,
            "icons": cards.icons_url(),
            "replies": mark_safe(REPLIES),  # noqa: S308 - our own marker
        }
        template = get_template(COMMENT_TEMPLATE)
        rendered = {}
        for number, comment in zip(missing, comments_missed, strict=True):
            has_replies = bool(_replies(comment))
            html = template.render({**context, "comment": comment, "has_replies": has_replies})
            # Split from the end: the replies' place is after the comment's text, which could hold the marker.
            head, tail = html.rsplit(REPLIES, 1) if has_replies else (html, "")
            found[keys[number]] = rendered[keys[number]] = (head, tail)
        cache.set_many(rendered, timeout=settings.FLASKY_CARD_CACHE_SECONDS)
    by_comment = {id(comment): found[key] for comment, key in zip(listed, keys, strict=True)}
    parts = []
    for comment in comments:
        head, tail = by_comment[id(comment)]
        parts.append(head)
        parts.extend("".join(by_comment[id(reply)]) for reply in _replies(comment))
        parts.append(tail)
    # The reader's token in every form (the fragments are our own templates' output, escaped as always).
    joined = "".join(parts)
    html = mark_safe(joined.replace(PLACEHOLDER_INPUT, csrf_input))  # noqa: S308
    if actions and shells.keeping():
        # A post's page kept for every reader of its kind (flasky_project.shells): each reader's flags are
        # worked out from what is kept of each comment, their fragments read again (fill_kept_comments),
        # unless they are the drawer's (most readers like and wrote none of a page's comments): then the
        # comments as drawn.
        kept = (*_kept(comments, listed, card_keys, page_key), keys, joined)
        return shells.keep_slot("comments", kept, html)
    return html


def _kept(comments, listed, card_keys, page_key):
    """What fill_kept_comments needs of a page's comments: for each listed comment (in ``listed``'s order)
    its card's key, id, author and whether it is deleted, and whether it has replies; each top-level
    comment's place and its replies' places; the flags the reader's kind shares (may like, moderates)."""
    position = {id(comment): number for number, comment in enumerate(listed)}
    items = [
        (
            card_key[len("card:comment:") :],
            comment.pk,
            comment.author_id,
            comment.deleted,
            bool(_replies(comment)),
        )
        for card_key, comment in zip(card_keys, listed, strict=True)
    ]
    threads = [
        (position[id(comment)], [position[id(reply)] for reply in _replies(comment)]) for comment in comments
    ]
    first = listed[0]
    # (the kind's: the same for every comment of the page, and for every reader shown this page)
    shared = (getattr(first, "viewer_can_like", False), getattr(first, "viewer_moderates", False))
    return (page_key, first.post_id, items, threads, shared)


def fill_kept_comments(request, data, csrf_token, memo):
    """A kept page's comments (``data``: _kept's) for the request's reader: their likes among them and
    whether they wrote a comment on the post that others do not see (one query, kept in the reader's
    ``memo`` under the page generation, which every like and comment renews; such a comment makes the page
    theirs alone: shells.Redraw), their flags worked out as blog.comments._prepare works them out, and
    each comment's fragment read under them (one multi-get; one missing: shells.Redraw)."""
    page_key, post_id, items, threads, (can_like, moderates), drawn_keys, drawn = data
    reader = request.user.pk
    ids = tuple(pk for _card, pk, *_rest in items)
    if memo.kept is not None and memo.kept[0] == ids:
        _ids, liked, withheld = memo.kept
    else:
        liked, withheld = _marks(reader, post_id, ids)
        memo.keep((ids, frozenset(liked), withheld))
    if withheld:
        raise shells.Redraw
    keys = []
    for card, pk, author_id, deleted, has_replies in items:
        own = author_id == reader
        flags = (can_like, pk in liked, own and not deleted, own or moderates, has_replies)
        keys.append(f"card:thread:{page_key}:{card}:{_digits(flags)}")
    csrf_input = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
    if keys == drawn_keys:  # (the drawer's flags: the comments as drawn)
        return mark_safe(drawn.replace(PLACEHOLDER_INPUT, csrf_input))  # noqa: S308 - as comment_items
    found = cache.get_many(keys)
    if len(found) != len(keys):
        raise shells.Redraw
    parts = []
    for top, replies in threads:
        head, tail = found[keys[top]]
        parts.append(head)
        parts.extend("".join(found[keys[reply]]) for reply in replies)
        parts.append(tail)
    return mark_safe("".join(parts).replace(PLACEHOLDER_INPUT, csrf_input))  # noqa: S308 - as comment_items


def fill_post_guard(request, post_id, csrf_token, memo):
    """A kept post's page whose drawer saw no comments (no comments' slot): nothing, unless the reader wrote
    a comment on it that others do not see (shells.Redraw: the page is theirs alone). The answer is kept
    in the reader's ``memo`` (under the page generation, which every comment renews)."""
    withheld = memo.kept if memo.kept is not None else wrote_withheld(request.user.pk, post_id)
    memo.keep(withheld)
    if withheld:
        raise shells.Redraw
    return ""


def wrote_withheld(reader, post_id):
    """Whether ``reader`` wrote a comment on the post that is held, hidden or waiting (seen by them alone)."""
    return _marks(reader, post_id, [])[1]


def _marks(reader, post_id, comment_ids):
    """The ids of ``comment_ids`` that ``reader`` liked, and whether they wrote a comment on the post that is
    held, hidden or waiting (seen by them alone): one query on the likes' (comment, user) and the comments'
    author indexes; the table and column names come from the models."""
    connection = connections[router.db_for_read(Like)]
    name = connection.ops.quote_name
    like = {field: name(Like._meta.get_field(field).column) for field in ("comment", "user")}
    comment = {
        field: name(Comment._meta.get_field(field).column) for field in ("post", "author", "moderation")
    }
    approved = name(Comment._meta.get_field("approved").column)
    marks = ", ".join(["%s"] * len(comment_ids))
    withheld = (
        f"SELECT -1 FROM {name(Comment._meta.db_table)} WHERE {comment['post']} = %s"  # noqa: S608
        f" AND {comment['author']} = %s AND ({comment['moderation']} <> %s OR {approved} = %s)"
    )
    params = [post_id, reader, Moderation.SHOWN, False]
    sql = withheld
    if comment_ids:  # (an empty IN is not SQL on PostgreSQL)
        sql = (
            f"SELECT {like['comment']} FROM {name(Like._meta.db_table)}"  # noqa: S608 - the models' names
            f" WHERE {like['user']} = %s AND {like['comment']} IN ({marks}) UNION ALL {withheld}"
        )
        params = [reader, *comment_ids, *params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [row[0] for row in cursor.fetchall()]
    return {pk for pk in rows if pk != -1}, -1 in rows


def _replies(comment):
    return getattr(comment, "thread_replies", None) or ()


def _reader_flags(comment):
    """What the reader may do to ``comment`` (blog.comments._prepare; none on the moderation queues), and
    whether its <li> has replies inside."""
    return (
        getattr(comment, "viewer_can_like", False),
        getattr(comment, "viewer_liked", False),
        getattr(comment, "viewer_can_edit", False),
        getattr(comment, "viewer_can_delete", False),
        bool(_replies(comment)),
    )


def _flags_text(comment):
    return _digits(_reader_flags(comment))


def _digits(flags):
    return "".join("1" if flag else "0" for flag in flags)


def _templates_digest(partial):
    """The sources of the templates that draw a comment's <li> (with ``partial`` for its moderation
    buttons), with the cards' own digest: once a process (each time in DEBUG, as blog.cards does)."""
    if settings.DEBUG:
        return _compute_templates_digest(partial)
    return _cached_templates_digest(partial)


def _compute_templates_digest(partial):
    names = (COMMENT_TEMPLATE, MODERATION_TEMPLATE, partial)
    return cards._digest([cards._templates_digest(), *(get_template(name).template.source for name in names)])


@memoize
def _cached_templates_digest(partial):
    return _compute_templates_digest(partial)
