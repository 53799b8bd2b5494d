"""Report periods as people name them: a month "2025-06", a half-year "2025-H1", a year "2025", or two dates.

A period is a pair of Vietnam dates, both included; `bounds()` gives the aware
[start, end) moments that queries on UTC columns need.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import vietnam_time

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_HALF = re.compile(r"^(\d{4})-[Hh]([12])$")
_YEAR = re.compile(r"^(\d{4})$")


class PeriodError(ValueError):
    """A period no calendar has, said so in words for the person who typed it."""


def half_year_key(day):
    """The half-year a date falls in, as Period.parse reads it: "2025-H1"."""
    return f"{day.year}-H{1 if day.month <= 6 else 2}"


def parse_day(text):
    """A date written 2025-06-30, or PeriodError saying what was wrong."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PeriodError(_("“%(value)s” is not a date like 2025-06-30.") % {"value": text}) from None


@dataclass(frozen=True)
class Period:
    first_day: date
    last_day: date
    name: str

    @classmethod
    def parse(cls, text):
        text = (text or "").strip()
        try:
            return cls._parse(text)
        except PeriodError:
            raise
        except ValueError:  # year 0, or past what dates hold
            raise PeriodError(_("“%(value)s” is not a date any calendar has.") % {"value": text}) from None

    @classmethod
    def _parse(cls, text):
        if match := _MONTH.match(text):
            year, month = int(match[1]), int(match[2])
            if not 1 <= month <= 12:
                raise PeriodError(_("“%(value)s” has no month %(month)d.") % {"value": text, "month": month})
            last = calendar.monthrange(year, month)[1]
            return cls(date(year, month, 1), date(year, month, last), _("Month %(month)02d/%(year)d") % {
                "month": month, "year": year})  # fmt: skip
        if match := _HALF.match(text):
            year, half = int(match[1]), int(match[2])
            first, last = (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))
            name = _("First half of %(year)d") if half == 1 else _("Second half of %(year)d")
            return cls(first, last, name % {"year": year})
        if match := _YEAR.match(text):
            year = int(match[1])
            return cls(date(year, 1, 1), date(year, 12, 31), _("Year %(year)d") % {"year": year})
        raise PeriodError(
            _("“%(value)s” is not a period: write a month (2025-06), a half-year (2025-H1) or a year (2025).")
            % {"value": text}
        )

    @classmethod
    def between(cls, first_day, last_day):
        if last_day < first_day:
            raise PeriodError(_("The end of the period is before its start."))
        name = _("From %(first)s to %(last)s") % {"first": f"{first_day:%d/%m/%Y}", "last": f"{last_day:%d/%m/%Y}"}
        return cls(first_day, last_day, name)

    def bounds(self):
        """[start, end) as aware moments: Vietnam midnight of the first day, and of the day after the last."""
        zone = vietnam_time.zone()
        start = timezone.make_aware(datetime.combine(self.first_day, time.min), zone)
        end = timezone.make_aware(datetime.combine(self.last_day + timedelta(days=1), time.min), zone)
        return start, end
