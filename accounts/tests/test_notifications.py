"""Email preferences and signed unsubscribe links (the kinds come from the apps that send them)."""

import pytest

from accounts import notifications
from accounts.models import EmailOptOut

pytestmark = pytest.mark.django_db


def test_apps_declare_their_kinds():
    assert "new_follower" in notifications.notification_kinds()


def test_preferences_page_needs_login(client):
    response = client.get("/settings/email/")
    assert response.status_code == 302 and response["Location"].startswith("/auth/login/")


def test_preferences_page_shows_every_kind_switched_on(reader_client):
    response = reader_client.get("/settings/email/")
    assert response.context["form"]["new_follower"].value() is True
    assert "someone starts following me" in response.content.decode()


def test_preferences_switch_a_kind_off_and_on(reader_client, reader):
    response = reader_client.post("/settings/email/", {}, follow=True)
    assert "Your email preferences have been saved." in response.content.decode()
    assert EmailOptOut.objects.filter(user=reader, kind="new_follower").exists()
    reader_client.post("/settings/email/", {"new_follower": "on"})
    assert not EmailOptOut.objects.filter(user=reader, kind="new_follower").exists()


def test_unsubscribe_link_asks_before_it_acts(client, reader):
    token = notifications.unsubscribe_token(reader, "new_follower")
    response = client.get(f"/email/unsubscribe/{token}/")
    assert response.status_code == 200
    assert "reader@example.com" in response.content.decode()
    assert not EmailOptOut.objects.exists()


def test_unsubscribe_post_switches_the_kind_off_without_login(client, reader):
    token = notifications.unsubscribe_token(reader, "new_follower")
    response = client.post(f"/email/unsubscribe/{token}/")
    assert response.status_code == 200
    assert EmailOptOut.objects.filter(user=reader, kind="new_follower").exists()
    client.post(f"/email/unsubscribe/{token}/")  # a second click changes nothing and fails nothing
    assert EmailOptOut.objects.count() == 1


@pytest.mark.parametrize("token", ["garbage", "eyJ1c2VyIjoxfQ:tampered:signature"])
def test_unsubscribe_with_a_bad_token_is_a_clear_404(client, token):
    response = client.post(f"/email/unsubscribe/{token}/")
    assert response.status_code == 404
    assert "This unsubscribe link is not valid." in response.content.decode()
    assert not EmailOptOut.objects.exists()


def test_unsubscribe_token_for_an_unknown_kind_is_refused(client, reader):
    token = notifications.unsubscribe_token(reader, "no_such_kind")
    assert client.post(f"/email/unsubscribe/{token}/").status_code == 404


def test_one_query_tells_who_opted_out(reader, author, django_assert_num_queries):
    notifications.switch_off(reader, "new_follower")
    with django_assert_num_queries(1):
        assert notifications.opted_out([reader, author], "new_follower") == {reader.pk}


def test_no_notification_goes_to_an_unconfirmed_address(unconfirmed, mailoutbox):
    assert notifications.notify([unconfirmed], kind="new_follower", template="x", context={}) == []
    assert not mailoutbox


def test_an_unconfirmed_user_who_is_logged_in_may_still_unsubscribe(login, unconfirmed):
    token = notifications.unsubscribe_token(unconfirmed, "new_follower")
    response = login(unconfirmed).post(f"/email/unsubscribe/{token}/")
    assert response.status_code == 200
    assert EmailOptOut.objects.filter(user=unconfirmed, kind="new_follower").exists()
