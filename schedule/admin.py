"""Appointments are deliberately not in the Django admin: a schedule is private to its owner, and nothing a
moderator or an administrator does needs to read one (operators with database access still can, for
support; the calendar feeds' tokens are as private)."""
