"""Reporting, resolving reports, holds and sanctions: the one path for the site, the API and the admin."""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import notifications, versions
from accounts.models import SUSPENDED_FOR_GOOD, User
from accounts.roles import ADMIN, MODERATE
from blog.models import Comment, Moderation, Post
from moderation.models import Action, AuditEntry, Kind, Reason, Report, Sanction, SanctionKind, kind_of

# A suspension lasts one of these numbers of days, or (None) for good.
SUSPENSION_DAYS = (1, 7, 30, None)


class Refused(Exception):
    """Why a report or an action is refused, with the HTTP status that says so."""

    def __init__(self, message, status=400):
        super().__init__(str(message))
        self.message = message
        self.status = status


def report(*, reporter, target, reason, message=""):
    """File ``reporter``'s report of ``target`` (a post, a comment or a user the reporter may see).

    Refused (400) for oneself or one's own content, an unknown reason, and a second open report of the same
    target (the database's constraint decides between concurrent requests). A post or comment reported by
    FLASKY_REPORTS_TO_HOLD different people is held for review."""
    kind = kind_of(target)
    author = target if kind == Kind.USER else target.author
    if author is not None and author.pk == reporter.pk:
        raise Refused(_("You cannot report yourself or your own posts and comments."))
    if reason not in Reason.values:
        raise Refused(_("Choose a reason for the report."))
    try:
        with transaction.atomic():
            filed = Report.objects.create(
                reporter=reporter, kind=kind, reason=reason, message=message, **{kind: target}
            )
    except IntegrityError as error:
        raise Refused(_("You have already reported this. A moderator will look at it soon.")) from error
    if kind != Kind.USER:
        _hold_if_reported_enough(target)
    return filed


def _hold_if_reported_enough(target):
    reporters = Report.objects.open().about(target).values("reporter").distinct().count()
    if reporters < settings.FLASKY_REPORTS_TO_HOLD:
        return
    if (
        type(target)
        .objects.filter(pk=target.pk, moderation=Moderation.SHOWN)
        .update(moderation=Moderation.HELD)
    ):
        target.moderation = Moderation.HELD
        _withheld_or_shown(target)
        _audit(None, Action.HOLD, target, detail=_("%(count)d reports") % {"count": reporters})


def _withheld_or_shown(target):
    """``target``'s moderation changed with an UPDATE (no signal): a post's author now has (or may no longer
    have) a post that others do not see, which the API's copy of their account knows (api.tokens)."""
    if isinstance(target, Post) and target.author_id is not None:
        versions.changed(target.author_id)


def resolve(filed, *, by, action, days=None, note=""):
    """Resolve the open report ``filed`` (and every other open report of the same target) with ``action``.

    Dismissing, warning and suspending release a post or comment held for review; hiding hides it. A
    suspension lasts ``days`` (1, 7 or 30), or for good when ``days`` is None. The reporters are told the
    outcome, a warned or suspended author is told by email (and a warned one on their next page).

    Refused: 403 when ``by`` may not moderate, or would sanction themselves or an administrator; 400 for an
    action that does not fit the report (hiding a user, warning a visitor) or a report resolved already."""
    if not by.has_perm(MODERATE):
        raise Refused(_("Only moderators can resolve reports."), 403)
    author = filed.target_author
    _check_action(filed, by=by, action=action, days=days, author=author)
    with transaction.atomic():
        now = timezone.now()
        reports = list(Report.objects.open().about(filed.target).select_for_update())
        if not any(each.pk == filed.pk for each in reports):
            raise Refused(_("This report has been resolved already."))
        Report.objects.filter(pk__in=[each.pk for each in reports]).update(
            resolved_at=now, resolved_by=by, action=action, note=note
        )
        sanction = _apply(filed, by=by, action=action, days=days, note=note, author=author)
        _audit(
            by, action, filed.target, note=note, detail=_duration(days) if action == Action.SUSPEND else ""
        )
        transaction.on_commit(lambda: _tell(reports, action, sanction))
    filed.resolved_at, filed.resolved_by, filed.action, filed.note = now, by, action, note
    return filed


def _check_action(filed, *, by, action, days, author):
    if action not in (Action.DISMISS, Action.HIDE, Action.WARN, Action.SUSPEND):
        raise Refused(_("Choose an action."))
    if not filed.is_open:
        raise Refused(_("This report has been resolved already."))
    if action == Action.HIDE and filed.kind == Kind.USER:
        raise Refused(_("Only a post or a comment can be hidden."))
    if action == Action.SUSPEND and days not in SUSPENSION_DAYS:
        raise Refused(_("A suspension lasts 1, 7 or 30 days, or for good."))
    if action == Action.DISMISS:
        return
    if author is None:
        if action != Action.HIDE:
            raise Refused(_("A visitor's comment has no account to warn or suspend: hide the comment."))
        return
    if author.pk == by.pk:
        raise Refused(_("You cannot sanction yourself."), 403)
    if author.has_perm(ADMIN):
        raise Refused(_("Moderators cannot sanction administrators."), 403)


def _apply(filed, *, by, action, days, note, author):
    """The action's effect on the target and its author; returns the Sanction made, if any."""
    target = filed.target
    if filed.kind != Kind.USER:
        state = Moderation.HIDDEN if action == Action.HIDE else Moderation.SHOWN
        # A hidden target stays hidden unless this action hides it; a held one is released.
        current = [Moderation.HELD] if state == Moderation.SHOWN else [Moderation.SHOWN, Moderation.HELD]
        if type(target).objects.filter(pk=target.pk, moderation__in=current).update(moderation=state):
            _withheld_or_shown(target)
    if action == Action.WARN:
        return Sanction.objects.create(user=author, kind=SanctionKind.WARNING, note=note, by=by, report=filed)
    if action == Action.SUSPEND:
        return suspend(author, by=by, days=days, note=note, report=filed)
    return None


def suspend(user, *, by, days, note="", report=None):
    """Suspend ``user`` for ``days`` days, or for good (None). A longer suspension already running stays."""
    until = SUSPENDED_FOR_GOOD if days is None else timezone.now() + datetime.timedelta(days=days)
    if user.is_suspended:
        until = max(until, user.suspended_until)
    User.objects.filter(pk=user.pk).update(suspended_until=until)
    versions.changed(user.pk)  # (an UPDATE sends no signal: copies of the account kept for the API)
    user.suspended_until = until
    return Sanction.objects.create(
        user=user, kind=SanctionKind.SUSPENSION, until=until, note=note, by=by, report=report
    )


def _duration(days):
    if days is None:
        return str(_("for good"))
    return str(_("%(days)d days") % {"days": days})


def _audit(actor, action, target, *, note="", detail=""):
    AuditEntry.objects.create(
        actor=actor,
        action=action,
        target_kind=kind_of(target),
        target_id=target.pk,
        target_label=str(target)[:200],
        detail=str(detail)[:200],
        note=note,
    )


OUTCOMES = {
    Action.DISMISS: _("A moderator looked at it and found nothing against the rules."),
    Action.HIDE: _("A moderator hid it."),
    Action.WARN: _("A moderator warned its author."),
    Action.SUSPEND: _("A moderator suspended its author."),
}


def _tell(reports, action, sanction):
    for each in reports:
        notifications.report_outcome(report=each, outcome=OUTCOMES[action])
    if sanction is not None:
        notifications.moderation_notice(sanction=sanction)
        if sanction.kind == SanctionKind.WARNING:
            cache.set(notice_key(sanction.user_id), True, timeout=NOTICE_TIMEOUT)


# --- The in-site notice of a warning ---
#
# A warned member sees the warning at their next page. Which members have one waiting is a flag in the cache,
# so the pages of everyone else cost no query; the warning itself (Sanction.shown_at) is read only when the
# flag is up. (Issue 13's in-site notifications will carry these notices too.)

NOTICE_TIMEOUT = 60 * 60 * 24 * 30


def notice_key(user_id):
    return f"moderation:notice:{user_id}"


def take_warnings(user):
    """The warnings ``user`` has not seen on the site yet (marked seen now), or [] without a query when the
    cache says there are none."""
    if not cache.get(notice_key(user.pk)):
        return []
    cache.delete(notice_key(user.pk))
    warnings = list(Sanction.objects.filter(user=user, kind=SanctionKind.WARNING, shown_at__isnull=True))
    Sanction.objects.filter(pk__in=[each.pk for each in warnings]).update(shown_at=timezone.now())
    return warnings


def current_suspension(user):
    """The sanction that suspends ``user`` now (the latest suspension), or None."""
    if not user.is_suspended:
        return None
    return Sanction.objects.filter(user=user, kind=SanctionKind.SUSPENSION).order_by("-created").first()


def target_for_kind(kind, pk, *, viewer):
    """The post, comment or user a report names, as ``viewer`` may see it, or None."""
    if kind == Kind.POST:
        return Post.objects.visible_to(viewer).filter(pk=pk).first()
    if kind == Kind.COMMENT:
        return Comment.objects.visible_to(viewer).filter(pk=pk).select_related("post").first()
    if kind == Kind.USER:
        return User.objects.active().filter(pk=pk).first()
    return None
