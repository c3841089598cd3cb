"""Account pages outside allauth: profiles, the profile editors, the unconfirmed page, the language switch."""

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required, permission_required
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import inbox, letter_avatars, notifications, personal_data
from accounts.forms import AdminProfileForm, DeleteAccountForm, EmailPreferencesForm, ProfileForm
from accounts.middleware import open_to_unconfirmed
from accounts.models import DataExport, User
from accounts.tasks import erase_account
from flasky_project.converters import is_id
from flasky_project.errors import error_response, wants_json
from flasky_project.forms import form_data
from flasky_project.ratelimit import allow
from flasky_project.readahead import reads_ahead
from flasky_project.redirects import redirect_back
from flasky_project.shells import kept_for_members
from flasky_project.tasks import enqueue_after_commit

LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 60 * 60


def _status(form):
    """400 for a form sent with errors, as every form of the site answers."""
    return 400 if form.is_bound and form.errors else 200


def _over_edit_limit(request):
    """Whether this POST is one save too many for the editing user (counted in the cache: every save may
    decode an avatar); if so, says why."""
    if request.method != "POST" or allow(
        request, "edit_profile", limit=settings.FLASKY_PROFILE_EDITS_PER_HOUR, period=60 * 60
    ):
        return False
    messages.error(
        request,
        _("You have edited your profile many times in the last hour. Please try again later."),
    )
    return True


@require_GET
@open_to_unconfirmed
def letter_avatar(request, letters, colour, kind):
    """A letter avatar (accounts.letter_avatars). Its address says all it shows, so it never changes: a
    year's immutable caching, no query."""
    colour = int(colour)
    if colour >= len(letter_avatars.PALETTE):
        raise Http404
    if kind == "svg":
        response = HttpResponse(letter_avatars.svg(letters, colour), content_type="image/svg+xml")
    else:
        response = HttpResponse(letter_avatars.png(letters, colour), content_type="image/png")
    patch_cache_control(response, public=True, max_age=365 * 24 * 3600, immutable=True)
    return response


@login_required
def edit_profile(request):
    data, files = form_data(request)
    limited = _over_edit_limit(request)
    # Over the limit the form is shown again with what was typed, without the upload: nothing decoded.
    form = ProfileForm(data, None if limited else files, instance=request.user)
    if not limited and request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been updated."))
        return redirect(request.user)
    context = {"form": form, "editing": request.user, "gravatar": settings.FLASKY_GRAVATAR}
    return render(request, "accounts/edit_profile.html", context, status=429 if limited else _status(form))


@login_required
@permission_required("accounts.admin", raise_exception=True)
def edit_profile_admin(request, pk):
    user = get_object_or_404(User, pk=pk)
    data, files = form_data(request)
    limited = _over_edit_limit(request)
    form = AdminProfileForm(data, None if limited else files, instance=user, editor=request.user)
    if not limited and request.method == "POST" and form.is_valid():
        user = form.save()
        messages.success(request, _("The profile has been updated."))
        return redirect(user)
    context = {"form": form, "editing": user, "as_admin": True, "gravatar": settings.FLASKY_GRAVATAR}
    return render(request, "accounts/edit_profile.html", context, status=429 if limited else _status(form))


def unconfirmed(request):
    if not request.user.is_authenticated or request.user.confirmed:
        return redirect("/")
    return render(request, "accounts/unconfirmed.html")


@require_POST
@login_required
def resend_confirmation(request):
    if request.user.confirmed:
        return redirect("/")
    # allauth rate-limits this per address and adds its own "sent" message when it sends.
    if not get_adapter(request).resend_confirmation(request, request.user):
        messages.warning(
            request,
            _(
                "A confirmation email was sent a moment ago. "
                "Please check your inbox, or try again in a few minutes."
            ),
        )
    return redirect("accounts:unconfirmed")


@require_POST
def set_language(request):
    """Switch the interface language: remembered in a cookie, and as the preference of a logged-in user."""
    language = request.POST.get("language", "")
    response = redirect_back(request, "/")
    if language not in dict(settings.LANGUAGES):
        messages.error(request, _("That language is not available."))
        return response
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=LANGUAGE_COOKIE_MAX_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    if request.user.is_authenticated and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


@login_required
def email_preferences(request):
    form = EmailPreferencesForm(*form_data(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification preferences have been saved."))
        return redirect("accounts:email_preferences")
    return render(request, "accounts/email_preferences.html", {"form": form}, status=_status(form))


# The token in the address is the credential (it is signed and names what it stops: one kind of email for
# one user, or part of it such as one post's comments), so a forged request cannot unsubscribe anyone without
# it. Exempt from CSRF so that mail programs can send the RFC 8058 one-click POST. Every unsubscribe link,
# old or new, comes here (see accounts.notifications).
@open_to_unconfirmed
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    subscription = notifications.read_unsubscribe_token(token)
    if subscription is None:
        return render(request, "accounts/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        subscription.stop()
        return render(request, "accounts/unsubscribe.html", {"done": True, "subscription": subscription})
    return render(request, "accounts/unsubscribe.html", {"subscription": subscription, "token": token})


@login_required
def data_export(request):
    """Ask for a copy of your data: a task builds it and emails a link (one export open at a time)."""
    if request.method == "POST":
        try:
            personal_data.request_export(request.user)
        except personal_data.ExportPending:
            messages.error(request, _("You already asked for a copy of your data: check your email."))
            return redirect("accounts:data_export")
        messages.success(
            request, _("We are preparing a copy of your data. We will email you a link when it is ready.")
        )
        return redirect("accounts:data_export")
    pending = DataExport.objects.open_for(request.user).order_by("-requested").first()
    return render(request, "accounts/data_export.html", {"pending": pending})


@login_required
def data_export_download(request, token):
    """The emailed link: only for its owner, logged in; once; until it expires. The file is streamed from
    default_storage through this view (so the checks above hold) and deleted once sent."""
    export = personal_data.export_for_download(token, request.user)
    if export is None or not export.file_name:
        return render(request, "accounts/data_export_gone.html", status=404)
    name = export.file_name

    def stream():
        try:
            with default_storage.open(name, "rb") as archive:
                while chunk := archive.read(64 * 1024):
                    yield chunk
        finally:
            personal_data.delete_export_file(export)

    response = StreamingHttpResponse(stream(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="flasky-{request.user.username}.zip"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def delete_account(request):
    """Delete your account: deactivated and logged out everywhere at once, erased by a task."""
    form = DeleteAccountForm(*form_data(request), user=request.user, request=request)
    if request.method == "POST" and form.is_valid():
        user = request.user
        with transaction.atomic():
            personal_data.deactivate(user)
            enqueue_after_commit(erase_account, user_id=user.pk, keep_content=form.keep_content)
        logout(request)
        messages.success(request, _("Your account has been deleted. Goodbye!"))
        return redirect("home")
    return render(request, "accounts/delete_account.html", {"form": form}, status=_status(form))


# --- The site's notifications (made by accounts.notifications, read and marked by accounts.inbox) ---


def _notifications_varies(request):
    """A reader's notifications are theirs alone: their page is kept for them (flasky_project.shells) under
    the generation of their notifications page, which a delivery or a marking renews when it is written and
    again when it commits (read ahead: accounts.notifications.page_generation), and the state of their
    notifications read with the session's user (User.with_unread_count: the newest's id and the unread count,
    which any new row or marking changes too); and under their day (its "Today" heading). What the items show
    of others (an actor renamed, a post deleted with its notifications) renews the page generation. None
    (drawn each time) when the user was read some other way."""
    user = request.user
    if not hasattr(user, "newest_notification") or getattr(user, "unread_notifications", None) is None:
        return None
    return (
        "notifications",
        user.pk,
        notifications.page_generation(user.pk),
        user.newest_notification,
        user.unread_notifications,
        timezone.localdate().isoformat(),
    )


@login_required
@reads_ahead("notifications")
@kept_for_members(_notifications_varies)
def notification_list(request):
    """The user's notifications, newest first, grouped by day; opening a page marks what it shows read."""
    page, days = inbox.page_of(request)
    return render(request, "notifications/list.html", {"page_obj": page, "days": days})


@require_POST
@login_required
def mark_notifications_read(request):
    """Mark the notifications named by ``id`` fields read, or all of them when there are none. JSON for the
    page's script, else a redirect back to the page."""
    ids = request.POST.getlist("id")
    if not all(is_id(value) for value in ids):
        return error_response(request, 400, _("There is no such notification."))
    marked = inbox.mark_read(request.user, [int(value) for value in ids] if ids else None)
    if wants_json(request):
        return JsonResponse({"marked": marked, "unread": inbox.unread_count(request.user)})
    if not ids:
        messages.success(request, _("All your notifications are marked as read."))
    return redirect_back(request, reverse("accounts:notifications"))


@require_GET
@login_required
def unread_notifications(request):
    """The navbar's count, polled by its script: read with the session's user, no query of its own."""
    response = JsonResponse({"unread": inbox.unread_count(request.user)})
    patch_cache_control(response, private=True, no_cache=True)
    return response
