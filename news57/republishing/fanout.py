"""Documents onto the sites that must carry them: `fan_out(document_ids) -> int`.

For each document, every enabled subscription to a source that carried it
(and whose filters admit it) names agencies, by the agency tree; each of their
sites gets one Publication, live at once or queued for approval by the
subscription's policy. Rows go in with one bulk insert that skips any
(document, site) already there, so re-running fan-out, or two workers running
it at once, creates nothing twice, and a run interrupted midway is completed by
the next.

A new or widened subscription gets what its source brought before, in a task
(news57.republishing.tasks) of `backfill_step`s: committed batches of
documents in id order, whose progress the subscription keeps.
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
from ..models.subscriptions import BackfillState
from ..promptness import calendar as working_calendar
from ..promptness.deadlines import clock_start, due_at

BATCH_SIZE = 2000
# A backfill builds about this many publications in memory at a time, whatever its batch, and unless told
# otherwise commits as many in a batch: seconds of SQLite's write lock, not minutes, however big the agency tree.
PUBLICATIONS_AT_ONCE = 20_000
ERROR_LENGTH = 2000


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
    # A provisional document (an editor's text under an issuer their agency is not authoritative for)
    # stays on that agency's site until the issuer's text replaces it.
    documents = DirectiveDocument.objects.filter(pk__in=document_ids, is_provisional=False).prefetch_related("topics")
    calendar = working_calendar.load()
    chosen = {}
    for document in documents:
        for sub in subs:
            seen = carried.get((sub.source_id, document.pk))
            if seen is None or not sub.admits(document):
                continue
            obligation = _obligation(document, sub, seen, calendar)
            for site_id in sites[sub.pk]:
                candidate = _publication(document, site_id, sub, seen, obligation, now)
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


def _obligation(document, sub, seen, calendar):
    """The fields every site of one subscription shares for one document: when its clock starts, when it is due,
    and the rule's terms as they are now (kept on the row, so changing the rule later changes nothing stored)."""
    rule = sub.deadline_rule
    start = clock_start(rule.clock, document.source_published_at, seen.source_time)
    # Published before the subscription began: carried, never counted late.
    is_backfill = start < sub.starts_at
    obligated_at = max(start, sub.starts_at)
    return {
        "obligated_at": obligated_at,
        "due_at": due_at(rule.unit, rule.amount, obligated_at, calendar),
        "is_backfill": is_backfill,
        **rule.terms,
    }


def _publication(document, site_id, sub, seen, obligation, now):
    publication = Publication(
        document=document,
        site_id=site_id,
        subscription=sub,
        source_time=seen.source_time,
        first_seen_at=seen.first_seen_at,
        **obligation,
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
    if candidate.due_at is None or held.due_at is None:
        return held.due_at is None and candidate.due_at is not None
    return candidate.due_at < held.due_at


def documents_brought(source_id, after=None):
    """The ids of the documents a source brought, in id order, after the id `after`: slice it for a batch."""
    entries = SourceEntry.objects.filter(source_id=source_id, document__isnull=False)
    if after is not None:
        entries = entries.filter(document_id__gt=after)
    return entries.order_by("document_id").values_list("document_id", flat=True).distinct()


def backfill(subscription, document_ids=None):
    """Fan out, for a new or widened subscription, these documents of its source (or all it brought); returns how many
    publications were created.

    The documents go to fan_out a slice at a time, each slice about PUBLICATIONS_AT_ONCE publications over the
    subscription's sites, so memory stays the same however many documents come at once.
    """
    if document_ids is None:
        created, after, size = 0, None, default_batch_size(subscription)
        while ids := list(documents_brought(subscription.source_id, after)[:size]):
            created += backfill(subscription, ids)
            after = ids[-1]
        return created
    document_ids = list(document_ids)
    if not document_ids:
        return 0
    size = default_batch_size(subscription)
    return sum(
        fan_out(document_ids[start : start + size], subscriptions=[subscription])
        for start in range(0, len(document_ids), size)
    )


def default_batch_size(subscription):
    """Documents per batch unless told: about PUBLICATIONS_AT_ONCE publications over the subscription's sites."""
    sites = len(_sites([subscription])[subscription.pk])
    return max(1, PUBLICATIONS_AT_ONCE // max(1, sites))


def backfill_step(subscription_id, batch_size=None):
    """The next step of a subscription's backfill, committed on its own; returns whether another step follows.

    The first step marks the backfill running and counts its documents; each next one fans out the
    `batch_size` documents (by default default_batch_size's) after the cursor and moves the cursor in
    the same transaction. The cursor
    lives on the locked subscription row, so two workers take turns with the batches, a run cut short
    is continued by the next from its last committed batch, and saving the subscription again (which
    queues it afresh) starts the run over whichever task is at it.
    """
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(pk=subscription_id).first()
        if subscription is None or not subscription.enabled or subscription.backfill_state == BackfillState.DONE:
            return False
        progress = Subscription.objects.filter(pk=subscription.pk)
        if subscription.backfill_state != BackfillState.RUNNING:
            fields = {"backfill_state": BackfillState.RUNNING, "backfill_error": "", "backfill_finished_at": None}
            if subscription.backfill_state != BackfillState.FAILED or subscription.backfill_total is None:
                # A failed run goes on from its cursor; any other starts here.
                fields["backfill_started_at"] = timezone.now()
                fields["backfill_total"] = documents_brought(subscription.source_id).count()
            progress.update(**fields)
            return True
        batch_size = batch_size or default_batch_size(subscription)
        ids = list(documents_brought(subscription.source_id, subscription.backfill_cursor)[:batch_size])
        backfill(subscription, ids)
        done = subscription.backfill_done + len(ids)
        fields = {"backfill_done": done, "backfill_cursor": ids[-1] if ids else subscription.backfill_cursor}
        finished = len(ids) < batch_size
        if finished:
            fields["backfill_state"] = BackfillState.DONE
            fields["backfill_finished_at"] = timezone.now()
            # Documents that arrived meanwhile were in the id range too.
            fields["backfill_total"] = max(subscription.backfill_total or 0, done)
        progress.update(**fields)
    return not finished


def backfill_failed(subscription_id, error):
    """Record why a backfill stopped; its committed batches stay, and the cursor says where the next run goes on."""
    unfinished = [BackfillState.QUEUED, BackfillState.RUNNING]
    Subscription.objects.filter(pk=subscription_id, backfill_state__in=unfinished).update(
        backfill_state=BackfillState.FAILED,
        backfill_finished_at=timezone.now(),
        backfill_error=f"{type(error).__name__}: {error}"[:ERROR_LENGTH],
    )
