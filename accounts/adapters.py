"""allauth hooks: Flasky's messages, confirmation kept on the user, and email sent through the task queue."""

from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.email_verification import send_verification_email_for_user
from allauth.core import context as allauth_context
from django.conf import settings
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
        # allauth sends some notices (two-factor login turned on or off) once the transaction commits,
        # which may be after its request context has ended: the site is then SITE_URL's.
        site = (
            get_current_site(request)
            if request is not None
            else SimpleNamespace(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)
        )
        ctx = {"request": request, "email": email, "current_site": site, **context}
        queue_message(self.render_mail(template_prefix, email, ctx))

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
