"""The one range of dates people may enter, and reading any date in any zone without raising."""

import zoneinfo
from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from flasky_project import dates


@pytest.mark.parametrize(
    "value",
    [
        datetime(1900, 1, 1, tzinfo=zoneinfo.ZoneInfo("Etc/GMT-14")),
        datetime(2200, 12, 31, 23, 59, tzinfo=zoneinfo.ZoneInfo("Etc/GMT+12")),
        datetime(2201, 1, 1, tzinfo=UTC),  # where an all-day appointment on the last date ends
        date(1900, 1, 1),
        date(2200, 12, 31),
    ],
)
def test_the_range_holds_every_date_of_its_years_in_every_zone(value):
    dates.validate_in_range(value)


@pytest.mark.parametrize(
    "value",
    [
        datetime(9999, 12, 31, 23, 59, tzinfo=zoneinfo.ZoneInfo("America/Los_Angeles")),  # 10000 in UTC
        datetime(1, 1, 1, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo")),  # year 0 in UTC
        datetime(1899, 12, 30, tzinfo=UTC),
        datetime(2201, 1, 2, tzinfo=UTC),
        date(1899, 12, 31),
        date(2201, 1, 1),
    ],
)
def test_dates_outside_the_range_are_refused_with_a_message(value):
    with pytest.raises(ValidationError) as error:
        dates.validate_in_range(value)
    assert error.value.messages == ["Enter a date between the years 1900 and 2200."]


@pytest.mark.parametrize(
    ("value", "zone"),
    [
        (datetime(9999, 12, 31, 23, 30, tzinfo=UTC), "Europe/Madrid"),
        (datetime(1, 1, 1, tzinfo=UTC), "America/New_York"),
    ],
)
def test_a_moment_the_zone_cannot_show_is_given_in_utc(value, zone):
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        assert dates.localtime(value) == value and dates.localtime(value).utcoffset().total_seconds() == 0
        assert dates.localdate(value) == value.date()


def test_a_moment_in_range_is_given_in_the_readers_zone():
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        assert (
            dates.localtime(datetime(2030, 1, 1, 20, tzinfo=UTC)).isoformat() == "2030-01-02T05:00:00+09:00"
        )
