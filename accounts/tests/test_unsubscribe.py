"""Unsubscribe links: one signed format naming the kind (and a scope, such as one post's comments); the links
in emails sent before it keep working."""

import pytest
from django.core import signing

from accounts import notifications
from accounts.models import EmailOptOut

pytestmark = pytest.mark.django_db


def token(user, kind="new_follower", **scope):
    return notifications.unsubscribe_token(kind=kind, user=user, **scope)


def test_unsubscribe_link_asks_before_it_acts(client, reader):
    response = client.get(f"/email/unsubscribe/{token(reader)}/")
    assert response.status_code == 200
    assert "Stop emailing reader@example.com when someone starts following me?" in response.content.decode()
    assert not EmailOptOut.objects.exists()


def test_unsubscribe_post_switches_the_kind_off_without_login(client, reader):
    response = client.post(f"/email/unsubscribe/{token(reader)}/")
    assert response.status_code == 200
    assert "we will no longer email you when someone starts following me" in response.content.decode()
    assert EmailOptOut.objects.filter(user=reader, kind="new_follower").exists()
    client.post(f"/email/unsubscribe/{token(reader)}/")  # a second click changes nothing and fails nothing
    assert EmailOptOut.objects.count() == 1


def test_a_link_switches_off_only_the_kind_it_names(client, reader):
    client.post(f"/email/unsubscribe/{token(reader, 'comments_waiting')}/")
    assert list(EmailOptOut.objects.values_list("user", "kind")) == [(reader.pk, "comments_waiting")]


def test_links_of_the_old_accounts_format_still_work(client, reader):
    # As accounts.notifications signed them before the one format: no scope, and positional data.
    old = signing.dumps(
        {"user": reader.pk, "kind": "new_follower"}, salt="accounts.unsubscribe", compress=True
    )
    assert client.post(f"/email/unsubscribe/{old}/").status_code == 200
    assert EmailOptOut.objects.filter(user=reader, kind="new_follower").exists()


@pytest.mark.parametrize(
    "bad",
    [
        "garbage",
        "eyJ1c2VyIjoxfQ:tampered:signature",
        signing.dumps({"user": 1, "kind": "new_follower"}, salt="some.other.salt"),
        signing.dumps(["not", "a", "dict"], salt="accounts.unsubscribe"),
        signing.dumps({"kind": "new_follower"}, salt="accounts.unsubscribe"),
        signing.dumps({"scope": "comments"}, salt="accounts.unsubscribe"),
        signing.dumps({"scope": ["comments", "x"]}, salt="accounts.unsubscribe"),
        signing.dumps({"scope": ["no_such_scope", 1]}, salt="accounts.unsubscribe"),
        signing.dumps({"subscription": "x"}, salt="blog.comment-subscription"),
    ],
    # Signed tokens carry a timestamp: ids by position keep the collection the same in every xdist worker.
    ids=[f"bad-{number}" for number in range(9)],
)
def test_unsubscribe_with_a_bad_token_is_a_clear_404(client, reader, bad):
    response = client.post(f"/email/unsubscribe/{bad}/")
    assert response.status_code == 404
    assert "This unsubscribe link is not valid." in response.content.decode()
    assert not EmailOptOut.objects.exists()


def test_unsubscribe_token_for_an_unknown_kind_is_refused(client, reader):
    assert client.post(f"/email/unsubscribe/{token(reader, 'no_such_kind')}/").status_code == 404
    assert not EmailOptOut.objects.exists()


def test_a_token_of_a_deleted_user_is_a_404(client, reader):
    link = f"/email/unsubscribe/{token(reader)}/"
    reader.delete()
    assert client.post(link).status_code == 404


def test_an_unconfirmed_user_who_is_logged_in_may_still_unsubscribe(login, unconfirmed):
    response = login(unconfirmed).post(f"/email/unsubscribe/{token(unconfirmed)}/")
    assert response.status_code == 200
    assert EmailOptOut.objects.filter(user=unconfirmed, kind="new_follower").exists()
