"""The one approval of a guest's comment (blog.services.approve_comment): the moderation pages, the API and
the admin all call it, with one contract."""

from datetime import timedelta

import pytest
from django.utils import timezone

from blog import services
from blog.models import Comment, PendingRound
from blog.tests.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(author):
    return CommentFactory(
        post=PostFactory(author=author),
        author=None,
        guest_name="Gus",
        guest_email="gus@example.com",
        approved=False,
        created=timezone.now() - timedelta(days=2),
    )


def test_approving_publishes_dates_and_records_who_and_queues_a_round(waiting, author):
    assert services.approve_comment(waiting, by=author) is waiting
    stored = Comment.objects.get(pk=waiting.pk)
    assert stored.approved and stored.approved_by == author
    assert stored.created > timezone.now() - timedelta(minutes=1) and stored.created == waiting.created
    assert PendingRound.objects.filter(post=waiting.post).exists()


def test_moderators_approve_comments_on_anyones_posts(waiting, moderator):
    services.approve_comment(waiting, by=moderator)
    assert Comment.objects.get(pk=waiting.pk).approved_by == moderator


def test_someone_who_may_not_moderate_it_is_refused_with_a_403(waiting, reader):
    with pytest.raises(services.ModerationRefused) as refused:
        services.approve_comment(waiting, by=reader)
    assert refused.value.status == 403
    assert not Comment.objects.get(pk=waiting.pk).approved and not PendingRound.objects.exists()


def test_approving_twice_is_refused_with_a_400(waiting, author):
    services.approve_comment(waiting, by=author)
    PendingRound.objects.all().delete()
    with pytest.raises(services.ModerationRefused) as refused:
        services.approve_comment(Comment.objects.get(pk=waiting.pk), by=author)
    assert (refused.value.status, str(refused.value.message)) == (400, "Comment is already approved.")
    assert not PendingRound.objects.exists()


def test_a_comment_published_meanwhile_is_refused_even_from_a_stale_copy(waiting, author, moderator):
    stale = Comment.objects.get(pk=waiting.pk)  # loaded before another moderator approved it
    services.approve_comment(waiting, by=moderator)
    with pytest.raises(services.ModerationRefused):
        services.approve_comment(stale, by=author)
    assert Comment.objects.get(pk=waiting.pk).approved_by == moderator


def test_the_admin_action_approves_through_it_and_skips_what_is_published(moderator_client, waiting):
    published = CommentFactory()
    response = moderator_client.post(
        "/admin/blog/comment/",
        {"action": "approve_comments", "_selected_action": [waiting.pk, published.pk]},
        follow=True,
    )
    assert "1 comment approved." in response.content.decode()
    assert Comment.objects.get(pk=waiting.pk).approved_by.username == "moderator"
