"""Site-wide views that belong to no app: the favicon and the health check."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def favicon(request):
    # Resolved per request: the fingerprinted name exists only once static files are collected.
    return redirect(static("favicon.ico"))


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
