"""allauth hooks: Flasky's messages, confirmation kept on the user, email sent through the task queue, and
limits on failed logins that an attacker cannot turn against the account's owner."""

from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.email_verification import send_verification_email_for_user
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from allauth.core import ratelimit
from allauth.core.internal import ratelimit as allauth_ratelimit
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.utils.translation import gettext_lazy as _

from accounts import devices, services
from accounts.models import User
from flasky_project.email import queue_message


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_taken": _("Email already registered."),
        "username_taken": _("Username already in use."),
    }

    def send_mail(self, template_prefix, email, context):
        """Render as allauth does, then hand the message to the task queue instead of SMTP."""
        request = allauth_context.request
        # allauth sends some notices (two-factor login turned on or off) once the transaction commits,
        # which may be after its request context has ended: the site is then SITE_URL's.
        site = (
            get_current_site(request)
            if request is not None
            else SimpleNamespace(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)
        )
        ctx = {"request": request, "email": email, "current_site": site, **context}
        queue_message(self.render_mail(template_prefix, email, ctx))

    def pre_authenticate(self, request, **credentials):
        """Count failed logins per account *and* address (allauth's ``login_failed`` rates, keyed by both),
        so that wrong passwords from one place lock out that place and not the owner elsewhere; and per
        account under a higher ceiling (``login_failed_account``) against attacks from many addresses,
        which a correct password from one of the owner's known devices passes.

        allauth rolls back ``_login_failed_rl_usage`` when the password was right (the pinned version;
        accounts/tests/test_login_limits.py covers it)."""
        account = self._get_login_attempts_cache_key(request, **credentials)
        used = _Consumed()
        for action, key, applies in (
            ("login_failed", f"{account}:{self.get_client_ip(request)}", True),
            ("login_failed_account", account, not self._is_known_device(request, credentials)),
        ):
            if not applies:
                continue
            # allauth's own adapter consumes through this internal function: only it returns the usage
            # that a correct password rolls back.
            usage = allauth_ratelimit.consume(request, app="allauth.account", action=action, key=key)
            if not usage:
                used.rollback()  # a refused attempt does not count against the owner's own address
                raise self.validation_error("too_many_login_attempts")
            used.append(usage)
        self._login_failed_rl_usage = used

    def _delete_login_attempts_cached_email(self, request, **credentials):
        """After a password reset (proof of the mailbox), forget the failures as allauth does: ours are
        kept under other keys."""
        account = self._get_login_attempts_cache_key(request, **credentials)
        ratelimit.clear(request, action="login_failed_account", key=account)
        ratelimit.clear(request, action="login_failed", key=f"{account}:{self.get_client_ip(request)}")

    @staticmethod
    def _is_known_device(request, credentials):
        known = devices.known_accounts(request)
        email = credentials.get("email") or ""
        return bool(known and email) and User.objects.by_email(email).filter(pk__in=known).exists()

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        devices.remember_device(request, response, user)
        return response

    def send_password_reset_mail(self, user, email, context):
        """Only to an address its owner has confirmed (Explore Flask's rule): a reset link is a login, and
        an unconfirmed address may be a typo or someone else's. The page answers the same either way."""
        # allauth's verified address, or the account's own confirmed one (an account made by
        # createsuperuser has no allauth address row, but is confirmed).
        own = user.confirmed and user.email.lower() == (email or "").lower()
        if own or EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists():
            super().send_password_reset_mail(user, email, context)

    def resend_confirmation(self, request, user):
        """Send the confirmation email again, within allauth's rate limit per address; False if it was not
        sent. allauth has no public function for this: its internal one is used here, and only here (the
        pinned version's tests cover it)."""
        return send_verification_email_for_user(request, user)

    def confirm_email(self, request, email_address):
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            services.confirm_from_address(email_address)
        return confirmed


class _Consumed(list):
    """The rate limit usages of one login attempt, rolled back together."""

    def rollback(self):
        for usage in self:
            usage.rollback()
