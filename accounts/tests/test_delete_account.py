"""Delete your account: password (and code) again, deactivated and logged out at once, erased by a task,
posts and talks deleted or kept under "a deleted user", the address free to register again."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.core.files.storage import default_storage
from django.urls import reverse

from accounts import personal_data, services
from accounts.avatars import process_avatar
from accounts.models import User
from accounts.tests.factories import PASSWORD
from accounts.tests.helpers import totp_code, turn_on_two_factor
from accounts.tests.images import picture
from blog.models import Comment, Post
from blog.tests.factories import CommentFactory, PostFactory
from conftest import Client
from schedule.models import Appointment
from schedule.tests.factories import AppointmentFactory
from social.models import Follow
from social.tests.factories import FollowFactory
from talks.models import Talk
from talks.tests.factories import TalkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def readers_things(reader, author):
    services.replace_avatar(reader, process_avatar(picture()))
    post = PostFactory(author=reader, body="Mine")
    talk = TalkFactory(post__author=reader)
    others_post = PostFactory(author=author)
    comment = CommentFactory(post=others_post, author=reader, body="I said this")
    AppointmentFactory(owner=reader)
    FollowFactory(follower=reader, followed=author)
    FollowFactory(follower=author, followed=reader)
    return {"post": post, "talk": talk, "comment": comment, "avatar": reader.avatar.name}


def _logged_in(user):
    client = Client()
    assert (
        client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}).status_code == 302
    )
    return client


def _delete(client, content="delete", password=PASSWORD, **extra):
    return client.post(
        reverse("accounts:delete_account"), {"content": content, "password": password, **extra}
    )


def test_delete_and_erase_everything(reader, readers_things):
    client = _logged_in(reader)
    other_browser = _logged_in(reader)
    response = _delete(client)
    assert response.status_code == 302
    assert not User.objects.filter(pk=reader.pk).exists()
    assert not Post.objects.filter(pk=readers_things["post"].pk).exists()
    assert not Talk.objects.filter(pk=readers_things["talk"].pk).exists()
    comment = Comment.objects.get(pk=readers_things["comment"].pk)
    assert comment.body == "[deleted]"
    assert personal_data.is_placeholder(comment.author)
    assert not Follow.objects.exists()
    assert not Appointment.objects.exists()
    assert not EmailAddress.objects.filter(email=reader.email).exists()
    assert not UserSession.objects.exists()
    assert not default_storage.exists(readers_things["avatar"])
    # Logged out in both browsers.
    assert client.get(reverse("accounts:edit_profile")).status_code == 302
    assert other_browser.get(reverse("accounts:edit_profile")).status_code == 302


def test_delete_and_keep_posts_as_a_deleted_user(reader, author, readers_things):
    response = _delete(_logged_in(reader), content="keep")
    assert response.status_code == 302
    post = Post.objects.get(pk=readers_things["post"].pk)
    assert personal_data.is_placeholder(post.author)
    assert Talk.objects.get(pk=readers_things["talk"].pk).post.author == post.author
    assert not post.author.is_active and not post.author.has_usable_password()
    # The kept post is still on the home page, under the placeholder's name.
    page = Client().get(reverse("home")).content.decode()
    assert "Mine" in page and post.author.username in page
    assert not User.objects.filter(pk=reader.pk).exists()


def test_the_address_can_register_again(client, reader, readers_things):
    email = reader.email
    _delete(_logged_in(reader))
    response = client.post(
        reverse("account_signup"),
        {
            "email": email,
            "username": "reborn",
            "password1": "a-new-long-password",
            "password2": "a-new-long-password",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email=email).username == "reborn"


def test_a_wrong_password_deletes_nothing(reader, readers_things):
    client = _logged_in(reader)
    response = _delete(client, password="wrong")
    assert response.status_code == 400
    assert "not your password" in response.content.decode()
    reader.refresh_from_db()
    assert reader.is_active
    assert Post.objects.filter(author=reader).count() == 2
    assert client.get(reverse("accounts:edit_profile")).status_code == 200


def test_two_factor_needs_the_code_too(reader):
    secret = turn_on_two_factor(reader)
    client = Client()
    client.post(reverse("account_login"), {"login": reader.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    wrong = "123456" if totp_code(secret) != "123456" else "654321"

    assert _delete(client).status_code == 400  # no code
    assert _delete(client, code=wrong).status_code == 400
    assert User.objects.get(pk=reader.pk).is_active

    recovery = Authenticator.objects.get(user=reader, type=Authenticator.Type.RECOVERY_CODES).wrap()
    assert _delete(client, code=recovery.get_unused_codes()[0]).status_code == 302
    assert not User.objects.filter(pk=reader.pk).exists()


def test_the_account_is_deactivated_at_once_and_erased_by_the_task(reader, settings, monkeypatch):
    """With a queue, the task runs later: until then the account is inactive and cannot log in."""
    from accounts import views

    queued = []
    monkeypatch.setattr(views, "enqueue_after_commit", lambda task, **kwargs: queued.append(kwargs))
    _delete(_logged_in(reader), content="keep")
    reader.refresh_from_db()
    assert not reader.is_active and not reader.has_usable_password()
    assert queued == [{"user_id": reader.pk, "keep_content": True}]
    response = Client().post(reverse("account_login"), {"login": reader.email, "password": PASSWORD})
    assert "_auth_user_id" not in response.wsgi_request.session


def test_the_page_is_a_form_on_get(reader_client, reader):
    response = reader_client.get(reverse("accounts:delete_account"))
    assert response.status_code == 200
    assert User.objects.get(pk=reader.pk).is_active


def test_a_bad_choice_is_refused(reader):
    response = _delete(_logged_in(reader), content="both")
    assert response.status_code == 400
    assert User.objects.get(pk=reader.pk).is_active
