"""Account pages outside allauth: profiles, the profile editors, the unconfirmed page, the language switch."""

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import inbox, notifications
from accounts.forms import AdminProfileForm, EmailPreferencesForm, ProfileForm
from accounts.middleware import open_to_unconfirmed
from accounts.models import User
from flasky_project.converters import is_id
from flasky_project.errors import error_response, wants_json
from flasky_project.forms import form_data
from flasky_project.redirects import redirect_back

LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 60 * 60


@login_required
def edit_profile(request):
    form = ProfileForm(*form_data(request), instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been updated."))
        return redirect(request.user)
    return render(request, "accounts/edit_profile.html", {"form": form, "editing": request.user})


@login_required
@permission_required("accounts.admin", raise_exception=True)
def edit_profile_admin(request, pk):
    user = get_object_or_404(User, pk=pk)
    form = AdminProfileForm(*form_data(request), instance=user, editor=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        messages.success(request, _("The profile has been updated."))
        return redirect(user)
    return render(request, "accounts/edit_profile.html", {"form": form, "editing": user, "as_admin": True})


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
        settings.LANGUAGE_COOKIE_NAME, language, max_age=LANGUAGE_COOKIE_MAX_AGE, samesite="Lax"
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
    return render(request, "accounts/email_preferences.html", {"form": form})


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


# --- The site's notifications (made by accounts.notifications, read and marked by accounts.inbox) ---


@login_required
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
