"""Due times counted again for a period, on a superuser's explicit request, each change logged.

Changing a rule or the calendar never rewrites a stored due time by itself; this does, for the
publications whose obligation began in the period, from their subscription's rule as it is now.
"""

import uuid
from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from ..models import Publication, PublicationLogEntry
from . import calendar as working_calendar
from .deadlines import clock_start, due_at
from .periods import Period

RECOMPUTED = "news57.publication.deadline_recomputed"
BATCH_SIZE = 1000
FIELDS = ["obligated_at", "due_at", "deadline_rule", "deadline_unit", "deadline_amount", "deadline_clock", "on_time"]


@dataclass(frozen=True)
class Recomputed:
    examined: int
    changed: int


def period_publications(first_day: date, last_day: date, agency=None):
    """The subscribed publications whose obligation began between these Vietnam dates, both included."""
    start, end = Period.between(first_day, last_day).bounds()
    rows = Publication.objects.filter(subscription__isnull=False, obligated_at__gte=start, obligated_at__lt=end)
    if agency is not None:
        rows = rows.filter(site__agency=agency)
    return rows


def recompute(first_day: date, last_day: date, user, agency=None) -> Recomputed:
    """Count the period's due times again; one log entry per publication whose terms or due time changed."""
    calendar = working_calendar.load()
    run = uuid.uuid4()
    content_type = ContentType.objects.get_for_model(Publication)
    examined = changed = 0
    after = 0
    rows = period_publications(first_day, last_day, agency).select_related("subscription__deadline_rule", "document", "site")
    while batch := list(rows.filter(pk__gt=after).order_by("pk")[:BATCH_SIZE]):
        after = batch[-1].pk
        examined += len(batch)
        updated, entries = [], []
        for publication in batch:
            before = {name: getattr(publication, name) for name in FIELDS}
            _count_again(publication, calendar)
            if any(getattr(publication, name) != value for name, value in before.items()):
                updated.append(publication)
                entries.append(_entry(publication, before, user, run, content_type))
        # Each batch commits whole: its rows and their log entries, or neither.
        with transaction.atomic():
            Publication.objects.bulk_update(updated, FIELDS)
            PublicationLogEntry.objects.bulk_create(entries)
        changed += len(updated)
    return Recomputed(examined, changed)


def _count_again(publication, calendar):
    rule = publication.subscription.deadline_rule
    start = clock_start(rule.clock, publication.document.source_published_at, publication.source_time)
    if start is not None and not publication.is_backfill:
        publication.obligated_at = max(start, publication.subscription.starts_at)
    publication.due_at = due_at(rule.unit, rule.amount, publication.obligated_at, calendar)
    for name, value in rule.terms.items():
        setattr(publication, name, value)
    publication.keep_live_record()


def _entry(publication, before, user, run, content_type):
    return PublicationLogEntry(
        publication=publication,
        content_type=content_type,
        label=str(publication),
        action=RECOMPUTED,
        timestamp=timezone.now(),
        user=user,
        uuid=run,
        data={
            "site": publication.site_id,
            "old_due": before["due_at"].isoformat() if before["due_at"] else None,
            "new_due": publication.due_at.isoformat() if publication.due_at else None,
            "old_rule": before["deadline_rule"],
            "new_rule": publication.deadline_rule,
        },
    )
