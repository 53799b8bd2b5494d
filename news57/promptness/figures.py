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
"""

import math
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from ..models import Publication, PublicationStatus


def nearest_rank(values, percent):
    """The nearest-rank percentile of the values, or None for none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(percent / 100 * len(ordered))) - 1]


@dataclass
class SiteFigures:
    site_id: int
    agency: str
    due: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    waiting: int = 0
    declined: int = 0
    source_latencies: list = field(default_factory=list, repr=False)
    pipeline_latencies: list = field(default_factory=list, repr=False)

    @property
    def counted(self):
        return self.on_time + self.late + self.missing

    @property
    def on_time_share(self):
        """On time as a fraction of those counted, or None when none is."""
        return self.on_time / self.counted if self.counted else None

    @property
    def median_latency(self):
        return nearest_rank(self.source_latencies, 50)

    @property
    def p95_latency(self):
        return nearest_rank(self.source_latencies, 95)

    @property
    def median_pipeline_latency(self):
        return nearest_rank(self.pipeline_latencies, 50)

    @property
    def p95_pipeline_latency(self):
        return nearest_rank(self.pipeline_latencies, 95)


COLUMNS = (
    "site_id", "status", "due_at", "first_published_at", "source_time", "obligated_at", "first_seen_at",
)  # fmt: skip


def counted_publications(period, site_ids=None):
    start, end = period.bounds()
    rows = Publication.objects.filter(is_backfill=False, due_at__gte=start, due_at__lt=end)
    if site_ids is not None:
        rows = rows.filter(site_id__in=site_ids)
    return rows


def site_figures(period, sites, now=None):
    """[SiteFigures] for these sites (with their agencies), in the order given; one query for the publications."""
    now = now or timezone.now()
    figures = {site.pk: SiteFigures(site.pk, site.agency.name) for site in sites}
    rows = counted_publications(period, list(figures)).values_list(*COLUMNS)
    for site_id, status, due_at, first_live, source_time, obligated_at, first_seen in rows.iterator(chunk_size=5000):
        _count(figures[site_id], status, due_at, first_live, source_time or obligated_at, first_seen, now)
    return list(figures.values())


def _count(figures, status, due_at, first_live, source_time, first_seen, now):
    figures.due += 1
    if status == PublicationStatus.DECLINED and first_live is None:
        figures.declined += 1
        return
    if first_live is None:
        if due_at < now:
            figures.missing += 1
        else:
            figures.waiting += 1
        return
    if first_live <= due_at:
        figures.on_time += 1
    else:
        figures.late += 1
    figures.source_latencies.append(max(first_live - source_time, timedelta(0)))
    if first_seen is not None:
        figures.pipeline_latencies.append(max(first_live - first_seen, timedelta(0)))
