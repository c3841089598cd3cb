"""Background work on accounts: building a data export, erasing a deleted account."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from accounts import personal_data
from accounts.models import DataExport, User
from flasky_project.email import absolute_url, send_templated_email


@task()
def build_data_export(*, export_id):
    """Build the ZIP and email its owner the link (which works once, for FLASKY_DATA_EXPORT_HOURS)."""
    export = DataExport.objects.select_related("user").filter(pk=export_id, ready__isnull=True).first()
    if export is None or not export.user.is_active:
        return
    personal_data.store_export(export)
    user = export.user
    link = absolute_url(reverse("accounts:data_export_download", args=[personal_data.download_token(export)]))
    send_templated_email(
        to=user.email,
        template="accounts/email/data_export",
        context={"user": user, "link": link, "hours": settings.FLASKY_DATA_EXPORT_HOURS},
        language=user.language or translation.get_language(),
    )


@task()
def erase_account(*, user_id, keep_content):
    user = User.objects.filter(pk=user_id, is_active=False).first()
    if user is not None:
        personal_data.erase(user, keep_content=keep_content)
