"""Vietnam's working days: the holidays package's calendar with the administrator's own days over it.

The package knows weekends, public holidays (Tết by the lunar calendar) and the
government's make-up Saturdays; CalendarDay rows add what it cannot know ahead,
the Tết break as actually granted, extra days off, make-up days. `load()` reads
those rows each time it is called, so a day saved in the admin counts at once.
"""

from datetime import date, datetime, time, timedelta
from functools import cache

import holidays
from django.utils import timezone

from .. import vietnam_time
from ..models import CalendarDay, CalendarDayKind

# An obligation that starts on a day off counts from the start of the next working day.
WORKDAY_START = time(8, 0)
# Vietnam's longest break (Tết) is nine days; a run of days off this long means a broken calendar.
LONGEST_BREAK = 60


class CalendarBroken(ValueError):
    """No working day within LONGEST_BREAK days: the administrator's days off cover too much."""


@cache
def _public_calendar():
    # Expands year by year on lookup; its data is the pinned package's, fixed for the process.
    return holidays.country_holidays("VN")


@cache
def _named_calendar():
    return holidays.country_holidays("VN", language="vi")


def holiday_name(day: date) -> str:
    """The official holiday's Vietnamese name ("Tết Nguyên Đán"), or "" on any other day."""
    return _named_calendar().get(day) or ""


def official_days(year: int):
    """The year's public holidays and make-up Saturdays as the package has them: [(date, name or "")], by date.

    A make-up Saturday comes with an empty name: the package names only days off.
    """
    named = _named_calendar()
    named.get(date(year, 1, 1))  # expands the calendar to the year
    days = [(day, name) for day, name in named.items() if day.year == year]
    days += [(day, "") for day in _public_calendar().weekend_workdays if day.year == year]
    return sorted(days)


class WorkingCalendar:
    def __init__(self, days_off=(), working_days=()):
        self.days_off = frozenset(days_off)
        self.working_days = frozenset(working_days)

    def is_working_day(self, day: date) -> bool:
        if day in self.working_days:
            return True
        if day in self.days_off:
            return False
        return _public_calendar().is_working_day(day)

    def next_working_day(self, day: date) -> date:
        """The first working day after `day`."""
        for _ in range(LONGEST_BREAK):
            day += timedelta(days=1)
            if self.is_working_day(day):
                return day
        raise CalendarBroken(day)

    def add_working_days(self, start: datetime, count: int) -> datetime:
        """The same clock time `count` working days after `start`; from 08:00 of the next working day when
        `start` falls on a day off. Counted in Vietnam time, returned aware."""
        moment = vietnam_time.local(start)
        day, clock = moment.date(), moment.time().replace(tzinfo=None)
        if not self.is_working_day(day):
            day, clock = self.next_working_day(day), WORKDAY_START
        for _ in range(count):
            day = self.next_working_day(day)
        return timezone.make_aware(datetime.combine(day, clock), vietnam_time.zone())


def load() -> WorkingCalendar:
    """The calendar as the administrator has it now."""
    days_off, working_days = set(), set()
    for day, kind in CalendarDay.objects.values_list("day", "kind"):
        (working_days if kind == CalendarDayKind.WORKING_DAY else days_off).add(day)
    return WorkingCalendar(days_off, working_days)
