"""Reporting from the site, the moderators' queue of reports, and a suspended member's notice page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import MODERATE
from flasky_project.pagination import window
from flasky_project.redirects import redirect_back
from moderation import services
from moderation.forms import ReportForm, ResolveForm
from moderation.models import Kind, Report


def _target(request, kind, pk):
    target = services.target_for_kind(kind, pk, viewer=request.user)
    if target is None:
        raise Http404(_("There is nothing to report here."))
    return target


@login_required
def report(request, kind, pk):
    """The report form for a post, a comment or a user (GET), and filing it (POST)."""
    target = _target(request, kind, pk)
    form = ReportForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_valid():
        try:
            services.report(reporter=request.user, target=target, **form.cleaned_data)
        except services.Refused as refusal:
            messages.error(request, refusal.message)
            status = 400
        else:
            messages.success(request, _("Thank you. A moderator will look at your report."))
            return redirect(_back_to(target))
    elif form.is_bound:
        status = 400
    return render(
        request, "moderation/report.html", {"form": form, "target": target, "kind": kind}, status=status
    )


def _back_to(target):
    return target.get_absolute_url()


@login_required
@permission_required(MODERATE, raise_exception=True)
def queue(request):
    """The reports, newest first, filtered by kind and state (open by default)."""
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    state = "resolved" if request.GET.get("state") == "resolved" else "open"
    reports = Report.objects.open() if state == "open" else Report.objects.resolved()
    if kind:
        reports = reports.filter(kind=kind)
    page = window(request, reports.for_queue(), settings.FLASKY_COMMENTS_PER_PAGE)
    context = {"page": page, "kind": kind, "state": state, "kinds": Kind.choices, "form": ResolveForm()}
    return render(request, "moderation/queue.html", context)


@require_POST
@login_required
@permission_required(MODERATE, raise_exception=True)
def resolve(request, pk):
    filed = get_object_or_404(Report.objects.select_related("post", "comment", "user"), pk=pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an action."))
        return redirect_back(request, "moderation:queue")
    action, days = form.action_and_days()
    try:
        services.resolve(filed, by=request.user, action=action, days=days, note=form.cleaned_data["note"])
    except services.Refused as refusal:
        messages.error(request, refusal.message)
        return redirect_back(request, "moderation:queue")
    messages.success(request, _("The report has been resolved."))
    return redirect_back(request, "moderation:queue")


@login_required
def suspended(request):
    """What a suspended member may read: until when, and the moderator's note."""
    sanction = services.current_suspension(request.user)
    if sanction is None:
        return redirect("home")
    return render(request, "moderation/suspended.html", {"sanction": sanction, "user": request.user})
