"""Talks in the Django admin, `fakedata --talks`, and approving comments in the admin."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.tests.factories import UserFactory
from blog.models import Comment, Post
from talks.embeds import embed_for, link_url
from talks.models import Talk
from talks.tests.factories import GuestCommentFactory, TalkFactory

pytestmark = pytest.mark.django_db


def test_fakedata_creates_talks_with_posts_and_guest_comments():
    UserFactory.create_batch(3)
    call_command("fakedata", "--talks", "40", "--seed", "1")
    assert Talk.objects.count() == 40 == Post.objects.count()
    talk = Talk.objects.select_related("post").first()
    assert talk.post.title and talk.post.body_html.startswith("<p>") and talk.venue
    assert Talk.objects.upcoming().exists() and Talk.objects.past().exists()
    guests = Comment.objects.filter(author=None)
    assert guests.exists() and guests.filter(approved=False).exists()
    for talk in Talk.objects.exclude(video_url=""):  # links, never made-up players
        assert embed_for(talk.video_url) is None and link_url(talk.video_url) == talk.video_url


def test_fakedata_talks_need_users():
    with pytest.raises(CommandError, match="needs users before talks"):
        call_command("fakedata", "--talks", "3")


def test_admin_lists_and_searches_talks(moderator_client):
    TalkFactory(venue="Findable Hall")
    TalkFactory(venue="Elsewhere")
    response = moderator_client.get("/admin/talks/talk/?q=findable")
    assert response.status_code == 200 and len(response.context["cl"].result_list) == 1


def test_moderators_approve_comments_in_the_admin_and_it_is_logged(moderator_client, mailoutbox):
    comments = GuestCommentFactory.create_batch(2)
    moderator_client.post(
        "/admin/blog/comment/", {"action": "approve_comments", "_selected_action": [c.pk for c in comments]}
    )
    assert Comment.objects.filter(approved=True).count() == 2
    assert LogEntry.objects.filter(change_message="Approved.").count() == 2
