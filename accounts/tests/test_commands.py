"""manage.py adduser, deploy, fakedata --users and seed_demo."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError

from accounts.models import Role, User
from accounts.tests.factories import UserFactory
from accounts.validators import validate_username

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "a-perfectly-fine-password-9"


@pytest.fixture
def password_env(monkeypatch):
    monkeypatch.setenv("DJANGO_USER_PASSWORD", GOOD_PASSWORD)


def test_adduser_creates_a_confirmed_user(password_env):
    call_command("adduser", "Susan@Example.com", "susan", "--noinput")
    user = User.objects.get(username="susan")
    assert (user.email, user.role, user.confirmed) == ("susan@example.com", Role.USER, True)
    assert user.check_password(GOOD_PASSWORD)
    assert EmailAddress.objects.get(user=user).verified


def test_adduser_admin_flag_makes_an_administrator(password_env):
    call_command("adduser", "boss@example.com", "boss", "--admin", "--noinput")
    assert User.objects.get(username="boss").role == Role.ADMINISTRATOR


def test_adduser_role_and_unconfirmed(password_env):
    call_command("adduser", "mod@example.com", "mod", "--role", "moderator", "--unconfirmed", "--noinput")
    user = User.objects.get(username="mod")
    assert (user.role, user.confirmed) == (Role.MODERATOR, False)


def test_adduser_asks_for_the_password_twice(monkeypatch):
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    call_command("adduser", "susan@example.com", "susan")
    assert User.objects.get(username="susan").check_password(GOOD_PASSWORD)


def test_adduser_refuses_passwords_that_differ(monkeypatch):
    answers = iter([GOOD_PASSWORD, "something-else-entirely"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="do not match"):
        call_command("adduser", "susan@example.com", "susan")
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("email", "username", "message"),
    [
        ("TAKEN@example.com", "fresh", "Email already registered"),
        ("fresh@example.com", "TAKEN", "Username already in use"),
        ("not-an-email", "fresh", "Invalid email address"),
        ("fresh@example.com", "9lives", "Usernames must have only letters"),
    ],
)
def test_adduser_refuses_bad_or_duplicate_values(password_env, email, username, message):
    UserFactory(username="taken", email="taken@example.com")
    with pytest.raises(CommandError, match=message):
        call_command("adduser", email, username, "--noinput")
    assert User.objects.count() == 1


def test_adduser_noinput_needs_the_password_variable(monkeypatch):
    monkeypatch.delenv("DJANGO_USER_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="DJANGO_USER_PASSWORD"):
        call_command("adduser", "susan@example.com", "susan", "--noinput")


def test_adduser_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("DJANGO_USER_PASSWORD", "123")
    with pytest.raises(CommandError, match="Password not accepted"):
        call_command("adduser", "susan@example.com", "susan", "--noinput")


def test_adduser_exits_with_status_1_on_error(monkeypatch):
    monkeypatch.delenv("DJANGO_USER_PASSWORD", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "adduser", "x@example.com", "x", "--noinput"])
    assert exit_info.value.code == 1


def test_deploy_is_idempotent_and_promotes_flasky_admins(settings):
    user = UserFactory(email="chief@example.com")
    settings.FLASKY_ADMIN = ["chief@example.com"]
    call_command("deploy", verbosity=0)
    call_command("deploy", verbosity=0)
    user.refresh_from_db()
    assert user.role == Role.ADMINISTRATOR
    assert not Group.objects.exists()  # roles are a field and a table in code (accounts.roles)


def test_fakedata_creates_confirmed_users_with_valid_unique_names():
    call_command("fakedata", "--users", "120", "--seed", "1")
    users = list(User.objects.all())
    assert len(users) == 120
    assert len({user.username.lower() for user in users}) == 120
    assert all(user.confirmed and user.email == user.email.lower() for user in users)
    for user in users:
        validate_username(user.username)
    assert users[0].check_password("password")
    assert EmailAddress.objects.count() == 120


def test_fakedata_without_sizes_says_what_to_do():
    with pytest.raises(CommandError, match="Nothing to do"):
        call_command("fakedata")


def test_fakedata_refuses_a_negative_size():
    with pytest.raises(CommandError):
        call_command("fakedata", "--users", "-5")


def test_seed_demo_is_idempotent():
    call_command("seed_demo")
    count = User.objects.count()
    call_command("seed_demo")
    assert User.objects.count() == count
    assert User.objects.get(username="admin").role == Role.ADMINISTRATOR
    assert User.objects.get(username="moderator").role == Role.MODERATOR
    assert User.objects.get(username="alice").check_password("flasky-demo")
