"""When a publication is due: the rule's terms, counted from what starts its clock, on the working calendar."""

from datetime import timedelta

from ..models import DeadlineClock, DeadlineUnit
from .calendar import CalendarBroken, WorkingCalendar


def clock_start(clock, issuer_time, source_time):
    """What starts the obligation's clock under the rule: the issuer's publication, or the subscribed source's.

    The issuer's time is the document's earliest time at an authoritative source; without one,
    the subscribed source's time stands in for it.
    """
    if clock == DeadlineClock.SOURCE:
        return source_time or issuer_time
    return issuer_time or source_time


def due_at(unit, amount, start, calendar: WorkingCalendar):
    """The due time of an obligation starting at `start`, or None where it cannot be counted (a date past
    year 9999, a calendar with no working day left)."""
    if start is None or not amount:
        return None
    try:
        if unit == DeadlineUnit.HOURS:
            return start + timedelta(hours=amount)
        return calendar.add_working_days(start, amount)
    except (OverflowError, CalendarBroken):
        return None
