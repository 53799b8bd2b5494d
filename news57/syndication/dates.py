"""Dates as feeds write them, read as the instant they mean, in UTC.

Vietnamese portals write dates for people, not for RFC 822: "Thứ bảy,
23/08/2025 - 14:05", "28/08/2025 10:30", "16-06-2025 16:45", day before month,
and usually without a zone. A date without a zone was written in Vietnam, so it
is read as Vietnam time; feedparser reads it as UTC, seven hours off.

Vietnam has kept UTC+7 without daylight saving since 1975, so a fixed offset is
exact for every date a feed carries and needs no tz database.
"""

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_tz

from news57.text import fold
from news57.vietnam_time import zone as vietnam_zone

_MIN_YEAR = 1900
_MAX_YEAR = 2200

# Weekday names in front of a date carry nothing the date does not: "Thứ bảy,",
# "Chủ nhật", "T7", "CN", "Mon,". Matched on folded (ASCII lower-case) text.
_WEEKDAY = r"(?:thu\s+(?:hai|ba|tu|nam|sau|bay|\d)|chu\s+nhat|t\s*[2-7]|cn|[a-z]{3,9})\s*,?\s*"
_TIME = r"(?P<hour>\d{1,2})\s*[:hg]\s*(?P<minute>\d{2})(?:\s*:\s*(?P<second>\d{2}))?(?:\.\d+)?"
_ZONE = (
    r"(?:\s*\(?\s*(?:(?P<zname>z|gmt|utc|ut)?\s*(?P<zsign>[+-])(?P<zhour>\d{1,2})(?::?(?P<zminute>\d{2}))?"
    r"|(?P<zulu>z|gmt|utc|ut))\s*\)?)?"
)
_DMY = r"(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})\s*[/.-]\s*(?P<year>\d{4})"
_YMD = r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"
# "- ", ",", "lúc" or nothing between a date and its time.
_JOIN = r"\s*(?:[-,|]|luc)?\s*"

_FORMS = [
    # 23/08/2025 - 14:05, 28/08/2025 10:30, 16-06-2025 16:45, 23/08/2025
    re.compile(rf"(?:{_WEEKDAY})?{_DMY}(?:{_JOIN}{_TIME})?{_ZONE}"),
    # 14:05 - 23/08/2025, 14:05 thứ bảy, 23/08/2025
    re.compile(rf"{_TIME}{_JOIN}(?:{_WEEKDAY})?{_DMY}{_ZONE}"),
    # 2025-08-23 14:05:00, 2025-08-23T14:05:00+07:00, 2025-08-23
    re.compile(rf"{_YMD}(?:(?:t|\s+){_TIME})?{_ZONE}"),
]


def parse_date(text):
    """The UTC instant a feed's date string means, or None when it is not a date.

    Zone-less dates are Vietnam time; RFC 822 and ISO 8601 zones are honoured.
    """
    if not isinstance(text, str):
        return None
    folded = " ".join(fold(text).split())
    if not folded or len(folded) > 100:
        return None
    for form in _FORMS:
        match = form.fullmatch(folded)
        if match:
            return _from_match(match)
    return _from_rfc822(text)


def has_time(text):
    """Whether a date string gives a time of day ("23/08/2025 14:05", "14g05", "T00:00"), not a bare date."""
    folded = " ".join(fold(text or "").split())
    return bool(re.search(r"\d{1,2}\s*[:hg]\s*\d{2}", folded))


def has_zone(text):
    """Whether a date string names its zone (so a reading of it as UTC is right)."""
    folded = " ".join(fold(text or "").split())
    return bool(re.search(r"(?:[+-]\d{2}:?\d{2}|\d\s*z|\b(?:gmt|utc|ut|[a-z]{2,4}t))\s*\)?$", folded))


def _from_match(match):
    fields = match.groupdict()
    try:
        wall = datetime(
            int(fields["year"]),
            int(fields["month"]),
            int(fields["day"]),
            int(fields["hour"] or 0),
            int(fields["minute"] or 0),
            int(fields["second"] or 0),
        )
    except ValueError:  # 31/02, 25:00 and the like
        return None
    zone = _zone(fields)
    if zone is None:
        return None
    return _utc(wall.replace(tzinfo=zone))


def _zone(fields):
    if fields.get("zsign"):
        hours, minutes = int(fields["zhour"]), int(fields["zminute"] or 0)
        if hours > 14 or minutes > 59:
            return None
        offset = timedelta(hours=hours, minutes=minutes)
        return timezone(-offset if fields["zsign"] == "-" else offset)
    if fields.get("zulu"):
        return timezone.utc
    return vietnam_zone()


def _from_rfc822(text):
    """'Mon, 16 Jun 2025 16:45:00 +0700'; without a zone it is Vietnam time."""
    try:
        parts = parsedate_tz(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parts is None:
        return None
    year, month, day, hour, minute, second = parts[:6]
    # parsedate_tz reports a missing zone as +0000, the same as "GMT".
    offset = parts[9] if has_zone(text) else None
    try:
        wall = datetime(year, month, day, hour, minute, second)
        zone = vietnam_zone() if offset is None else timezone(timedelta(seconds=offset))
    except (ValueError, OverflowError):
        return None
    return _utc(wall.replace(tzinfo=zone))


def _utc(moment):
    if not _MIN_YEAR <= moment.year <= _MAX_YEAR:
        return None
    try:
        return moment.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        return None
