"""When each periodic report is next due, and which period it reports, from the ReportDeadline rows.

Every date is a Vietnam date. A row falls due once a year on its day and month
(a half-yearly report has a row per half-year), or on its day every month. The
period reported is the one the due date falls in or, with `covers` "previous",
the one before it: a monthly report due on the 15th with "previous" reports the
month just ended (due 15/02/2026: Tháng 01/2026), which the demo's Lai Châu
office does, since a month is counted whole only once it is over; with
"current" it would report the month of the date, counted to that day.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from itertools import count
from typing import NamedTuple

from django.db.models import Q

from .. import vietnam_time
from ..models import Agency, ReportCovers, ReportDeadline, ReportFrequency
from .periods import Period


class Due(NamedTuple):
    """One occurrence of a deadline: the date the report is due and the period it reports."""

    on: date
    period: Period
    period_key: str  # as Period.parse reads it, and the compliance report's ?period= takes it: "2026-H1"


@dataclass(frozen=True)
class Upcoming:
    """A report an agency owes next: its deadline (the agency's own, or one set for all below an ancestor)."""

    deadline: ReportDeadline
    agency: Agency
    due: Due
    days_left: int

    @property
    def due_on(self):
        return self.due.on

    @property
    def period(self):
        return self.due.period


def vietnam_today():
    """Today's date in Vietnam."""
    return vietnam_time.now().date()


def _on(year, month, day):
    """The day in that month, or the month's last day for a day it lacks (a row saved without its checks)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _dates_from(deadline, first_day):
    """Every due date of the deadline from first_day on, in order; nothing for a row that names no month."""
    if deadline.frequency == ReportFrequency.MONTH:
        year, month = first_day.year, first_day.month
        while True:
            if (due_on := _on(year, month, deadline.day)) >= first_day:
                yield due_on
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if not deadline.month:
        return
    for year in count(first_day.year):
        if (due_on := _on(year, deadline.month, deadline.day)) >= first_day:
            yield due_on


def reported_period_key(deadline, due_on):
    """The period the report due on that date reports, as a key: "2026-01", "2026-H2", "2026"."""
    year, month = due_on.year, due_on.month
    previous = deadline.covers == ReportCovers.PREVIOUS
    if deadline.frequency == ReportFrequency.MONTH:
        if previous:
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        return f"{year}-{month:02d}"
    if deadline.frequency == ReportFrequency.HALF_YEAR:
        half = 1 if month <= 6 else 2
        if previous:
            year, half = (year - 1, 2) if half == 1 else (year, 1)
        return f"{year}-H{half}"
    return str(year - 1 if previous else year)


def occurrence(deadline, due_date):
    """The occurrence of the deadline due on that date."""
    key = reported_period_key(deadline, due_date)
    return Due(due_date, Period.parse(key), key)


def next_due(deadline, today):
    """The deadline's first occurrence on or after today (a report due today is still due), or None for a row
    without its month."""
    due_date = next(_dates_from(deadline, today), None)
    return occurrence(deadline, due_date) if due_date else None


def occurrences(deadline, first_day, last_day):
    """Every occurrence of the deadline due between the two dates, both included."""
    found = []
    for due_date in _dates_from(deadline, first_day):
        if due_date > last_day:
            break
        found.append(occurrence(deadline, due_date))
    return found


def _ids(agencies):
    return {getattr(agency, "pk", agency) for agency in agencies}


def _ancestors(agencies):
    """{agency id: ids of the agencies above it}, one query per level of the tree."""
    parent_of = {agency.pk: agency.parent_id for agency in agencies}
    unknown = {parent for parent in parent_of.values() if parent is not None} - parent_of.keys()
    while unknown:
        rows = dict(Agency.objects.filter(pk__in=unknown).values_list("pk", "parent_id"))
        parent_of.update(rows)
        unknown = {parent for parent in rows.values() if parent is not None} - parent_of.keys()
    chains = {}
    for agency in agencies:
        chain, parent = [], agency.parent_id
        while parent is not None and parent not in chain:
            chain.append(parent)
            parent = parent_of.get(parent)
        chains[agency.pk] = chain
    return chains


def due_next(agencies, today, limit=None):
    """The next report each of the agencies owes, soonest first: [Upcoming].

    The agencies' own deadlines, and those of the agencies above them set for every agency below
    (each of the agencies owes that one itself). A few queries, however many deadlines there are.
    """
    asked = list(Agency.objects.filter(pk__in=_ids(agencies)).only("pk", "name", "short_name", "slug", "parent_id"))
    by_id = {agency.pk: agency for agency in asked}
    chains = _ancestors(asked)
    above = {ancestor for chain in chains.values() for ancestor in chain}
    deadlines = ReportDeadline.objects.filter(
        Q(agency_id__in=by_id) | Q(agency_id__in=above, covers_subordinates=True)
    ).select_related("agency")
    found = []
    for deadline in deadlines:
        if deadline.agency_id in by_id:
            owing = [by_id[deadline.agency_id]]
        else:
            owing = [agency for agency in asked if deadline.agency_id in chains[agency.pk]]
        due = next_due(deadline, today)
        if due is None:
            continue
        found += [Upcoming(deadline, agency, due, (due.on - today).days) for agency in owing]
    found.sort(key=lambda item: (item.due.on, item.agency.name, item.deadline.recipient, item.deadline.pk))
    return found[:limit] if limit is not None else found
