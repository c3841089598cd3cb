"""Posts, comments, and who hears about new comments."""

import copy

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.fields import GenericRelation
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Count, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from accounts.roles import ADMIN, MODERATE
from blog.language import detect_language
from blog.markdown import COMMENT_TAGS, POST_TAGS, TAG_MAX_LENGTH, render_markdown
from blog.plaintext import markdown_to_text
from flasky_project import dates
from flasky_project.reversing import reverse_id
from social.derived import Blocks
from social.models import Block, Follow, Mute, MutedWord

POST_TITLE_MAX_LENGTH = 200
POST_BODY_MAX_LENGTH = 50_000
COMMENT_BODY_MAX_LENGTH = 5_000
PICTURE_ALT_MAX_LENGTH = 300
# How many of the newest posts of the tags someone follows join their Followed timeline (see followed_by).
FOLLOWED_TAG_POSTS = 1_000


def published_comment_count(post="pk"):
    """The count of a post's published comments, as an annotation (a subquery per listed row, so the cost
    is the page's, not the table's). ``post`` names the post's id in the annotated query."""
    comments = (
        Comment.objects.filter(post=OuterRef(post), approved=True, moderation=Moderation.SHOWN, deleted=False)
        .order_by()
        .values("post")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(comments), 0)


def like_count(ref="pk", *, of="post"):
    """How many likes the referenced post (``of="post"``) or comment (``of="comment"``) has, as an
    annotation: a subquery on the like table's unique (target, user) index, counted per listed row. Counts
    are read, never stored, so concurrent likes cannot make them wrong."""
    likes = Like.objects.filter(**{of: OuterRef(ref)}).order_by().values(of).annotate(count=Count("pk"))
    return Coalesce(Subquery(likes.values("count")), 0)


def post_visibility(viewer, via=""):
    """THE rule for which posts ``viewer`` may see, as a condition on the post reached through ``via``
    (``""`` for a post, ``"post__"`` for a comment or a talk).

    Every page, feed, API list and detail, and every notification reads posts through it (with
    ``Post.objects.visible_to``, ``Comment.objects.visible_to`` or ``Talk.objects.visible_to``), so a
    reason to hide a post is one clause added here, in SQL, and every surface obeys it at once.

    A post held for review (reported by several people) or hidden by a moderator, and every post of a
    suspended author, is seen only by its author and by moderators (who must see what they judge). A
    logged-in viewer does not see the posts of the people they block, who block them, or whom they mute
    (until the mute expires, compared in SQL with the database's clock). Each clause is a subquery, so a
    page costs the same number of queries whatever the number of blocks, mutes and suspensions.

    The session's user comes with the facts of this request (see ViewerFacts): then the clauses name the
    ids they hold instead of subqueries (cheaper to build and compile, and planned as a filter on the
    partial index of shown posts), and "or written by the viewer" is left out when the viewer has no
    post that the rest of the rule would hide, which is what lets a reader's deep page walk that index
    like a visitor's (bench/explain_lists.py). The meaning is the same either way (and a list of a few
    authors' posts keeps the subqueries: see PostQuerySet.visible_to)."""
    facts = ViewerFacts.of(viewer)
    if viewer.is_authenticated and viewer.has_perm(MODERATE):
        shown = Q()
    else:
        shown = _shown(via)
        if viewer.is_authenticated and (facts is None or facts.may_have_withheld_posts(viewer)):
            shown |= Q(**{f"{via}author": viewer})
    if not viewer.is_authenticated:
        return shown
    return shown & _not_written_by_unwanted(viewer, f"{via}author", facts)


def rule_identity(viewer):
    """What ``post_visibility(viewer)`` depends on of ``viewer``, as a value: two viewers with equal
    identities see the same posts (a page kept for one may be shown to the other: flasky_project.shells).
    Every visitor shares one; so does every member who blocks and mutes nobody, is blocked by nobody and
    has no withheld post, moderators another. None when the viewer's facts are unknown or too many to name
    (the rule then asks SQL about them: nothing is shared). blog/tests/test_kept_pages.py holds it to the
    rule's SQL."""
    if not viewer.is_authenticated:
        return ("visitor",)
    facts = ViewerFacts.of(viewer)
    if facts is None or facts.unwanted is None:
        return None
    moderator = viewer.has_perm(MODERATE)
    own = not moderator and facts.may_have_withheld_posts(viewer)
    return ("member", moderator, viewer.pk if own else None, tuple(facts.unwanted))


def _shown(via=""):
    """Not held, not hidden, and not by a suspended author: a subquery on the small index of suspended
    accounts, so the page's query count does not change."""
    suspended = get_user_model().objects.suspended().values("pk")
    return Q(**{f"{via}moderation": Moderation.SHOWN}) & ~Q(**{f"{via}author__in": suspended})


def _unwanted_authors(viewer):
    """Subqueries of the ids of the users whose posts and comments ``viewer`` does not see: those they
    block, those who block them (the blocked user is not told: they just see fewer posts), those they mute.
    Each reads one index (social_block_unique, social_block_blocked_idx, social_mute_unique)."""
    return [
        Block.objects.filter(blocker=viewer).values("blocked"),
        Block.objects.filter(blocked=viewer).values("blocker"),
        Mute.objects.active().filter(muter=viewer).values("muted"),
    ]


def _not_written_by_unwanted(viewer, field, facts):
    if facts is not None and facts.unwanted is not None:
        # The same three sets, read with the session's user: nothing to add when they are empty.
        return ~Q(**{f"{field}__in": facts.unwanted}) if facts.unwanted else Q()
    condition = Q()
    for ids in _unwanted_authors(viewer):
        condition &= ~Q(**{f"{field}__in": ids})
    return condition


# Past this many unwanted authors the rule keeps its subqueries: a literal list of thousands of ids costs
# more to build, send and hash (the list totals' cache keys) than the subqueries do.
MAX_LITERAL_UNWANTED = 200

# The facts' SQL, per database: the unwanted authors of _unwanted_authors as one comma-separated string
# (read with the session's user, so a page costs no query more), whether the user wrote a post held or
# hidden, and whether they mute any word. Written out, not built with the ORM: the session's user is read
# on every request, and compiling the subqueries there would cost what this saves. Each parameter is the
# user's id.
_UNWANTED_SQL = """
    SELECT blocked_id AS id FROM social_block WHERE blocker_id = %s
    UNION ALL SELECT blocker_id FROM social_block WHERE blocked_id = %s
    UNION ALL SELECT muted_id FROM social_mute WHERE muter_id = %s AND (until IS NULL OR until > {now})
"""
_WITHHELD_SQL = "EXISTS (SELECT 1 FROM blog_post WHERE author_id = %s AND moderation <> '')"
_MUTED_WORDS_SQL = "EXISTS (SELECT 1 FROM social_mutedword WHERE user_id = %s)"
_FACTS_SQL = {  # only constants are formatted in; the user's id is a parameter
    "postgresql": (
        "(SELECT string_agg(id::text, ',') FROM ("  # noqa: S608
        + _UNWANTED_SQL.format(now="STATEMENT_TIMESTAMP()")
        + ") AS unwanted)",
        _WITHHELD_SQL,
    ),
    "sqlite": (
        "(SELECT group_concat(id, ',') FROM ("  # noqa: S608
        + _UNWANTED_SQL.format(now="STRFTIME('%%Y-%%m-%%d %%H:%%M:%%f', 'NOW')")
        + "))",
        _WITHHELD_SQL,
    ),
}


class ViewerFacts:
    """What the visibility rule needs to know about one viewer, read with the session's user in the same
    query (accounts.backends.RoleBackend.get_user), so that the rule can name them instead of asking the
    database again in each query of the page. A user loaded otherwise (an API token's, a task's) has none,
    and the rule keeps its subqueries for them.

    They are as fresh as the request: read at its start, like the user. A block or mute made or ended in
    this process after they were read (the same request), or a muted word added or removed, makes them
    stale: the rule then falls back to its subqueries (social.derived.Blocks counts the changes)."""

    def __init__(self, unwanted, has_withheld_posts, has_muted_words):
        self.unwanted = unwanted
        self.has_withheld_posts = bool(has_withheld_posts)
        self.has_muted_words = bool(has_muted_words)
        self.read_in = Blocks.changes

    @classmethod
    def annotations(cls, user_id, vendor):
        """The annotations that read the facts in the query of the user ``user_id``; {} when the database
        has no SQL here (the rule then keeps its subqueries)."""
        from django.db.models.expressions import RawSQL  # noqa: PLC0415 - only the session's user needs it

        if vendor not in _FACTS_SQL:
            return {}
        unwanted, withheld = _FACTS_SQL[vendor]
        return {
            "visibility_unwanted": RawSQL(unwanted, [user_id] * 3, output_field=TextField()),  # noqa: S611
            "visibility_withheld": RawSQL(withheld, [user_id], output_field=models.BooleanField()),  # noqa: S611
            "visibility_muted_words": RawSQL(_MUTED_WORDS_SQL, [user_id], output_field=models.BooleanField()),  # noqa: S611
        }

    @classmethod
    def attach(cls, user):
        """Turn the annotations into the user's facts (the ids None when too many to name)."""
        text = user.__dict__.pop("visibility_unwanted", None)
        withheld = user.__dict__.pop("visibility_withheld", None)
        muted_words = user.__dict__.pop("visibility_muted_words", None)
        if withheld is None or muted_words is None:
            return user
        ids = sorted({int(each) for each in text.split(",")}) if text else []
        user.visibility_facts = cls(ids if len(ids) <= MAX_LITERAL_UNWANTED else None, withheld, muted_words)
        return user

    @staticmethod
    def timeless(user):
        """Whether ``user``'s facts hold nothing that changes with time alone (a mute that ends): none are
        read, or they name nobody the user does not see."""
        facts = getattr(user, "visibility_facts", None)
        return facts is None or (facts.unwanted is not None and not facts.unwanted)

    @classmethod
    def of(cls, viewer):
        """``viewer``'s facts when read with them and still current, else None (then the rule asks SQL)."""
        facts = getattr(viewer, "visibility_facts", None)
        if facts is None or facts.read_in != Blocks.changes:
            return None
        return facts

    @classmethod
    def unrelated(cls, viewer, user_id):
        """Whether ``viewer``'s current facts say they neither block nor mute the user ``user_id`` (nor are
        blocked by them): they name everyone the viewer does not see, and that user is not among them.
        False when the facts cannot tell (none, stale, or too many to name): then ask the database."""
        facts = cls.of(viewer)
        return facts is not None and facts.unwanted is not None and user_id not in facts.unwanted

    def may_have_withheld_posts(self, viewer):
        """Whether some of ``viewer``'s own posts may be withheld from others (held, hidden, or the viewer
        suspended), so that the rule must add "or written by the viewer"."""
        return self.has_withheld_posts or viewer.is_suspended


def comment_visibility(viewer):
    """THE rule for which comments ``viewer`` may see: published comments (a disabled one stays listed, its
    text shown only to those who may moderate it: see Comment.hides_text_from), and the ones waiting for
    approval also for those who may approve them (the post's author, moderators); never a comment on a
    post the viewer may not see, nor one written by someone the viewer blocks, mutes or is blocked by. A
    comment held or hidden, or by a suspended member, is seen only by its author and moderators, as posts
    are (see post_visibility)."""
    if viewer.is_authenticated and viewer.has_perm(MODERATE):
        readable = Q()
    elif viewer.is_authenticated:
        readable = ((Q(approved=True) | Q(post__author=viewer)) & _shown()) | Q(author=viewer)
    else:
        readable = Q(approved=True) & _shown()
    if viewer.is_authenticated:
        readable &= _not_written_by_unwanted(viewer, "author", ViewerFacts.of(viewer))
    return readable & post_visibility(viewer, via="post__")


def muted_word_match(viewer):
    """Whether a post contains one of ``viewer``'s muted words, as an annotation (lists fold such a post
    behind "Show anyway"; its own page shows it): one EXISTS over the viewer's words, in the same query.

    Case-insensitive, whole words: each word's stored ``pattern`` (escaped when saved) between ``(^|\\W)``
    and ``(\\W|$)``, which PostgreSQL's ``~*`` and SQLite's REGEXP (Python's re, registered by Django)
    read alike (PostgreSQL's ``\\b`` is a backspace, Python has no ``\\m``)."""
    if not may_mute_words(viewer):
        return Value(False)  # nothing to match (most readers mute no word): nothing to build and compile
    text = TextField()
    pattern = Concat(Value(r"(^|\W)("), F("pattern"), Value(r")(\W|$)"), output_field=text)
    words = (
        MutedWord.objects.filter(user=viewer)
        .annotate(
            rx=pattern,
            post_title=ExpressionWrapper(OuterRef("title"), output_field=text),
            post_body=ExpressionWrapper(OuterRef("body"), output_field=text),
        )
        .filter(Q(post_title__iregex=F("rx")) | Q(post_body__iregex=F("rx")))
    )
    return Exists(words)


def may_mute_words(viewer):
    """Whether ``viewer`` may have muted words: False for a visitor and for a reader whose facts say they
    have none (see ViewerFacts), whose muted_word_match is then a constant False that names nobody."""
    if not viewer.is_authenticated:
        return False
    facts = ViewerFacts.of(viewer)
    return facts is None or facts.has_muted_words


class Moderation(models.TextChoices):
    """Whether a moderator's decision (or the reports waiting for one) keeps a post or comment from view."""

    SHOWN = "", _("shown")
    HELD = "held", _("held for review")
    HIDDEN = "hidden", _("hidden by a moderator")


def _moderation_field():
    """A post's or a comment's moderation state (see Moderation and post_visibility)."""
    return models.CharField(
        _("moderation"),
        max_length=8,
        choices=Moderation.choices,
        default=Moderation.SHOWN,
        blank=True,
        editable=False,
        help_text=_(
            "Held after several reports, or hidden by a moderator: then only its author and "
            "moderators see it."
        ),
    )


def _notifications_about():
    return GenericRelation(
        "accounts.Notification", content_type_field="target_type", object_id_field="target_id"
    )


class PostKind(models.TextChoices):
    """What a post is. A talk is a post with details (talks.Talk, one-to-one with its post), shown and
    edited by the talks app's pages: the blog knows this much, and never imports the talks app."""

    POST = "post", _("post")
    TALK = "talk", _("talk")


# Where each kind of post is shown and edited (URL names).
_PAGES = {PostKind.POST: ("blog:post", "blog:edit"), PostKind.TALK: ("talks:talk", "talks:edit")}


class PostQuerySet(models.QuerySet):
    def visible_to(self, viewer, *, by_author=False):
        """The posts ``viewer`` (a user, or the anonymous user) may see: see post_visibility.

        ``by_author``: the list is a few authors' posts (the Followed timeline), and the rule keeps its
        subqueries (the viewer's facts are left out): with the facts' simpler rule PostgreSQL walked the
        newest-first indexes for such a list too, filtering the followed authors out row by row (25 ms
        became 96-285 ms at a million posts, bench/explain_lists.py), where with the subqueries it reads
        just their posts through the authors' index."""
        if by_author and getattr(viewer, "visibility_facts", None) is not None:
            viewer = copy.copy(viewer)
            viewer.visibility_facts = None
        return self.filter(post_visibility(viewer))

    def for_list(self):
        """What a list of posts shows, in one query: the author, a talk's details, and the counts of
        published comments and of likes; newest first, unless the list is ordered already (a tag's posts
        are ordered by the tag's own index: see tagged)."""
        posts = self.listed().prefetch_related("pictures")  # one query for the pictures of the whole page
        return posts if posts.query.order_by else posts.newest_first()

    def listed(self):
        """What a list shows of each post (for_list without its order and its pictures' prefetch): the
        author, a talk's details, the counts of published comments and of likes."""
        return self.select_related("author", "talk").annotate(
            comment_count=published_comment_count(), like_count=like_count()
        )

    def flag_viewer_marks(self, viewer):
        """Annotate ``viewer_liked`` and ``viewer_bookmarked`` (what blog.listing.mark_likes_and_bookmarks
        sets), in the same query: an EXISTS per row on the likes' (post, user) and the bookmarks' (user,
        post) unique indexes, for lists that fetch one page's rows (the API's lists of posts)."""
        if not viewer.is_authenticated:
            return self.annotate(viewer_liked=Value(False), viewer_bookmarked=Value(False))
        return self.annotate(
            viewer_liked=Exists(Like.objects.filter(post=OuterRef("pk"), user=viewer)),
            viewer_bookmarked=Exists(Bookmark.objects.filter(user=viewer, post=OuterRef("pk"))),
        )

    def flag_pictures(self):
        """Annotate ``has_pictures`` (an EXISTS on the pictures' (post, position) index), so that a list
        fetches the pictures of the posts that have some, and none when no post has any."""
        return self.annotate(has_pictures=Exists(PostPicture.objects.filter(post=OuterRef("pk"))))

    def bookmarked_by(self, user):
        """The posts ``user`` bookmarked; Post.BOOKMARK_ORDER lists them newest bookmarked first (the
        bookmarks' (user, -created) index)."""
        return self.filter(bookmarks__user=user)

    def newest_first(self):
        return self.order_by("-created", "-pk")

    def flag_muted_words(self, viewer):
        """Annotate ``muted_word``: whether the post contains one of ``viewer``'s muted words."""
        return self.annotate(muted_word=muted_word_match(viewer))

    def by(self, user):
        return self.filter(author=user)

    def tagged(self, tag):
        """The posts with ``tag``, newest first by the tag's own (tag, -created, -post) index: PostTag keeps
        a copy of its post's date, so a page of a tag with many posts walks that index instead of sorting
        all of the tag's posts."""
        return self.filter(post_tags__tag=tag).order_by("-post_tags__created", "-post_tags__post")

    def followed_by(self, user):
        """The Followed timeline: posts by the people ``user`` follows, the user's own, and the newest
        FOLLOWED_TAG_POSTS posts with the tags the user follows.

        One IN over a UNION of the followed authors and the user, not "author = me OR author IN (...)":
        the OR made PostgreSQL scan the whole author index, so counting a timeline or reading its 50th
        page took half a second at a million posts; the IN takes a few milliseconds.

        Followed tags join as one IN over a UNION of post ids: the followed authors' posts and the tags'
        newest posts (read from the PostTag (tag, -created, -post) index). Measured on PostgreSQL at 300,000
        posts and 10,000 users (EXPLAIN ANALYZE, a busy machine): an OR of the two conditions walks the
        newest-posts index and costs as deep as the followed posts are rare (90-240 ms for someone who
        follows one quiet author and a rare tag, vs 3 ms as a UNION); the UNION costs as much as the
        followed posts are many, so the tags' part is capped (like Mastodon's home feed): without the cap,
        three popular tags (75,000 posts) took 1.8 s, with it 0.2-0.3 s. Someone who follows no tag keeps
        the authors' IN as it was (6 ms; the UNION form made PostgreSQL hash-join a scan of the posts,
        150 ms): that costs one small query on the (user, tag) index, the same on every page."""
        followed = Follow.objects.filter(follower=user).values("followed")
        me = get_user_model().objects.filter(pk=user.pk).values("pk")
        authors = followed.union(me, all=True)
        if not user.is_authenticated or not FollowedTag.objects.filter(user=user).exists():
            return self.filter(author__in=authors)
        by_people = Post.objects.filter(author__in=authors).order_by().values("pk")
        tags = FollowedTag.objects.filter(user=user).values("tag")
        newest = PostTag.objects.filter(tag__in=tags).order_by("-created", "-post")[:FOLLOWED_TAG_POSTS]
        # (SQLite allows no LIMIT in a UNION's branch: the cap is a subquery of its own)
        with_tags = PostTag.objects.filter(pk__in=newest.values("pk")).order_by().values("post")
        return self.filter(pk__in=by_people.union(with_tags, all=True))


class Post(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="posts",
        verbose_name=_("author"),
        db_index=False,  # the (author, -created) index serves every lookup by author
    )
    title = models.CharField(_("title"), max_length=POST_TITLE_MAX_LENGTH, blank=True)
    body = models.TextField(_("body"), max_length=POST_BODY_MAX_LENGTH, help_text=_("Markdown"))
    body_html = models.TextField(_("body as HTML"), editable=False)
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        editable=False,
        help_text=_("Detected when the post is saved."),
    )
    created = dates.DateTimeField(_("created"), default=timezone.now)
    updated = dates.DateTimeField(_("updated"), default=timezone.now)
    kind = models.CharField(
        _("kind"), max_length=8, choices=PostKind.choices, default=PostKind.POST, editable=False
    )
    moderation = _moderation_field()
    # Deleting it, however it is deleted, deletes the notifications about it (accounts.Notification).
    notifications = _notifications_about()

    objects = PostQuerySet.as_manager()

    # Apply after for_list (which orders by the posts' dates) to list bookmarked_by() newest bookmarked first.
    BOOKMARK_ORDER = ("-bookmarks__created", "-bookmarks__id")

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            models.Index(fields=["-created", "-id"], name="blog_post_newest_idx"),
            # The posts everyone may see, newest first, with their author (which the rule's suspension
            # clause reads): the keys of a visitor's page, however deep, come from this index alone (an
            # index-only scan), not from 20,000 rows of the table at page 1,000. Partial, not a covering
            # index of every post: with the author and the state in the main newest-first index, PostgreSQL
            # walked it for the Followed timeline too, three times slower than through the author index
            # (bench/explain_lists.py, a million posts).
            models.Index(
                fields=["-created", "-id", "author"],
                condition=models.Q(moderation=""),
                name="blog_post_shown_newest_idx",
            ),
            models.Index(fields=["author", "-created", "-id"], name="blog_post_author_newest_idx"),
        ]

    def __str__(self):
        return self.title or Truncator(markdown_to_text(self.body[:1000])).chars(60)

    def save(self, *args, **kwargs):
        # Stored sanitised, so views, the API, the admin and commands all publish the same HTML; the
        # language is detected here for the same reason (search stems by it, Translate links use it).
        self.body_html = render_markdown(self.body, allowed=POST_TAGS)
        self.language = detect_language(f"{self.title}\n{self.body}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "body_html", "language"}
        adding = self._state.adding
        super().save(*args, **kwargs)
        if not adding and (update_fields is None or "created" in update_fields):
            # The tag pages order by PostTag's copy of the date (see PostQuerySet.tagged): keep it the
            # post's when the date is edited (the admin).
            PostTag.objects.filter(post=self).exclude(created=self.created).update(created=self.created)

    def get_absolute_url(self):
        return reverse_id(_PAGES[self.kind][0], self.pk)

    def get_edit_url(self):
        return reverse_id(_PAGES[self.kind][1], self.pk)

    @property
    def anchor(self):
        """The id of the post's element in a list of posts."""
        return f"post-{self.pk}"

    @property
    def is_talk(self):
        return self.kind == PostKind.TALK

    def can_edit(self, user):
        """Authors edit and delete their posts; administrators edit and delete anyone's."""
        return user.is_authenticated and (user.pk == self.author_id or user.has_perm(ADMIN))

    def can_moderate_comments(self, user):
        """Moderators moderate every comment; authors the comments on their own posts."""
        return user.is_authenticated and (user.pk == self.author_id or user.has_perm(MODERATE))


class PostPicture(models.Model):
    """A picture attached to a post: its re-encoded image and thumbnail, as names in default_storage (local
    or S3), never a path (see blog/pictures.py)."""

    # The (post, position) index serves the foreign key too.
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="pictures", verbose_name=_("post"), db_index=False
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    image = models.CharField(_("image"), max_length=255)
    thumbnail = models.CharField(_("thumbnail"), max_length=255)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    thumbnail_width = models.PositiveIntegerField(_("thumbnail width"))
    thumbnail_height = models.PositiveIntegerField(_("thumbnail height"))
    alt = models.CharField(_("alt text"), max_length=PICTURE_ALT_MAX_LENGTH)

    class Meta:
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["post", "position"], name="blog_postpicture_post_pos_idx")]

    def __str__(self):
        return self.alt

    @property
    def url(self):
        return default_storage.url(self.image)

    @property
    def thumbnail_url(self):
        return default_storage.url(self.thumbnail)


class Tag(models.Model):
    """A topic: "#name" in a post links to its page. Names are stored normalised (casefolded: see
    blog.markdown.normalise_tag), so a tag is one whatever the case it was typed in."""

    name = models.CharField(_("name"), max_length=TAG_MAX_LENGTH, unique=True)
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return f"#{self.name}"

    def get_absolute_url(self):
        return reverse("blog:tag", args=[self.name])


class PostTag(models.Model):
    """A post's tag. ``created`` is a copy of the post's, so a tag's page reads its newest posts from one
    index (blog_posttag_newest_idx) however many posts the tag has; Post.save keeps it current."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="post_tags", db_index=False)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="post_tags", db_index=False)
    created = dates.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("post's tag")
        verbose_name_plural = _("posts' tags")
        constraints = [models.UniqueConstraint(fields=["post", "tag"], name="blog_posttag_unique")]
        indexes = [models.Index(fields=["tag", "-created", "-post"], name="blog_posttag_newest_idx")]

    def __str__(self):
        return f"{self.tag} ← {self.post_id}"


class FollowedTag(models.Model):
    """A tag someone follows: its posts join their Followed timeline (PostQuerySet.followed_by)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_tags", db_index=False
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="followers")
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("followed tag")
        verbose_name_plural = _("followed tags")
        constraints = [models.UniqueConstraint(fields=["user", "tag"], name="blog_followedtag_unique")]

    def __str__(self):
        return f"{self.user} → {self.tag}"


class CommentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(approved=True)

    def pending(self):
        return self.filter(approved=False)

    def oldest_first(self):
        return self.order_by("created", "pk")

    def newest_first(self):
        return self.order_by("-created", "-pk")

    def on(self, post):
        return self.filter(post=post)

    def on_posts_by(self, user):
        return self.filter(post__author=user)

    def by(self, user):
        return self.filter(author=user)

    def with_people(self):
        return self.select_related("author", "post", "post__author")

    def for_page(self):
        """As a post's page lists them: oldest first, with their authors and like counts."""
        return self.select_related("author").annotate(like_count=like_count(of="comment")).oldest_first()

    def top_level(self):
        """Comments that answer the post, not another comment (a page of comments is a page of these)."""
        return self.filter(in_reply_to__isnull=True)

    def replies_to(self, comments):
        return self.filter(in_reply_to__in=comments)

    def visible_to(self, viewer):
        """The comments ``viewer`` may see: see comment_visibility."""
        return self.filter(comment_visibility(viewer))

    def shown(self):
        """The comments everyone may read (feeds, emails to guests)."""
        return self.readable_by(AnonymousUser())

    def readable_by(self, viewer):
        """The comments whose text ``viewer`` may read: visible to them, and not disabled (feeds, emails)."""
        return self.visible_to(viewer).filter(disabled=False)


class Comment(models.Model):
    """A comment by a member (``author``), or by a guest who gave a name and an email (talks)."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="comments", verbose_name=_("post"), db_index=False
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("author"),
        null=True,
        blank=True,
    )
    guest_name = models.CharField(_("name"), max_length=64, blank=True)
    guest_email = models.EmailField(_("email"), blank=True)
    body = models.TextField(_("comment"), max_length=COMMENT_BODY_MAX_LENGTH)
    body_html = models.TextField(_("comment as HTML"), editable=False)
    created = dates.DateTimeField(_("created"), default=timezone.now)
    approved = models.BooleanField(
        _("approved"),
        default=True,
        help_text=_("Guests' comments wait for approval before anyone sees them."),
    )
    disabled = models.BooleanField(_("disabled"), default=False, help_text=_("Hidden by a moderator."))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        help_text=_("Who published a guest's comment (they need no email about it)."),
    )
    in_reply_to = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        related_name="replies",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        db_index=False,  # the partial (in_reply_to, created, id) index serves every lookup
        help_text=_("The top comment of the thread: replies to a reply join their thread."),
    )
    edited = dates.DateTimeField(_("edited"), null=True, blank=True, editable=False)
    previous_body = models.TextField(
        _("previous text"),
        blank=True,
        editable=False,
        help_text=_("The text before the last edit, for moderators."),
    )
    deleted = models.BooleanField(
        _("deleted"), default=False, help_text=_("Deleted, kept as a placeholder for its replies.")
    )
    moderation = _moderation_field()
    # Deleting it, however it is deleted, deletes the notifications about it (accounts.Notification).
    notifications = _notifications_about()

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["post", "created", "id"], name="blog_comment_post_oldest_idx"),
            models.Index(fields=["-created", "-id"], name="blog_comment_newest_idx"),
            # Comments waiting for approval are few at any time: the queues and the navbar's count read
            # them from this small index instead of scanning every comment.
            models.Index(
                fields=["post", "created"], condition=Q(approved=False), name="blog_comment_pending_idx"
            ),
            models.Index(
                fields=["in_reply_to", "created", "id"],
                condition=Q(in_reply_to__isnull=False),
                name="blog_comment_replies_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(author__isnull=False) | ~Q(guest_name=""), name="blog_comment_has_an_author"
            ),
        ]

    def __str__(self):
        return Truncator(markdown_to_text(self.body[:1000])).chars(60)

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body, allowed=COMMENT_TAGS)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.post.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self):
        """The id of the comment's element on its page."""
        return f"comment-{self.pk}"

    @property
    def display_name(self):
        return self.author.username if self.author_id else self.guest_name

    @property
    def disabled_notice(self):
        """What the site and the API say in place of a disabled comment (None when it is not disabled): the
        one copy of that text. Feeds list only shown() comments, so they never need it."""
        return _("This comment has been disabled by a moderator.") if self.disabled else None

    def can_moderate(self, user):
        return self.post.can_moderate_comments(user)

    def hides_text_from(self, viewer):
        """Whether a listed comment's text is withheld from ``viewer``: a disabled comment's text is for those
        who may moderate it (the site shows a notice instead, the API an empty body)."""
        return self.disabled and not self.can_moderate(viewer)

    def can_edit(self, user):
        """Only its author edits a comment (a moderator disables it instead)."""
        return user.is_authenticated and self.author_id == user.pk and not self.deleted

    def can_delete(self, user):
        """Its author, the post's author and moderators delete a comment."""
        return user.is_authenticated and (self.author_id == user.pk or self.can_moderate(user))


class Like(models.Model):
    """A user likes a post or a comment (exactly one of them), at most once: the database decides, so two
    concurrent likes make one row."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="likes", verbose_name=_("user")
    )
    post = models.ForeignKey(
        Post,
        on_delete=models.CASCADE,
        related_name="likes",
        verbose_name=_("post"),
        null=True,
        blank=True,
        db_index=False,  # the unique (post, user) index serves every lookup by post
    )
    comment = models.ForeignKey(
        Comment,
        on_delete=models.CASCADE,
        related_name="likes",
        verbose_name=_("comment"),
        null=True,
        blank=True,
        db_index=False,  # the unique (comment, user) index serves every lookup by comment
    )
    created = dates.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("like")
        verbose_name_plural = _("likes")
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, comment__isnull=True)
                | Q(post__isnull=True, comment__isnull=False),
                name="blog_like_one_target",
            ),
            models.UniqueConstraint(
                fields=["post", "user"], condition=Q(post__isnull=False), name="blog_like_post_unique"
            ),
            models.UniqueConstraint(
                fields=["comment", "user"],
                condition=Q(comment__isnull=False),
                name="blog_like_comment_unique",
            ),
        ]
        indexes = [
            # "Who liked": newest first, 50 a page.
            models.Index(
                fields=["post", "-created", "-id"],
                condition=Q(post__isnull=False),
                name="blog_like_post_newest_idx",
            ),
            models.Index(
                fields=["comment", "-created", "-id"],
                condition=Q(comment__isnull=False),
                name="blog_like_comment_newest_idx",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} ♥ {f'post {self.post_id}' if self.post_id else f'comment {self.comment_id}'}"


class Bookmark(models.Model):
    """A post a user keeps for later: private to them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="bookmarks",
        verbose_name=_("user"),
        db_index=False,  # the (user, -created) index serves every lookup by user
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="bookmarks", verbose_name=_("post"))
    created = dates.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("bookmark")
        verbose_name_plural = _("bookmarks")
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="blog_bookmark_unique")]
        indexes = [
            # The Bookmarks page: newest bookmarked first.
            models.Index(fields=["user", "-created", "-id"], name="blog_bookmark_user_newest_idx"),
        ]

    def __str__(self):
        return f"{self.user_id} 🔖 {self.post_id}"


class CommentSubscription(models.Model):
    """Someone who hears about new comments on a post: its author, and commenters who asked to.

    ``notified_until`` is the creation time of the newest comment they have been told about (or wrote),
    so each sending round tells them only about what is new to them."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="subscriptions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_subscriptions", null=True
    )
    email = models.EmailField(_("email"), blank=True, help_text=_("For guests, who have no account."))
    name = models.CharField(_("name"), max_length=64, blank=True)
    active = models.BooleanField(_("active"), default=True)
    notified_until = models.DateTimeField(_("notified until"), default=timezone.now)

    class Meta:
        verbose_name = _("comment subscription")
        verbose_name_plural = _("comment subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user"],
                condition=Q(user__isnull=False),
                name="blog_subscription_member_unique",
            ),
            models.UniqueConstraint(
                fields=["post", "email"],
                condition=Q(user__isnull=True),
                name="blog_subscription_guest_unique",
            ),
        ]

    def __str__(self):
        return f"{self.user or self.email} ← {self.post_id}"


class PendingRound(models.Model):
    """A post whose notification round is queued: at most one per post at a time."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, primary_key=True, related_name="+")
    due = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"round for post {self.post_id} due {self.due:%Y-%m-%d %H:%M}"


class Mention(models.Model):
    """``user`` was mentioned (``@username``) in ``post``, or in ``comment`` on it, and told once: an edit
    that adds the mention tells them, one that repeats it does not (blog.services.notify_mentions)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="mentions", null=True, blank=True
    )
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user"], condition=Q(comment=None), name="blog_mention_post_unique"
            ),
            models.UniqueConstraint(
                fields=["comment", "user"],
                condition=Q(comment__isnull=False),
                name="blog_mention_comment_unique",
            ),
        ]

    def __str__(self):
        return f"@{self.user} in {self.comment_id or self.post_id}"
