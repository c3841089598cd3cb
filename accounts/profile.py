"""What the profile page shows of a user's account (the page itself belongs to the talks app, which lists
their talks: see docs/architecture.md)."""


def profile_context(request, profile_user):
    """What the accounts partials of the profile page need (the page itself belongs to a higher app)."""
    is_admin = request.user.has_perm("accounts.admin")
    return {
        "profile_user": profile_user,
        "show_email": is_admin,
        "can_edit_own": request.user.pk == profile_user.pk,
        "can_edit_as_admin": is_admin,
    }
