"""Your own data: the export (a ZIP in default_storage, downloadable once) and the erasure of an account.

The account's own part (profile, avatar, addresses, sessions, authenticators) is here; the higher apps'
part (posts, comments, talks, follows, appointments) is found through the ``personal_data`` registry: an
app's AppConfig names a module with ``export(user) -> {file name: JSON data}``, optionally
``stored_files(user) -> [(file name, storage name)]`` (files copied into the ZIP: a post's pictures), and
``erase(user, *, keep_content, placeholder)`` (schedule.personal_data covers every app above accounts).
"""

import io
import json
import secrets
import zipfile
from datetime import timedelta
from importlib import import_module
from pathlib import PurePosixPath

from allauth.usersessions.models import UserSession
from django.apps import apps
from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import DataExport, User

EXPORT_SALT = "accounts.data_export"
PLACEHOLDER_EMAIL = "deleted-user@flasky.invalid"
PLACEHOLDER_USERNAME = "deleted"


def _modules():
    for app_config in apps.get_app_configs():
        path = getattr(app_config, "personal_data", None)
        if path:
            yield import_module(path)


# --- The export -------------------------------------------------------------------------------------------


class ExportPending(Exception):
    """The user has an export that is still being built or waiting for its download."""


def request_export(user):
    """Record a new export (one open at a time) and queue the task that builds it; returns the row."""
    from accounts.tasks import build_data_export  # (the task module imports this one)
    from flasky_project.tasks import enqueue_after_commit

    with transaction.atomic():
        # Lock the user's row so that two requests at once cannot both pass the check.
        User.objects.select_for_update().get(pk=user.pk)
        if DataExport.objects.open_for(user).exists():
            raise ExportPending
        export = DataExport.objects.create(
            user=user, expires=timezone.now() + timedelta(hours=settings.FLASKY_DATA_EXPORT_HOURS)
        )
        enqueue_after_commit(build_data_export, export_id=export.pk)
    return export


def profile_data(user):
    return {
        "username": user.username,
        "email": user.email,
        "name": user.name,
        "location": user.location,
        "about_me": user.about_me,
        "role": user.role,
        "confirmed": user.confirmed,
        "member_since": user.member_since.isoformat(),
        "last_seen": user.last_seen.isoformat(),
        "language": user.language,
        "timezone": user.timezone,
        "email_opt_outs": list(user.email_opt_outs.values_list("kind", flat=True)),
    }


def build_zip(user):
    """The ZIP's bytes: profile.json, each app's files, and the avatar (read through default_storage)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("profile.json", json.dumps(profile_data(user), indent=2, ensure_ascii=False))
        files = []
        for module in _modules():
            for name, data in module.export(user).items():
                archive.writestr(name, json.dumps(data, indent=2, ensure_ascii=False))
            files += getattr(module, "stored_files", lambda user: [])(user)
        if user.avatar:
            files.append((f"avatar{PurePosixPath(user.avatar.name).suffix}", user.avatar.name))
        for name, stored in files:
            _copy_stored_file(archive, name, stored)
    return buffer.getvalue()


def _copy_stored_file(archive, name, stored):
    """Copy a file from default_storage into the ZIP, one at a time; a file gone from storage is left out."""
    if default_storage.exists(stored):
        with default_storage.open(stored, "rb") as source, archive.open(name, "w") as target:
            for chunk in source.chunks():  # File.chunks: 64 KB at a time, from local storage or S3
                target.write(chunk)


def store_export(export):
    """Build the export's ZIP and save it in default_storage; the name it was stored under."""
    name = f"exports/{export.user_id}-{secrets.token_hex(16)}.zip"
    stored = default_storage.save(name, ContentFile(build_zip(export.user)))
    DataExport.objects.filter(pk=export.pk).update(file_name=stored, ready=timezone.now())
    return stored


def download_token(export):
    return signing.dumps({"export": export.pk, "user": export.user_id}, salt=EXPORT_SALT)


def export_for_download(token, user):
    """The ready export the token names, if it is the user's, unexpired and not downloaded yet; it is
    marked downloaded here (once only, even with two requests at once). None otherwise."""
    try:
        payload = signing.loads(token, salt=EXPORT_SALT, max_age=settings.FLASKY_DATA_EXPORT_HOURS * 3600)
    except signing.BadSignature:
        return None
    if payload.get("user") != user.pk:
        return None
    now = timezone.now()
    claimed = DataExport.objects.filter(
        pk=payload.get("export"), user=user, ready__isnull=False, downloaded__isnull=True, expires__gt=now
    ).update(downloaded=now)
    return DataExport.objects.get(pk=payload["export"]) if claimed else None


def delete_export_file(export):
    if export.file_name:
        default_storage.delete(export.file_name)
        DataExport.objects.filter(pk=export.pk).update(file_name="")


def delete_expired_exports(now=None):
    """Delete the files of expired or downloaded exports and the expired rows; how many rows went."""
    now = now or timezone.now()
    done = Q(expires__lte=now) | Q(downloaded__isnull=False)
    for export in DataExport.objects.exclude(file_name="").filter(done):
        delete_export_file(export)
    return DataExport.objects.expired(now).delete()[0]


# --- Erasure ------------------------------------------------------------------------------------------------


def placeholder_user():
    """The "deleted user" that kept posts and comments of erased accounts belong to: inactive, no password,
    no address anyone can confirm."""
    user = User.objects.filter(email=PLACEHOLDER_EMAIL).first()
    if user is None:
        username = PLACEHOLDER_USERNAME
        while User.objects.filter(username__iexact=username).exists():
            username = f"{PLACEHOLDER_USERNAME}_{secrets.token_hex(3)}"
        user = User(email=PLACEHOLDER_EMAIL, username=username, is_active=False, confirmed=False)
        user.set_unusable_password()
        user.save()
    return user


def is_placeholder(user):
    return user.email == PLACEHOLDER_EMAIL


def end_all_sessions(user):
    """Log the user out in every browser: allauth's session list, and the sessions themselves."""
    for session in UserSession.objects.filter(user=user):
        session.end()


def deactivate(user):
    """The moment an account is deleted: it cannot log in, its sessions and API tokens stop working."""
    user.is_active = False
    # A new password hash: every session (Django checks its hash) and every API token (stamped with it)
    # becomes invalid at once.
    user.set_unusable_password()
    user.save(update_fields=["is_active", "password"])
    end_all_sessions(user)


@transaction.atomic
def erase(user, *, keep_content):
    """Erase the account: the apps' data (posts and talks deleted or kept under the placeholder), then the
    avatar and exports' files, then the user row, with everything that cascades from it (email
    addresses, so the address can register again; authenticators; sessions' list; opt-outs; blocks)."""
    placeholder = placeholder_user()
    for module in _modules():
        module.erase(user, keep_content=keep_content, placeholder=placeholder)
    end_all_sessions(user)
    for export in DataExport.objects.filter(user=user):
        delete_export_file(export)
    avatar = user.avatar.name if user.avatar else ""
    user.delete()
    if avatar:
        transaction.on_commit(lambda: default_storage.delete(avatar))
