"""Documents onto the sites that must carry them: `fan_out(document_ids) -> int`.

For each document, every enabled subscription to a source that carried it
(and whose filters admit it) names agencies, by the agency tree; each of their
sites gets one Publication, live at once or queued for approval by the
subscription's policy. Rows go in with one bulk insert that skips any
(document, site) already there, so re-running fan-out, or two workers running
it at once, creates nothing twice, and a run interrupted midway is completed by
the next.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from ..models import (
    Agency,
    DirectiveDocument,
    Policy,
    Publication,
    PublicationStatus,
    PublishedVia,
    SourceEntry,
    Subscription,
)

BATCH_SIZE = 2000


@dataclass(frozen=True)
class _Carried:
    """When one source carried one document: its time there and when we first saw it there."""

    source_time: object
    first_seen_at: object


def fan_out(document_ids, *, now=None, subscriptions=None):
    """Create the missing publications of these documents; returns how many were created.

    `subscriptions` narrows the run to some subscriptions (a new one's backfill).
    """
    document_ids = list(document_ids)
    if not document_ids:
        return 0
    now = now or timezone.now()
    carried = _carried(document_ids)
    source_ids = {source_id for source_id, _document_id in carried}
    subs = Subscription.objects.filter(enabled=True, source_id__in=source_ids).select_related("deadline_rule", "agency")
    if subscriptions is not None:
        subs = subs.filter(pk__in=[getattr(sub, "pk", sub) for sub in subscriptions])
    subs = list(subs.order_by("pk"))
    if not subs:
        return 0
    sites = _sites(subs)
    documents = DirectiveDocument.objects.filter(pk__in=document_ids).prefetch_related("topics")
    chosen = {}
    for document in documents:
        for sub in subs:
            seen = carried.get((sub.source_id, document.pk))
            if seen is None or not sub.admits(document):
                continue
            for site_id in sites[sub.pk]:
                candidate = _publication(document, site_id, sub, seen, now)
                held = chosen.get((document.pk, site_id))
                if held is None or _preferred(candidate, held):
                    chosen[(document.pk, site_id)] = candidate
    if not chosen:
        return 0
    with transaction.atomic():
        existing = set(
            Publication.objects.filter(document_id__in=document_ids, site_id__in={s for _d, s in chosen}).values_list(
                "document_id", "site_id"
            )
        )
        missing = [publication for key, publication in chosen.items() if key not in existing]
        Publication.objects.bulk_create(missing, ignore_conflicts=True, batch_size=BATCH_SIZE)
    return len(missing)


def _carried(document_ids):
    """{(source id, document id): _Carried} from the entries that brought each document."""
    carried = {}
    rows = SourceEntry.objects.filter(document_id__in=document_ids).values_list(
        "source_id", "document_id", "published_at", "first_seen_at"
    )
    for source_id, document_id, published_at, first_seen_at in rows:
        key = (source_id, document_id)
        candidate = _Carried(published_at or first_seen_at, first_seen_at)
        held = carried.get(key)
        if held is None or candidate.source_time < held.source_time:
            carried[key] = candidate
    return carried


def _sites(subscriptions):
    """{subscription id: [site ids]} by the agency tree, in two queries whatever the number of subscriptions."""
    parent_of = dict(Agency.objects.values_list("pk", "parent_id"))
    site_of = dict(Agency.objects.filter(site__isnull=False).values_list("pk", "site_id"))
    children = {}
    for agency_id, parent_id in parent_of.items():
        children.setdefault(parent_id, []).append(agency_id)
    sites = {}
    for sub in subscriptions:
        agencies = {sub.agency_id} if sub.include_agency else set()
        if sub.include_below:
            frontier = [sub.agency_id]
            while frontier:
                frontier = [child for parent in frontier for child in children.get(parent, [])]
                agencies.update(frontier)
        sites[sub.pk] = sorted(site_of[agency] for agency in agencies if agency in site_of)
    return sites


def _publication(document, site_id, sub, seen, now):
    earliest = document.source_published_at or seen.source_time
    is_backfill = earliest < sub.starts_at
    obligated_at = max(earliest, sub.starts_at)
    publication = Publication(
        document=document,
        site_id=site_id,
        subscription=sub,
        obligated_at=obligated_at,
        due_at=sub.deadline_rule.due(obligated_at),
        deadline_rule=sub.deadline_rule.name[:255],
        is_backfill=is_backfill,
        source_time=seen.source_time,
        first_seen_at=seen.first_seen_at,
    )
    if sub.policy == Policy.PUBLISH:
        publication.status = PublicationStatus.PUBLISHED
        publication.published_at = now
        publication.decided_at = now
        publication.published_via = PublishedVia.SUBSCRIPTION
    else:
        publication.status = PublicationStatus.QUEUED
    return publication


def _preferred(candidate, held):
    """When two subscriptions cover one site: publishing at once beats queuing, then the earlier due time."""
    if candidate.status != held.status:
        return candidate.status == PublicationStatus.PUBLISHED
    return candidate.due_at < held.due_at


def backfill(subscription):
    """Fan out everything the subscription's source already brought, for a new or widened subscription."""
    document_ids = (
        SourceEntry.objects.filter(source_id=subscription.source_id, document__isnull=False)
        .values_list("document_id", flat=True)
        .distinct()
    )
    return fan_out(list(document_ids), subscriptions=[subscription])
