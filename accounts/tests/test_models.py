"""The user model: identity rules, roles and permissions, avatars."""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Role, User
from accounts.roles import ADMIN, COMMENT, FOLLOW, MODERATE, WRITE
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ALL_PERMISSIONS = [FOLLOW, COMMENT, WRITE, MODERATE, ADMIN]


def test_password_is_hashed_and_verified():
    user = UserFactory(password="cat-and-mouse-42")
    assert user.password and "cat-and-mouse-42" not in user.password
    assert user.check_password("cat-and-mouse-42")
    assert not user.check_password("dog-and-mouse-42")


def test_password_salts_are_random():
    first, second = UserFactory(password="same-password-123"), UserFactory(password="same-password-123")
    assert first.password != second.password


def test_email_is_stored_lower_case():
    user = UserFactory(email="John.Smith@Example.COM")
    user.refresh_from_db()
    assert user.email == "john.smith@example.com"


def test_email_is_unique_regardless_of_case():
    UserFactory(email="john@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("JOHN@example.com", "otherjohn", "x-password-123")


def test_database_refuses_an_upper_case_email_written_around_save():
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(email="Shouting@Example.com")


def test_username_is_unique_regardless_of_case():
    UserFactory(username="john")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("other@example.com", "John", "x-password-123")


def test_timestamps_are_set_on_creation():
    before = timezone.now()
    user = User.objects.create_user("stamps@example.com", "stamps")
    assert before <= user.member_since <= timezone.now()
    assert before <= user.last_seen <= timezone.now()


@pytest.mark.parametrize(
    ("role", "granted"),
    [
        (Role.USER, [FOLLOW, COMMENT, WRITE]),
        (Role.MODERATOR, [FOLLOW, COMMENT, WRITE, MODERATE]),
        (Role.ADMINISTRATOR, ALL_PERMISSIONS),
    ],
)
def test_role_permissions_follow_flaskys_table(role, granted):
    user = User.objects.get(pk=UserFactory(role=role).pk)
    assert {perm: user.has_perm(perm) for perm in ALL_PERMISSIONS} == {
        perm: perm in granted for perm in ALL_PERMISSIONS
    }


def test_anonymous_user_has_no_permission():
    assert not any(AnonymousUser().has_perm(perm) for perm in ALL_PERMISSIONS)


def test_inactive_user_has_no_permission():
    user = UserFactory(role=Role.ADMINISTRATOR, is_active=False)
    assert not any(user.has_perm(perm) for perm in ALL_PERMISSIONS)
    assert not user.is_staff


def test_new_users_get_the_user_role():
    assert UserFactory().role == Role.USER


@pytest.mark.parametrize("email", ["admin@example.com", "Admin@Example.com"])
def test_flasky_admin_address_becomes_administrator_on_creation(email, settings):
    settings.FLASKY_ADMIN = ["admin@example.com"]
    assert User.objects.create_user(email, "boss", "x-password-123").role == Role.ADMINISTRATOR


def test_flasky_admin_applies_to_factories_too(settings):
    settings.FLASKY_ADMIN = ["chief@example.com"]
    assert UserFactory(email="chief@example.com").role == Role.ADMINISTRATOR


def test_createsuperuser_path_makes_a_confirmed_administrator():
    user = User.objects.create_superuser("root@example.com", "root", "x-password-123")
    assert (user.role, user.confirmed, user.is_staff, user.is_superuser) == (
        Role.ADMINISTRATOR,
        True,
        True,
        True,
    )


def test_only_moderators_and_administrators_are_staff():
    assert not UserFactory().is_staff
    assert UserFactory(role=Role.MODERATOR).is_staff
    assert UserFactory(role=Role.ADMINISTRATOR).is_staff


def test_gravatar_url_matches_flaskys_check_values():
    user = UserFactory(email="john@example.com")
    assert user.gravatar_url().startswith(
        "https://secure.gravatar.com/avatar/d4c74594d841139328695756648b6bd6"
    )
    assert "s=256" in user.gravatar_url(size=256)
    assert "r=pg" in user.gravatar_url(rating="pg")
    assert "d=retro" in user.gravatar_url(default="retro")


def test_avatar_url_is_a_gravatar_identicon_without_an_upload_when_turned_on(settings):
    settings.FLASKY_GRAVATAR = True
    user = UserFactory()
    assert user.avatar_url(40) == user.gravatar_url(size=40)
    assert "d=identicon" in user.avatar_url(40)


def test_avatar_url_is_the_upload_when_there_is_one():
    user = UserFactory(avatar="avatars/1-abc.webp")
    # The storage's address for it: /media/… on the local folder, the bucket's (maybe signed) URL on S3.
    expected = (
        "/media/avatars/1-abc.webp"
        if settings.MEDIA_STORAGE == "local"
        else default_storage.url(user.avatar.name)
    )
    assert user.avatar_url(40).split("?")[0] == expected.split("?")[0]


def test_absolute_url_is_the_profile():
    assert UserFactory(username="susan").get_absolute_url() == "/user/susan/"


def test_str_is_the_username():
    assert str(UserFactory(username="susan")) == "susan"
