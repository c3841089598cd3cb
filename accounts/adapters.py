"""allauth hooks: Flasky's messages, confirmation kept on the user, and email sent through the task queue."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.email_verification import send_verification_email_for_user
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.utils.translation import gettext_lazy as _

from accounts import services
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
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        queue_message(self.render_mail(template_prefix, email, ctx))

    def send_password_reset_mail(self, user, email, context):
        """Only to an address its owner has confirmed (Explore Flask's rule): a reset link is a login, and
        an unconfirmed address may be a typo or someone else's. The page answers the same either way."""
        if EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists():
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
