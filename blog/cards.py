"""Rendered once: the HTML of post cards and comments that every reader sees alike, kept in the cache.

Each fragment is keyed by a digest of everything it shows (the post's text and state, its counts, the
author's name and avatar, a talk's details, the pictures, the page's language, and the templates that draw
it), so any change that alters a card is a new key: there is no invalidation code to forget, and an edit, a
like, a comment or a rename shows on the next request. Old entries simply expire
(FLASKY_CARD_CACHE_SECONDS). A page of cards costs one ``cache.get_many`` and renders only the misses.

Nothing of the reader goes into a fragment but the language: times are ``<time datetime>`` in UTC that
site.js writes in the reader's zone and words; what differs per reader (the like and bookmark forms, Edit,
Report, Delete, Reply, the CSRF token, ``next``) is put beside the fragment from flags that blog.listing and
blog.comments set: for a list of posts in one pass in Python (``post_list``), for comments by their
templates. See docs/architecture.md, "Rendered once: cached cards".
"""

import hashlib
from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.templatetags.static import static
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from flasky_project import shells
from flasky_project.reversing import reverse_id

# Bump when Python code that draws a fragment changes (a template tag, a model's display method); changes
# to the templates themselves change the key on their own (see _templates_digest).
FORMAT = "1"
POST_TEMPLATE = "blog/_post_card.html"
COMMENT_TEMPLATE = "blog/_comment_card.html"
# Every template a fragment includes: their sources are part of every key.
TRANSLATE_TEMPLATE = "blog/_translate_form.html"
SEARCH_TEMPLATE = "blog/_search_result.html"
TEMPLATES = (POST_TEMPLATE, COMMENT_TEMPLATE, SEARCH_TEMPLATE, "talks/_post_talk.html", "blog/_pictures.html")
PART = "<!--card-part-->"
ICONS = "vendor/bootstrap-icons/icons.svg"  # the icons the templates use, cut from the 1.1 MB sprite


def _html(text):
    """A fragment read back from the cache: our own templates rendered it, escaping as they always do."""
    return mark_safe(text)  # noqa: S308 - rendered by blog/_post_card.html or blog/_comment_card.html


class PostCard:
    """A post's shared HTML, in the three places the list puts it, and the addresses of its per-reader
    actions (so that a cache hit reverses no URL)."""

    __slots__ = ("avatar", "content", "links", "like_url", "bookmark_url", "edit_url", "report_url")

    def __init__(self, avatar, content, links, like_url, bookmark_url, edit_url, report_url):
        self.avatar, self.content, self.links = _html(avatar), _html(content), _html(links)
        self.like_url, self.bookmark_url, self.edit_url, self.report_url = (
            like_url,
            bookmark_url,
            edit_url,
            report_url,
        )


def _from_cache(keys, items, render):
    """{key: HTML} for ``items`` (``keys``, one each): one multi-get, the misses drawn with ``render(item)``
    and stored in one multi-set."""
    found = cache.get_many(keys) if keys else {}
    missing = {key: render(item) for key, item in zip(keys, items, strict=True) if key not in found}
    if missing:
        cache.set_many(missing, timeout=settings.FLASKY_CARD_CACHE_SECONDS)
    return {**found, **missing}


def post_cards(posts):
    """[(post, PostCard)] for ``posts`` (from Post.objects.for_list()): one multi-get, the misses rendered
    and stored in one multi-set."""
    posts = list(posts)
    version = (_templates_digest(), get_language())
    keys = [f"card:post:{_post_digest(post, version)}" for post in posts]
    found = _from_cache(keys, posts, _render_post)
    return [(post, PostCard(*found[key])) for key, post in zip(keys, posts, strict=True)]


class CommentCard:
    """A comment's shared HTML (avatar, content, likes link) and the address of its like form."""

    __slots__ = ("avatar", "content", "links", "like_url")

    def __init__(self, avatar, content, links, like_url):
        self.avatar, self.content, self.links = _html(avatar), _html(content), _html(links)
        self.like_url = like_url


def attach_comment_cards(comments, keys, flags):
    """Set ``card`` (a CommentCard) on each of ``comments``, whose card keys are ``keys`` (built from
    _comment_digest by blog.threads); ``flags`` choose the variant (see blog/_comment_card.html)."""
    found = _from_cache(keys, comments, lambda comment: _render_comment(comment, flags))
    for key, comment in zip(keys, comments, strict=True):
        comment.card = CommentCard(*found[key])


def search_results(posts):
    """The <li>s of search results (posts from blog.search, with ``title_html`` and ``snippet``), each from
    the cache (one multi-get, the misses rendered and stored in one multi-set). The key holds the
    highlighted title and snippet, so another query's words are another fragment; the time is a UTC moment
    that site.js words for the reader, as on the cards."""
    posts = list(posts)
    version = (_templates_digest(), get_language())
    keys = [f"card:search:{_search_digest(post, version)}" for post in posts]
    found = _from_cache(
        keys, posts, lambda post: get_template(SEARCH_TEMPLATE).render({"post": post}).strip()
    )
    return _html("\n".join(found[key] for key in keys))


def icons_url():
    """The Bootstrap Icons sprite's address, for <svg><use href="{icons}#heart">."""
    return static(ICONS)


def _render_post(post):
    html = get_template(POST_TEMPLATE).render({"post": post, "icons": icons_url()})
    avatar, content, links = _parts(html)
    return (
        avatar,
        content,
        links,
        reverse_id("blog:like", post.pk),
        reverse_id("blog:bookmark", post.pk),
        post.get_edit_url(),
        reverse_id("moderation:report", post.pk, before=["post"]),
    )


def _render_comment(comment, flags):
    html = get_template(COMMENT_TEMPLATE).render({"comment": comment, "icons": icons_url(), **flags})
    avatar, content, links = _parts(html)
    return avatar, content, links, reverse_id("blog:like_comment", comment.pk)


def _comment_digest(comment, version, flags):
    author = comment.author
    parts = [
        *version,
        *flags.values(),
        comment.pk,
        comment.created.isoformat(),
        comment.edited.isoformat() if comment.edited else "",
        comment.deleted,
        comment.approved,
        comment.disabled,
        comment.moderation,
        comment.body_html,
        getattr(comment, "like_count", ""),
    ]
    if author is not None:
        parts += [author.pk, author.username, *author.avatar_source()]
    else:
        parts += [comment.guest_name, comment.guest_email if flags["show_guest_emails"] else ""]
    if flags["show_hidden"]:
        parts.append(comment.previous_body)
    if flags["show_post"]:
        post = comment.post
        parts += [post.get_absolute_url(), str(post)]
    return _digest(parts)


def _parts(html):
    """A rendered fragment's three parts. Split from both ends: the avatar and the links hold no text a
    writer chose, so a marker inside a post's or comment's text could never cut it wrongly."""
    avatar, rest = html.split(PART, 1)
    content, links = rest.rsplit(PART, 1)
    return avatar.strip(), content.strip(), links.strip()


def _post_digest(post, version):
    """``version``: (the templates' digest, the page's language)."""
    author = post.author
    parts = [
        *version,
        post.pk,
        post.kind,
        post.title,
        post.body_html,
        post.moderation,
        post.created.isoformat(),
        post.comment_count,
        post.like_count,
        author.pk,
        author.username,
        *author.avatar_source(),
    ]
    # (a post marked a talk whose details were deleted by hand lists as a plain post, as the template does)
    talk = getattr(post, "talk", None) if post.is_talk else None
    if talk is not None:
        parts += [talk.date.isoformat(), talk.venue, talk.venue_url, talk.video_url, talk.slides_url]
    for picture in post.pictures.all():
        parts += [picture.image, picture.thumbnail, picture.alt]
        parts += [picture.thumbnail_width, picture.thumbnail_height]
    return _digest(parts)


def _search_digest(post, version):
    author = post.author
    parts = [*version, post.pk, post.created.isoformat(), post.title, post.title_html if post.title else ""]
    parts.append(post.snippet)
    parts += [post.comment_count, author.pk, author.username, *author.avatar_source(), post.is_talk]
    talk = getattr(post, "talk", None) if post.is_talk else None
    if talk is not None:
        parts += [talk.date.isoformat(), talk.venue, talk.venue_url, talk.video_url, talk.slides_url]
    return _digest(parts)


def _digest(parts):
    # A separator no field can hold, so that ("ab", "c") and ("a", "bc") never share a key.
    text = "\x1f".join(str(part) for part in parts)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _templates_digest():
    """The sources of the fragments' templates, the code's FORMAT and the icons' address, as one digest:
    a deploy that changes how a card looks changes every key. Computed once a process (each time in
    DEBUG, where templates are edited while the server runs)."""
    if settings.DEBUG:
        return _compute_templates_digest()
    return _cached_templates_digest()


def _compute_templates_digest():
    sources = [get_template(name).template.source for name in TEMPLATES]
    return _digest([FORMAT, icons_url(), *sources])


@memoize
def _cached_templates_digest():
    return _compute_templates_digest()


# --- The list around the cards: what differs per reader, in one pass ----------------------------------------
#
# A Django template loop over 20 cards (a dozen {% if %}, two {% csrf_token %}, five {% translate %} and the
# variable lookups of each) was most of the list's cost once the cards came from the cache. The per-reader
# part of a card is a handful of flags (liked, bookmarked, author, editor, may like, may bookmark, muted, may
# translate): it is joined here from strings translated once a page. The markup is the one
# templates/blog/_posts.html had; blog/tests/test_post_list.py holds it to that template
# (blog/tests/post_list_reference.html) for every combination of the flags.
#
# The list is drawn in two steps: ``compose`` writes everything that readers of one kind (blog.composed's
# shape: language, may like, member, administrator, no muted word) see alike, with slots where one reader
# differs from the next (liked, bookmarked, their own post, the CSRF token, ``next``); ``fill`` puts one
# reader's parts into the slots. Every list goes through both, so a composed list kept in the cache
# (blog.composed) draws exactly what drawing it afresh would.

# The slots' kinds. A slot is (kind, the post's index in the list, the HTML when off, the HTML when on).
TOKEN, LIKED, BOOKMARKED, OWN = range(4)
# The CSRF token the translate form is drawn with while composing, cut out into a TOKEN slot: our own
# template draws it, so it cannot appear in anything a writer chose.
_TOKEN_STAND_IN = "\x00token\x00"  # noqa: S105 - a marker, no secret


class _Labels:
    """The list's words in the page's language, translated once a page."""

    __slots__ = ("like", "bookmark", "edit", "edit_admin", "report", "muted", "show_anyway")

    def __init__(self):
        self.like, self.bookmark = escape(_("Like")), escape(_("Bookmark"))
        self.edit, self.edit_admin, self.report = (
            escape(_("Edit")),
            escape(_("Edit [Admin]")),
            escape(_("Report")),
        )
        self.muted, self.show_anyway = (
            escape(_("Hidden: contains a word you muted.")),
            escape(_("Show anyway")),
        )


class ComposedList:
    """A list of posts' HTML with its reader's parts left as slots: ``texts`` between them (one more than
    the slots) and ``slots``, (kind, the post's index, the HTML when off, the HTML when on) each."""

    __slots__ = ("texts", "slots")

    def __init__(self, texts, slots):
        self.texts, self.slots = texts, slots

    def __getstate__(self):
        return self.texts, self.slots

    def __setstate__(self, state):
        self.texts, self.slots = state


class _Composer:
    """Collects a composed list: text, and slots between the texts."""

    def __init__(self):
        self.texts, self.slots, self.text = [], [], []

    def add(self, text):
        self.text.append(text)

    def slot(self, kind, index, off="", on=""):
        self.texts.append("".join(self.text))
        self.text = []
        self.slots.append((kind, index, off, on))

    def composed(self):
        return ComposedList([*self.texts, "".join(self.text)], self.slots)


def post_list(cards, *, next_url="", csrf_token=""):
    """The <ul> of a list of posts: ``cards`` from ``post_cards`` (posts decorated by blog.listing), the
    shared HTML of each card from the cache and the reader's own part beside it: the like and bookmark forms
    (with ``csrf_token``, the reader's, and ``next_url``, where they come back to without JavaScript), Edit,
    Report, the translate form and the fold of a post with a muted word."""
    cards = list(cards)
    posts = [post for post, _card in cards]
    return fill(compose(cards), posts, next_url=next_url, csrf_token=csrf_token)


def posts_html(posts, *, next_url="", csrf_token=""):
    """The <ul> of a page's posts (blog.listing.post_page's, or any decorated posts): from the list composed
    once for readers of their kind when blog.composed found it (``posts.composed``), else composed from
    their cards (and kept, when ``posts.keep`` says it may be), and filled for this reader."""
    composed = getattr(posts, "composed", None)
    if composed is None:
        composed = compose(post_cards(posts), edits_others=getattr(posts, "edits_others", False))
        keep = getattr(posts, "keep", None)
        if keep is not None:
            keep(composed)
    html = fill(composed, posts, next_url=next_url, csrf_token=csrf_token)
    if shells.keeping():
        # A page kept for every reader of the kind (flasky_project.shells): the list goes in composed, and
        # each reader's likes, bookmarks and own posts fill its slots (blog.listing.fill_kept_list).
        pairs = [(post.pk, post.author_id) for post in posts]
        return shells.keep_slot("posts", (composed, pairs, next_url), html)
    return html


def compose(cards, *, edits_others=False):
    """The list of ``cards`` (from ``post_cards``) as readers of its kind see it alike, the reader's parts
    as slots (see ``fill``). Each post's flags give what its readers share (may like, may bookmark, may
    translate, the muted fold); Edit or Report is a slot between the author's variant and everyone else's,
    whose Edit [Admin] is the post's ``viewer_can_edit``, or ``edits_others`` on the reader's own posts
    (whether readers of this kind may edit anyone's post: what everyone else of the kind sees there)."""
    labels = _Labels()
    icons = escape(icons_url())
    out = _Composer()
    out.add('<ul class="post-list">')
    for index, (post, card) in enumerate(cards):
        out.add("\n")
        _post_item(out, index, post, card, labels, icons, edits_others)
    out.add("\n</ul>")
    return out.composed()


def fill(composed, posts, *, next_url="", csrf_token=""):
    """The HTML of ``composed`` for one reader: ``posts`` (the list's, in its order) say which they liked,
    bookmarked and wrote (``viewer_liked``, ``viewer_bookmarked``, ``viewer_is_author``); the forms carry
    ``csrf_token`` and come back to ``next_url``."""
    token = (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">' if csrf_token else ""
    )
    next_url = escape(next_url) if next_url else ""
    texts = composed.texts
    out = [texts[0]]
    append = out.append
    for number, (kind, index, off, on) in enumerate(composed.slots, 1):
        if kind == TOKEN:
            append(token)
        elif kind == OWN:
            append(on if posts[index].viewer_is_author else off)
        else:
            post = posts[index]
            pressed = post.viewer_liked if kind == LIKED else post.viewer_bookmarked
            if next_url:
                append(f'{token}<input type="hidden" name="next" value="{next_url}#post-{post.pk}">')
            else:
                append(token)
            append(on if pressed else off)
        append(texts[number])
    return _html("".join(out))


def _toggle_form(out, index, slot, action, kind, undo_class, class_, icon, label):
    out.add(f'<form method="post" action="{escape(action)}" class="d-inline" data-toggle-form="{kind}">')
    button = '<button type="submit" class="btn btn-sm {}" aria-pressed="{}"'
    out.slot(
        slot,
        index,
        button.format(class_, "false"),
        '<input type="hidden" name="undo" value="1">' + button.format(undo_class, "true"),
    )
    icon = f'<svg class="bi" aria-hidden="true"><use href="{icon}"></use></svg>'
    out.add(f" data-toggle-button>{icon} {label}</button></form>")


def _translate_form(out, post):
    html = get_template(TRANSLATE_TEMPLATE).render({"post": post, "csrf_token": _TOKEN_STAND_IN})
    token = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(_TOKEN_STAND_IN)}">'
    before, after = html.split(token, 1)
    out.add(before)
    out.slot(TOKEN, 0)
    out.add(after)


def _post_item(out, index, post, card, labels, icons, edits_others):
    pk = post.pk
    muted = getattr(post, "muted_word", None)
    out.add(f'<li class="post d-flex gap-3" id="post-{pk}">\n{card.avatar}\n')
    out.add('<article class="post-content flex-grow-1 min-w-0">\n')
    if muted:
        out.add(
            '<details class="muted-post"><summary class="text-body-secondary small" data-muted-post>'
            f'{labels.muted} <span class="link-primary">{labels.show_anyway}</span></summary>\n'
        )
    out.add(card.content)
    out.add("\n")
    if post.viewer_can_translate:
        _translate_form(out, post)
        out.add("\n")
    out.add('<div class="post-actions d-flex flex-wrap align-items-center gap-1 mt-2" data-toggle>\n')
    if post.viewer_can_like:
        _toggle_form(
            out,
            index,
            LIKED,
            card.like_url,
            "liked",
            "btn-danger",
            "btn-outline-danger",
            f"{icons}#heart",
            labels.like,
        )
    else:
        out.add(
            f'<svg class="bi text-body-secondary" aria-hidden="true"><use href="{icons}#heart"></use></svg>'
        )
    out.add(f"\n{card.links}\n")
    if post.viewer_can_bookmark:
        _toggle_form(
            out,
            index,
            BOOKMARKED,
            card.bookmark_url,
            "bookmarked",
            "btn-secondary",
            "btn-outline-secondary",
            f"{icons}#bookmark",
            labels.bookmark,
        )
        out.add("\n")
    edit = f'<svg class="bi" aria-hidden="true"><use href="{icons}#pencil"></use></svg>'
    edit = f'href="{escape(card.edit_url)}">{edit}'
    report = (
        '<a class="btn btn-sm btn-link link-secondary text-decoration-none"'
        f' href="{escape(card.report_url)}" rel="nofollow">'
        f'<svg class="bi" aria-hidden="true"><use href="{icons}#flag"></use></svg> {labels.report}</a>'
    )
    # Everyone else's Edit [Admin]: the post's flag, or on the reader's own post what others of the kind get.
    others_edit = edits_others if post.viewer_is_author else post.viewer_can_edit
    if others_edit:
        report = f'<a class="btn btn-sm btn-outline-danger" {edit} {labels.edit_admin}</a>\n{report}'
    out.slot(OWN, index, report, f'<a class="btn btn-sm btn-outline-primary" {edit} {labels.edit}</a>')
    out.add("\n</div>")
    if muted:
        out.add("\n</details>")
    out.add("\n</article>\n</li>")
