"""Account pages outside allauth: profiles, the profile editors, the unconfirmed page, the language switch."""

from allauth.account.internal.flows.email_verification import send_verification_email_for_user
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import AdminProfileForm, ProfileForm
from accounts.models import User

LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 60 * 60


def profile(request, username):
    user = get_object_or_404(User, username=username)
    return render(request, "accounts/profile.html", profile_header_context(request, user))


def profile_header_context(request, profile_user):
    """What the profile header partial needs to know about the viewer."""
    is_admin = request.user.has_perm("accounts.admin")
    return {
        "profile_user": profile_user,
        "show_email": is_admin,
        "can_edit_own": request.user.pk == profile_user.pk,
        "can_edit_as_admin": is_admin,
    }


@login_required
def edit_profile(request):
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been updated."))
        return redirect(request.user)
    return render(request, "accounts/edit_profile.html", {"form": form, "editing": request.user})


@login_required
@permission_required("accounts.admin", raise_exception=True)
def edit_profile_admin(request, pk):
    user = get_object_or_404(User, pk=pk)
    form = AdminProfileForm(request.POST or None, request.FILES or None, instance=user)
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
    if not send_verification_email_for_user(request, request.user):
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
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
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
