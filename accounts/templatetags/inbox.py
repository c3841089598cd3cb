"""The notifications page's days and items, drawn in Python (accounts.inbox)."""

from django import template

from accounts import inbox

register = template.Library()


@register.simple_tag
def notification_day(date):
    """A day's heading: "Today", or the day in full."""
    return inbox.day_heading(date)


@register.simple_tag
def notification_items(groups):
    """The <li> of each of a day's groups of notifications."""
    return inbox.items_html(groups)
