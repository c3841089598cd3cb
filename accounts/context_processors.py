"""The navbar's count of unread notifications (the bell)."""

from django.utils.functional import SimpleLazyObject

from accounts import inbox


def unread_notifications(request):
    """Read only if a template asks; it comes with the session's user (no query of its own)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: inbox.unread_count(user))}
