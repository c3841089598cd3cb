"""Validators for account fields: Flasky's username rule and IANA time-zone names."""

import functools
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

USERNAME_MAX_LENGTH = 64

validate_username = RegexValidator(
    regex=r"\A[A-Za-z][A-Za-z0-9_.]*\Z",
    message=_("Usernames must have only letters, numbers, dots or underscores, and start with a letter."),
    code="invalid_username",
)

# allauth reads this list through ACCOUNT_USERNAME_VALIDATORS.
username_validators = [validate_username]


@functools.cache
def available_timezones():
    """The IANA zone names this machine knows, read once (the lookup walks the zoneinfo tree)."""
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value):
    if value and value not in available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone."), params={"value": value}, code="invalid_timezone"
        )
