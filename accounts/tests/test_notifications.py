"""The one recipient rule, the preferences page and the one delivery path (accounts.notifications)."""

import pytest

from accounts import notifications
from accounts.models import EmailOptOut, SiteOptOut
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_module_lists_every_kind_the_site_sends():
    assert list(notifications.notification_kinds()) == [
        "new_follower",
        "comments_on_my_posts",
        "comments_after_mine",
        "comments_waiting",
        "mentions",
        "replies",
        "likes",
        "report_outcomes",
        "moderation_notices",
    ]


def test_preferences_page_needs_login(client):
    response = client.get("/settings/email/")
    assert response.status_code == 302 and response["Location"].startswith("/auth/login/")


def test_preferences_page_shows_every_kind_switched_on(reader_client):
    response = reader_client.get("/settings/email/")
    form = response.context["form"]
    assert all(form[kind].value() is True for kind in notifications.email_kinds())
    assert all(form[f"site_{kind}"].value() is True for kind in notifications.KINDS)
    assert form["digest"].value() is False
    content = response.content.decode()
    assert "someone starts following me" in content
    assert "visitors&#x27; comments on my talks wait for my approval" in content


def test_preferences_switch_a_kind_off_and_on(reader_client, reader):
    response = reader_client.post("/settings/email/", {}, follow=True)
    assert "Your notification preferences have been saved." in response.content.decode()
    assert EmailOptOut.objects.filter(user=reader, kind="new_follower").exists()
    reader_client.post("/settings/email/", {"new_follower": "on"})
    assert not EmailOptOut.objects.filter(user=reader, kind="new_follower").exists()


# The recipient rule.


def rule(candidates, *, kind="new_follower", actor=None):
    return notifications.recipients(kind=kind, actor=actor, candidates=candidates)


def test_the_rule_lets_active_confirmed_members_through(author, reader):
    assert rule([reader, author]) == [author, reader]


def test_the_rule_leaves_out_unconfirmed_addresses(unconfirmed, reader):
    assert rule([unconfirmed, reader]) == [reader]


def test_the_rule_leaves_out_inactive_accounts(reader):
    gone = UserFactory(is_active=False)
    assert rule([gone, reader]) == [reader]


def test_the_rule_leaves_out_the_email_of_those_who_switched_the_kind_off(author, reader):
    notifications.switch_off(reader, "new_follower")
    assert [user.wants_email for user in rule([author, reader], kind="new_follower")] == [True, False]
    assert [user.wants_email for user in rule([author, reader], kind="comments_on_my_posts")] == [True, True]


def test_the_rule_leaves_out_those_who_switched_the_kind_off_everywhere(author, reader):
    notifications.switch_off(reader, "new_follower")
    SiteOptOut.objects.create(user=reader, kind="new_follower")
    assert rule([author, reader], kind="new_follower") == [author]
    assert rule([author, reader], kind="comments_on_my_posts") == [author, reader]


def test_the_rule_never_tells_the_actor_about_their_own_act(author, reader):
    assert rule([author, reader], actor=reader) == [author]


def test_the_rule_is_one_query_whatever_the_number_of_candidates(django_assert_num_queries):
    users = UserFactory.create_batch(5)
    notifications.switch_off(users[0], "new_follower")
    SiteOptOut.objects.create(user=users[0], kind="new_follower")
    with django_assert_num_queries(1):
        assert len(rule(users, actor=users[1])) == 3


def test_no_notification_goes_to_an_unconfirmed_address(unconfirmed, reader, mailoutbox):
    assert notifications.new_follower(follower=reader, followed=unconfirmed) == []
    assert not mailoutbox


def test_delivery_writes_in_the_recipients_language_with_a_one_click_unsubscribe_link(
    author, reader, mailoutbox, django_capture_on_commit_callbacks
):
    author.language = "es"
    author.save()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.new_follower(follower=reader, followed=author)
    (message,) = mailoutbox
    assert message.subject == "[Flasky] ¡reader ahora te sigue!"
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert (
        unsubscribe.startswith("<http://testserver/email/unsubscribe/") and unsubscribe[1:-1] in message.body
    )
