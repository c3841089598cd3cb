"""Site-wide views that belong to no app: the favicon, the health check and the colour theme switch."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tasks_db.models import DBTaskResult

from flasky_project.errors import error_response
from flasky_project.redirects import redirect_back
from flasky_project.theme import THEME_COOKIE, THEME_COOKIE_MAX_AGE, THEMES


def favicon(request):
    # Resolved per request: the fingerprinted name exists only once static files are collected.
    return redirect(static("favicon.ico"))


@require_POST
def set_theme(request):
    """The navbar's theme switch without JavaScript (with it, static/js/theme.js sets the same cookie)."""
    theme = request.POST.get("theme", "")
    if theme not in THEMES:
        return error_response(request, 400, _("That theme is not available."))
    response = redirect_back(request, "/")
    response.set_cookie(
        THEME_COOKIE, theme, max_age=THEME_COOKIE_MAX_AGE, samesite="Lax", secure=request.is_secure()
    )
    return response


def health(request):
    """For load balancers and monitors: 200 while the site can serve, 503 when it cannot.

    The database must answer; the cache and the task queue are reported, and their trouble marks the
    site "degraded" without taking it out of the load balancer (the site serves on without them).
    """
    checks = {"database": _check_database(), "cache": _check_cache(), "tasks": _check_tasks()}
    status = "ok" if all(check["ok"] for check in checks.values()) else "degraded"
    if not checks["database"]["ok"]:
        status = "error"
    response = JsonResponse({"status": status, "checks": checks}, status=503 if status == "error" else 200)
    response["Cache-Control"] = "no-store"
    return response


def _check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True}
    except DatabaseError as error:
        return {"ok": False, "error": error.__class__.__name__}


def _check_cache():
    key = f"health:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", 10)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception as error:  # noqa: BLE001 - any failure of the cache is what this reports
        return {"ok": False, "error": error.__class__.__name__}
    return {"ok": ok} if ok else {"ok": False, "error": "cache did not keep a value"}


def _check_tasks():
    """With the database queue: work waiting longer than five minutes means no worker is taking it."""
    if settings.TASKS_BACKEND != "database":
        return {"ok": True, "backend": settings.TASKS_BACKEND}
    try:
        waiting = DBTaskResult.objects.ready().filter(enqueued_at__lt=timezone.now() - timedelta(minutes=5))
        oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        failed = (
            DBTaskResult.objects.failed().filter(finished_at__gte=timezone.now() - timedelta(hours=1)).count()
        )
    except DatabaseError as error:
        return {"ok": False, "error": error.__class__.__name__}
    result = {"ok": oldest is None, "backend": "database", "failed_last_hour": failed}
    if oldest is not None:
        result["waiting_since"] = oldest.isoformat()
    return result
