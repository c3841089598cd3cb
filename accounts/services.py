"""Account operations that every caller (views, admin, commands, allauth hooks) goes through."""

from datetime import timedelta

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import versions
from accounts.models import Role, User

LAST_SEEN_INTERVAL_SECONDS = 60


@transaction.atomic
def create_user(*, email, username, password, role=None, confirmed=True):
    """Create an account with its allauth email address; FLASKY_ADMIN addresses become Administrators."""
    user = User(email=email, username=username, role=role or Role.USER, confirmed=confirmed)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()  # FLASKY_ADMIN addresses become Administrators there, on every creation path
    add_primary_address(user)
    return user


def add_primary_address(user):
    """allauth's record of a new account's address (log in by email, confirmation, password reset)."""
    return EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=user.confirmed)


@transaction.atomic
def set_email(user, email, *, verified):
    """Give the user a new primary address (an administrator's change: no confirmation round trip)."""
    email = email.strip().lower()
    EmailAddress.objects.filter(user=user).exclude(email=email).delete()
    address, _ = EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"primary": True, "verified": verified}
    )
    user.email = email
    user.save(update_fields=["email"])
    return address


@transaction.atomic
def set_confirmed(user, confirmed):
    """Mark the account (and its primary email address) confirmed or not."""
    user.confirmed = confirmed
    user.save(update_fields=["confirmed"])
    EmailAddress.objects.filter(user=user, email=user.email).update(verified=confirmed)


def confirm_from_address(email_address):
    """allauth verified an address: if it is the user's address, the account is confirmed."""
    user = email_address.user
    user.refresh_from_db(fields=["email", "confirmed"])
    if not user.confirmed and email_address.email == user.email:
        user.confirmed = True
        user.save(update_fields=["confirmed"])


def set_role(user, role):
    user.role = Role(role)
    user.save(update_fields=["role"])


def replace_avatar(user, processed_file):
    """Store a processed avatar (see avatars.process_avatar) and delete the one it replaces."""
    old = user.avatar.name if user.avatar else ""
    user.avatar.save(processed_file.name, processed_file, save=False)
    user.save(update_fields=["avatar"])
    if old:
        user.avatar.storage.delete(old)


def remove_avatar(user):
    if user.avatar:
        user.avatar.delete(save=False)
        user.save(update_fields=["avatar"])


def record_last_seen(user, now=None):
    """Refresh last_seen at most once a minute: a conditional UPDATE, so most requests write nothing."""
    now = now or timezone.now()
    threshold = now - timedelta(seconds=LAST_SEEN_INTERVAL_SECONDS)
    if user.last_seen and user.last_seen > threshold:
        return False
    User.objects.filter(pk=user.pk, last_seen__lte=threshold).update(last_seen=now)
    user.last_seen = now
    return True


def refresh_session(request):
    """Note this session's address and time in its line of the user's session list (allauth's own tracking
    would write on every request; this runs with last_seen, at most once a minute)."""
    session_key = request.session.session_key
    if session_key:
        UserSession.objects.filter(session_key=session_key, user_id=request.user.pk).update(
            last_seen_at=timezone.now(), ip=get_adapter().get_client_ip(request)
        )


def promote_flasky_admins():
    """Make every existing FLASKY_ADMIN account an Administrator (run by `manage.py deploy`)."""
    promoted = User.objects.filter(email__in=settings.FLASKY_ADMIN).exclude(role=Role.ADMINISTRATOR)
    ids = list(promoted.values_list("pk", flat=True))
    count = User.objects.filter(pk__in=ids).update(role=Role.ADMINISTRATOR)
    for pk in ids:
        versions.changed(pk)  # (an UPDATE sends no signal: copies of the account kept for the API)
    return count
