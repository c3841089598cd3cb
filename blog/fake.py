"""Fake posts, comments, likes, bookmarks and pictures for `manage.py fakedata`, inserted in bulk.

Posts and comments are written by blog.fake_writing: each member writes in their language (accounts/fake.py
sets it), about a topic named in the title, and no body repeats within a run. Their HTML is assembled from
pieces rendered once, so 100,000 posts take seconds. Tags and mentions get their rows as publish_post would
make them (no notifications: nobody is told about what fake members did).
"""

import re
from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from blog import pictures as blog_pictures
from blog.fake_pictures import fake_picture
from blog.fake_topics import TOPICS
from blog.fake_writing import writer_for
from blog.models import Bookmark, Comment, Like, Mention, Post, PostKind, PostTag, Tag
from blog.search import indexing_new_posts_at_the_end
from flasky_project.fakedata import MissingData, batched, insert_rows, register

REPLY_SHARE = 0.3  # of comments, replies to an earlier comment on the same post
THANKS_SHARE = 0.1  # of posts, ending with thanks to another member (a mention)
COMMENT_LIKE_SHARE = 0.2  # of likes, on a comment rather than a post
# Usernames that read the same in a mention whatever Markdown does around them.
_MENTIONABLE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*")
_TOPIC_NAMES = re.compile(
    "|".join(
        re.escape(name)
        for name in sorted({n for t in TOPICS for n in t.names.values()}, key=len, reverse=True)
    ),
    re.IGNORECASE,
)
_TOPIC_BY_NAME = {name.lower(): topic for topic in TOPICS for name in topic.names.values()}


def add_post_arguments(parser, count_type):
    parser.add_argument("--posts", type=count_type, default=0, help="How many posts to create.")
    parser.add_argument(
        "--pictures", type=count_type, default=0, help="How many of the new posts get a picture (slow: off)."
    )


def add_comment_arguments(parser, count_type):
    parser.add_argument(
        "--comments", type=count_type, default=0, help="How many comments to create (some are replies)."
    )


def add_like_arguments(parser, count_type):
    parser.add_argument("--likes", type=count_type, default=0, help="How many likes of posts and comments.")


def add_bookmark_arguments(parser, count_type):
    parser.add_argument("--bookmarks", type=count_type, default=0, help="How many bookmarks.")


@register(order=30, name="posts", add_arguments=add_post_arguments)
def generate_posts(options, *, rng, faker, progress):
    total = options["posts"]
    if not total:
        return None
    people = list(User.objects.values_list("pk", "member_since", "language", "username"))
    if not people:
        raise MissingData("fakedata needs users before posts: add --users N")
    writer = writer_for(rng)
    thankable = [
        (pk, username) for pk, _joined, _language, username in people if _MENTIONABLE.fullmatch(username)
    ]
    tags = _topic_tags()
    now = timezone.now()
    created_posts = []
    for start, count in batched(total, size=5000):
        rows, drafts = [], []
        for _ in range(count):
            author, joined, language, _username = rng.choice(people)
            thanked = rng.choice(thankable) if thankable and rng.random() < THANKS_SHARE else None
            if thanked and thanked[0] == author:
                thanked = None
            draft = writer.write(_language(language), thanks=thanked[1] if thanked else None)
            created = _between(rng, joined, now)
            rows.append((author, draft.title, draft.body, draft.html, draft.language, created, created))
            drafts.append((draft, thanked))
        with indexing_new_posts_at_the_end():
            ids = insert_rows(Post, POST_FIELDS, rows)
            _tag_and_mention(ids, rows, drafts, tags)
        if options.get("pictures"):
            created_posts += ids
        progress("posts", start + count, total)
    if options.get("pictures"):
        chosen = rng.sample(created_posts, min(options["pictures"], len(created_posts)))
        posts = Post.objects.in_bulk(chosen)
        _add_pictures(rng, [posts[pk] for pk in chosen], progress)
    return total


POST_FIELDS = ("author_id", "title", "body", "body_html", "language", "created", "updated")


def _tag_and_mention(ids, rows, drafts, tags):
    post_tags, mentions = [], []
    for pk, row, (draft, thanked) in zip(ids, rows, drafts, strict=True):
        created = row[POST_FIELDS.index("created")]
        post_tags += [(pk, tags[name], created) for name in draft.tags]
        if thanked:
            mentions.append((thanked[0], pk, created))
    insert_rows(PostTag, ("post_id", "tag_id", "created"), post_tags)
    insert_rows(Mention, ("user_id", "post_id", "created"), mentions)


def _topic_tags():
    """The topics' tags by name (created when missing)."""
    names = sorted({tag for topic in TOPICS for tag in topic.tags})
    Tag.objects.bulk_create([Tag(name=name) for name in names], ignore_conflicts=True)
    return dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))


def _add_pictures(rng, posts, progress):
    """One generated picture on each of ``posts``, stored as an upload is (blog.pictures)."""
    for done, post in enumerate(posts, start=1):
        with transaction.atomic():
            blog_pictures.attach(post, [fake_picture(rng, _language(post.language))])
        progress("pictures", done, len(posts))


@register(order=40, name="comments", add_arguments=add_comment_arguments)
def generate_comments(options, *, rng, faker, progress):
    total = options["comments"]
    if not total:
        return None
    # Each post's topic is read from its title as it is loaded: a million titles need not stay in memory.
    posts = [
        (pk, created, topic_of(title, rng), _language(language))
        for pk, created, title, language in Post.objects.values_list("pk", "created", "title", "language")
        .order_by("pk")
        .iterator(chunk_size=20_000)
    ]
    if not posts:
        raise MissingData("fakedata needs posts before comments: add --posts N")
    writer = writer_for(rng)
    people = _people_by_language()
    replies = round(total * REPLY_SHARE)
    now = timezone.now()
    done = 0
    for start, count in batched(total - replies, size=5000):
        written = [_comment(writer, rng, people, rng.choice(posts), now) for _ in range(count)]
        # This batch's share of the replies, to the comments just made (which have ids once saved).
        share = replies * (start + count) // (total - replies) - replies * start // (total - replies)
        with transaction.atomic():
            saved = Comment.objects.bulk_create([comment for comment, _language in written])
            _reply(
                writer,
                rng,
                people,
                [(comment, language) for comment, (_, language) in zip(saved, written, strict=True)],
                share,
                now,
            )
        done += count + share
        progress("comments", done, total)
    return total


def _comment(writer, rng, people, post, now):
    """A comment that answers ``post``, by someone who writes in the post's language, and that language."""
    pk, created, topic, language = post
    draft = writer.comment(language, topic)
    comment = Comment(
        post_id=pk,
        author_id=rng.choice(people[language])[0],
        body=draft.body,
        body_html=draft.html,
        created=_between(rng, created, now),
        disabled=rng.random() < 0.02,
    )
    return comment, language


def _reply(writer, rng, people, comments, count, now):
    """``count`` replies to ``comments`` ((comment, language) pairs), each in the language of the comment it
    answers and mentioning its author."""
    names = {pk: username for group in people.values() for pk, username in group}
    candidates = [pair for pair in comments if _MENTIONABLE.fullmatch(names.get(pair[0].author_id, ""))]
    if not candidates:
        return
    rows, mentioned = [], []
    for _ in range(count):
        parent, language = rng.choice(candidates)
        draft = writer.comment(language, None, reply_to=names[parent.author_id])
        rows.append(
            Comment(
                post_id=parent.post_id,
                author_id=rng.choice(people[language])[0],
                body=draft.body,
                body_html=draft.html,
                created=_between(rng, parent.created, now),
                in_reply_to_id=parent.pk,
            )
        )
        mentioned.append(parent.author_id)
    rows = Comment.objects.bulk_create(rows)
    Mention.objects.bulk_create(
        Mention(user_id=user, post_id=reply.post_id, comment_id=reply.pk, created=reply.created)
        for user, reply in zip(mentioned, rows, strict=True)
        if user != reply.author_id
    )


@register(order=45, name="likes", add_arguments=add_like_arguments)
def generate_likes(options, *, rng, faker, progress):
    total = options["likes"]
    if not total:
        return None
    users = list(User.objects.values_list("pk", flat=True))
    posts = list(Post.objects.values_list("pk", "created"))
    comments = list(Comment.objects.filter(author__isnull=False).values_list("pk", "created"))
    if not users or not posts:
        raise MissingData("fakedata needs users and posts before likes: add --users N --posts N")
    now = timezone.now()
    before = Like.objects.count()
    for start, count in batched(total, size=5000):
        rows = []
        for _ in range(count):
            on_comment = comments and rng.random() < COMMENT_LIKE_SHARE
            pk, created = rng.choice(comments if on_comment else posts)
            target = {"comment_id": pk} if on_comment else {"post_id": pk}
            rows.append(Like(user_id=rng.choice(users), created=_between(rng, created, now), **target))
        Like.objects.bulk_create(rows, ignore_conflicts=True)  # a second like of the same thing is skipped
        progress("likes", start + count, total)
    return Like.objects.count() - before


@register(order=46, name="bookmarks", add_arguments=add_bookmark_arguments)
def generate_bookmarks(options, *, rng, faker, progress):
    total = options["bookmarks"]
    if not total:
        return None
    users = list(User.objects.values_list("pk", flat=True))
    posts = list(Post.objects.filter(kind=PostKind.POST).values_list("pk", "created"))
    if not users or not posts:
        raise MissingData("fakedata needs users and posts before bookmarks: add --users N --posts N")
    now = timezone.now()
    before = Bookmark.objects.count()
    for start, count in batched(total, size=5000):
        rows = []
        for _ in range(count):
            pk, created = rng.choice(posts)
            rows.append(Bookmark(user_id=rng.choice(users), post_id=pk, created=_between(rng, created, now)))
        Bookmark.objects.bulk_create(rows, ignore_conflicts=True)
        progress("bookmarks", start + count, total)
    return Bookmark.objects.count() - before


def _people_by_language():
    """(pk, username) of every member by the language they write in; someone for each language."""
    people = defaultdict(list)
    everyone = list(User.objects.values_list("pk", "username", "language"))
    for pk, username, language in everyone:
        people[_language(language)].append((pk, username))
    for language in ("en", "es"):
        people[language] = people[language] or [(pk, username) for pk, username, _language in everyone]
    return people


def topic_of(title, rng):
    """The topic a post's title names (fake posts always name one), or any topic for other posts."""
    match = _TOPIC_NAMES.search(title or "")
    return _TOPIC_BY_NAME[match.group(0).lower()] if match else rng.choice(TOPICS)


def _language(code):
    """The language a member writes in, or a post is written in: Spanish or (by default) English."""
    return "es" if code == "es" else "en"


def _between(rng, start, end):
    return start + timedelta(seconds=rng.random() * max((end - start).total_seconds(), 0))
