"""Promptness per agency site and period: what fell due, what went live in time, late, or not at all.

A publication counts in the period its due time falls in (Vietnam dates); backfill
and publications without a due time are never counted. Of those due:
- on time: first live at or before the due time; late: first live after it;
- missing: not live and past due at `now`; waiting: not live, not yet due;
- declined: declined by the agency, with its reason, and left out of the share.
The on-time share is on time / (on time + late + missing). Latencies are nearest-rank
percentiles (the smallest value with at least p% of the values at or below it):
source latency from the subscribed source's time to first live, pipeline latency
from our first sight of it to first live.

One query reads every counted publication of the period as a few numbers (the
database works out the result and the seconds), so a province's half-year of
some 25,000 publications is counted without building a row object or parsing a
date for each.
"""

import hashlib
import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.cache import cache
from django.db import connections
from django.db.models import Case, CharField, Count, F, FloatField, Func, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import Publication, PublicationStatus

ON_TIME, LATE, MISSING, WAITING, DECLINED = "on_time", "late", "missing", "waiting", "declined"
DAY = 86400
# How early or late a live publication was against its due time, in hours: (low, high], early side first.
MARGIN_BUCKETS = (
    (ON_TIME, 48, None), (ON_TIME, 24, 48), (ON_TIME, 0, 24),
    (LATE, 0, 24), (LATE, 24, 72), (LATE, 72, 168), (LATE, 168, None),
)  # fmt: skip


def nearest_rank(values, percent):
    """The nearest-rank percentile of the values, or None for none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(percent / 100 * len(ordered))) - 1]


def _duration(seconds):
    # Source times are kept to the second; the database's arithmetic on moments can leave a float's dust.
    return timedelta(seconds=round(seconds)) if seconds is not None else None


class ShareMixin:
    """The share people are asked for: on time out of on time, late and missing (declined are left out)."""

    @property
    def counted(self):
        return self.on_time + self.late + self.missing

    @property
    def on_time_share(self):
        """On time as a fraction of those counted, or None when none is."""
        return self.on_time / self.counted if self.counted else None


@dataclass
class SiteFigures(ShareMixin):
    site_id: int
    agency: str
    agency_slug: str = ""
    level: str = ""
    due: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    waiting: int = 0
    declined: int = 0
    # Seconds from source to first live, and from first seen to first live, one per live publication.
    source_latencies: list = field(default_factory=list, repr=False)
    pipeline_latencies: list = field(default_factory=list, repr=False)

    @property
    def median_latency(self):
        return _duration(nearest_rank(self.source_latencies, 50))

    @property
    def p95_latency(self):
        return _duration(nearest_rank(self.source_latencies, 95))

    @property
    def median_pipeline_latency(self):
        return _duration(nearest_rank(self.pipeline_latencies, 50))

    @property
    def p95_pipeline_latency(self):
        return _duration(nearest_rank(self.pipeline_latencies, 95))

    def add(self, other):
        for name in (ON_TIME, LATE, MISSING, WAITING, DECLINED, "due"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.source_latencies += other.source_latencies
        self.pipeline_latencies += other.pipeline_latencies


@dataclass
class Week(ShareMixin):
    """The publications due in one Monday-to-Sunday week (Vietnam dates) of the period."""

    monday: date
    on_time: int = 0
    late: int = 0
    missing: int = 0


@dataclass
class Margin:
    """Live publications that went up between `low` and `high` hours before (on time) or after (late) the due time."""

    side: str
    low: int
    high: int | None
    count: int = 0


@dataclass
class Tally:
    sites: list
    weeks: list
    margins: list
    total: SiteFigures
    # When the first publication not yet due falls due (seconds since 1970), making these figures old; or None.
    valid_until: float | None = None


class Epoch(Func):
    """A moment as seconds since 1970 (a float), in the database: no date is parsed in Python."""

    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)")

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)::double precision")


def result(now):
    """What became of a due publication at `now`, worked out by the database."""
    return Case(
        When(Q(status=PublicationStatus.DECLINED, first_published_at__isnull=True), then=Value(DECLINED)),
        When(Q(first_published_at__isnull=True, due_at__lt=now), then=Value(MISSING)),
        When(first_published_at__isnull=True, then=Value(WAITING)),
        When(first_published_at__lte=F("due_at"), then=Value(ON_TIME)),
        default=Value(LATE),
        output_field=CharField(),
    )


def counted_publications(period, site_ids=None, issuer_ids=None):
    start, end = period.bounds()
    rows = Publication.objects.filter(is_backfill=False, due_at__gte=start, due_at__lt=end)
    if site_ids is not None:
        rows = rows.filter(site_id__in=site_ids)
    if issuer_ids is not None:
        rows = rows.filter(document__issuer_id__in=issuer_ids)
    return rows


OUTCOMES = (ON_TIME, LATE, MISSING, WAITING, DECLINED)
COUNTED = (ON_TIME, LATE, MISSING)


def tally(period, sites, now=None, issuer_ids=None):
    """Figures per site (in the order given), per week and per margin, and for all the sites together."""
    now = now or timezone.now()
    figures = {
        site.pk: SiteFigures(site.pk, site.agency.name, site.agency.slug, site.agency.level) for site in sites
    }
    weeks = _weeks(period)
    margins = [Margin(side, low, high) for side, low, high in MARGIN_BUCKETS]
    start = period.bounds()[0]
    # Vietnam keeps one offset all year, so weeks are whole multiples of seven days from the first Monday.
    first_monday_epoch = start.timestamp() - (period.first_day - weeks[0].monday).days * DAY
    rows = (
        counted_publications(period, list(figures), issuer_ids)
        .annotate(
            result=result(now),
            due_epoch=Epoch("due_at"),
            live_epoch=Epoch("first_published_at"),
            source_epoch=Epoch(Coalesce("source_time", "obligated_at")),
            seen_epoch=Epoch("first_seen_at"),
        )
        .values_list("site_id", "result", "due_epoch", "live_epoch", "source_epoch", "seen_epoch")
        .order_by()
    )
    counts = {site_id: dict.fromkeys(OUTCOMES, 0) for site_id in figures}
    week_counts = [dict.fromkeys(COUNTED, 0) for _week in weeks]
    last_week = len(weeks) - 1
    valid_until = None
    for site_id, outcome, due_epoch, live_epoch, source_epoch, seen_epoch in raw_rows(rows):
        counts[site_id][outcome] += 1
        if outcome == WAITING and (valid_until is None or due_epoch < valid_until):
            valid_until = due_epoch
        if outcome in COUNTED:
            week_counts[min(int((due_epoch - first_monday_epoch) // (7 * DAY)), last_week)][outcome] += 1
        if outcome == ON_TIME or outcome == LATE:
            site = figures[site_id]
            site.source_latencies.append(max(live_epoch - source_epoch, 0.0))
            if seen_epoch is not None:
                site.pipeline_latencies.append(max(live_epoch - seen_epoch, 0.0))
            _margin(margins, outcome, abs(due_epoch - live_epoch) / 3600)
    for site_id, site in figures.items():
        for outcome, count in counts[site_id].items():
            setattr(site, outcome, count)
        site.due = sum(counts[site_id].values())
    for week, week_count in zip(weeks, week_counts):
        for outcome, count in week_count.items():
            setattr(week, outcome, count)
    total = SiteFigures(0, "")
    for site in figures.values():
        total.add(site)
    return Tally(list(figures.values()), weeks, margins, total, valid_until)


def raw_rows(queryset, chunk=5000):
    """The queryset's rows straight from the database cursor: plain numbers and text need none of Django's
    per-row converters, which on a province's half-year cost as much as the query."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk):
            yield from rows


TALLY_CACHE_SECONDS = 3600


def fingerprint(period):
    """What the period's publications are now, read from one index: how many, their ids, and when each last
    changed. Any write to a publication sets its `changed_at` (save, update, bulk_update: see PublicationQuerySet),
    so a new, changed, moved or deleted publication changes the sums. Sums rather than the latest time, so that
    a worker whose clock runs behind the web server's still changes them."""
    start, end = period.bounds()
    values = Publication.objects.filter(due_at__gte=start, due_at__lt=end).aggregate(
        rows=Count("pk"), ids=Sum("pk"), changed=Sum(Epoch("changed_at"))
    )
    return sorted(values.items())


def cached_tally(period, sites, now=None, issuer_ids=None):
    """tally(), kept in Django's cache under the fingerprint of the period's publications: a screen asked again
    reads it back after one query on an index, and counts afresh after any change to them, or once the first
    publication that was not yet due falls overdue."""
    now = now or timezone.now()
    names = [(site.pk, site.agency.name, site.agency.slug, site.agency.level) for site in sites]
    key_data = repr((period.bounds(), names, issuer_ids, fingerprint(period)))
    key = "news57:tally:" + hashlib.sha256(key_data.encode()).hexdigest()
    found = cache.get(key)
    if found is None or (found.valid_until is not None and now.timestamp() >= found.valid_until):
        found = tally(period, sites, now, issuer_ids)
        cache.set(key, found, TALLY_CACHE_SECONDS)
    return found


def site_figures(period, sites, now=None, issuer_ids=None):
    """[SiteFigures] for these sites (with their agencies), in the order given; one query for the publications."""
    return tally(period, sites, now, issuer_ids).sites


def _weeks(period):
    monday = period.first_day - timedelta(days=period.first_day.weekday())
    weeks = []
    while monday <= period.last_day:
        weeks.append(Week(monday))
        monday += timedelta(days=7)
    return weeks


def _margin(margins, outcome, hours):
    for margin in margins:
        if margin.side == outcome and hours >= margin.low and (margin.high is None or hours < margin.high):
            margin.count += 1
            return
