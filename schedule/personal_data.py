"""A user's data in the apps above accounts (follows, posts, comments, talks, appointments): its export, and
its erasure when the account is deleted.

accounts may not import these apps, so it finds this module through the ``personal_data`` registry
(``ScheduleConfig.personal_data``; see accounts.personal_data). It lives in schedule because schedule is the
highest app whose data it covers and may import all of them.
"""

from pathlib import PurePosixPath

from django.db import transaction
from django.db.models import Q

from blog.markdown import COMMENT_TAGS, render_markdown
from blog.models import Comment, Post, PostPicture
from schedule.models import Appointment, CalendarFeed
from social.models import Follow
from talks.models import Talk

# What an erased user's comments say from then on (the comment stays, so that replies keep their sense).
DELETED_COMMENT = "[deleted]"


def stored_files(user):
    """The user's files in default_storage that the export copies into its ZIP: (name in the ZIP, storage
    name) pairs; the files of the pictures in their posts (posts.json names each with its alt text)."""
    pictures = PostPicture.objects.filter(post__author=user).order_by("post_id", "position")
    return [(_picture_file(picture), picture.image) for picture in pictures.only("post_id", "image")]


def _when(value):
    return value.isoformat() if value else None


def _picture_file(picture):
    """Where a post's picture is in the ZIP: beside the JSON that names it, by post and picture."""
    return f"pictures/{picture.post_id}/{picture.pk}{PurePosixPath(picture.image).suffix}"


def export(user):
    """The user's data as JSON-ready lists, by file name."""
    posts = Post.objects.filter(author=user).order_by("created", "pk").prefetch_related("pictures")
    return {
        "posts.json": [
            {
                "id": post.pk,
                "kind": post.kind,
                "title": post.title,
                "body": post.body,
                "language": post.language,
                "created": _when(post.created),
                "updated": _when(post.updated),
                "pictures": [
                    {"file": _picture_file(picture), "alt": picture.alt} for picture in post.pictures.all()
                ],
            }
            for post in posts
        ],
        "comments.json": [
            {"id": c.pk, "post": c.post_id, "body": c.body, "created": _when(c.created)}
            for c in Comment.objects.filter(author=user).order_by("created", "pk")
        ],
        "talks.json": [
            {
                "post": talk.post_id,
                "title": talk.post.title,
                "date": _when(talk.date),
                "venue": talk.venue,
                "venue_url": talk.venue_url,
                "video_url": talk.video_url,
                "slides_url": talk.slides_url,
            }
            for talk in Talk.objects.filter(post__author=user).select_related("post").order_by("date", "pk")
        ],
        "appointments.json": [
            {
                "title": a.title,
                "start": _when(a.start),
                "end": _when(a.end),
                "all_day": a.all_day,
                "location": a.location,
                "description": a.description,
                "talk": a.talk_id,
            }
            for a in Appointment.objects.filter(owner=user).order_by("start", "pk")
        ],
        "follows.json": {
            "following": [
                {"username": f.followed.username, "since": _when(f.created)}
                for f in Follow.objects.filter(follower=user).select_related("followed").order_by("created")
            ],
            "followers": [
                {"username": f.follower.username, "since": _when(f.created)}
                for f in Follow.objects.filter(followed=user).select_related("follower").order_by("created")
            ],
        },
    }


@transaction.atomic
def erase(user, *, keep_content, placeholder):
    """Remove the user's follows and appointments; delete their posts and talks, or give them to
    ``placeholder`` (the "deleted user") when ``keep_content``; their comments stay, shown as deleted, under
    the placeholder. (Blocks and mutes, whichever app keeps them, go with the user row: they cascade.)"""
    Follow.objects.filter(Q(follower=user) | Q(followed=user)).delete()
    Appointment.objects.filter(owner=user).delete()
    CalendarFeed.objects.filter(owner=user).delete()
    posts = Post.objects.filter(author=user)
    if keep_content:
        posts.update(author=placeholder)
    else:
        # One by one through the ORM: the comments, talk details and search rows go with each post.
        for post in posts.iterator():
            post.delete()
    deleted_html = render_markdown(DELETED_COMMENT, allowed=COMMENT_TAGS)
    comments = Comment.objects.filter(author=user)
    comments.update(author=placeholder, body=DELETED_COMMENT, body_html=deleted_html)
