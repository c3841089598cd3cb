"""Accounts: the user, roles and permissions, allauth adapters, profile editing, avatars."""
