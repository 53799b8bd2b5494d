"""Celery tasks of syndication: thin, the work is in poll/store/attachments.

The database, not the broker, makes the work durable: the tick claims a due
source for one attempt before queuing it, and the source moves on only when
its import commits, so a poll lost with its worker is queued again soon after
the claim runs out. The claim is the source's claimed_until: whoever polls
carries the value it set and polls only while the source still has it, so a
poll whose claim ran out and was taken by another never polls a second time.
"""

from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import Source
from .attachments import download_due, downloads_due
from .fetch import FetchError
from .poll import poll

RETRIES = 3

# Past the hard time limit: the worker's own time to record, ack or give up the task.
CLAIM_MARGIN = timedelta(seconds=60)


def claim_lease():
    """How long a claim keeps others off a source: one attempt, which the time limit ends."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + CLAIM_MARGIN


def unclaimed(now):
    """Sources no tick or command has claimed, or whose claim ran out (its poll was lost)."""
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def claim_sources(eligible, now=None, order=("next_poll_at", "pk")):
    """Claim the eligible sources nobody holds, for one attempt: (their ids, the claim).

    The claim is the claimed_until they were given; pass it on to whoever polls them.
    """
    now = now or timezone.now()
    claim = now + claim_lease()
    with transaction.atomic():
        ids = list(
            Source.objects.select_for_update(skip_locked=True)
            .filter(eligible, unclaimed(now))
            .order_by(*order)
            .values_list("pk", flat=True)
        )
        Source.objects.filter(pk__in=ids).update(claimed_until=claim)
    return ids, claim


def claim_due_sources(now=None, ids=None):
    """The due sources (enabled ones, or those named), claimed so nobody else queues them: (ids, claim)."""
    now = now or timezone.now()
    eligible = Q(pk__in=ids) if ids is not None else Q(enabled=True)
    return claim_sources(eligible & Q(next_poll_at__lte=now), now)


def move_claim(source_id, claim, until):
    """Move our claim on a source to until (None gives it up); False when the source no longer has our claim."""
    return Source.objects.filter(pk=source_id, claimed_until=claim).update(claimed_until=until) == 1


def renew_claim(source_id, claim, now=None):
    """Start an attempt under our claim: the claim renewed for one attempt from now, or None when it is not ours."""
    renewed = (now or timezone.now()) + claim_lease()
    return renewed if move_claim(source_id, claim, renewed) else None


@shared_task(name="news57.syndication.tick", ignore_result=True)
def tick():
    """Run by beat every NEWS57_SYNDICATION_TICK_SECONDS: one poll task per due source."""
    ids, claim = claim_due_sources()
    for source_id in ids:
        poll_source.delay(source_id, claim.isoformat())
    if downloads_due():
        download_attachments.delay()


@shared_task(
    bind=True,
    name="news57.syndication.poll_source",
    ignore_result=True,
    acks_late=True,
    max_retries=RETRIES,
)
def poll_source(self, source_id, claim=None):
    """Poll one source under the claim the tick (or the previous attempt) gave it, as an ISO time.

    Without a claim (queued by hand) the task claims the source itself, unless someone holds it.
    """
    if claim is None:
        ids, held = claim_sources(Q(pk=source_id))
        claim = held if ids else None
    else:
        # Renewed, not just compared: the attempt may start long after the tick claimed it.
        claim = renew_claim(source_id, datetime.fromisoformat(claim))
    if claim is None:
        return  # another worker or the command holds the source, or has polled it since
    source = Source.objects.filter(pk=source_id, enabled=True).first()
    if source is None:
        move_claim(source_id, claim, None)
        return
    last_try = self.request.retries >= self.max_retries
    try:
        outcome = poll(source, raise_transient=not last_try)
    except FetchError as error:
        # A network failure: try again soon before counting it against the source.
        countdown = min(300, 5 * 4**self.request.retries)
        # Held through the wait, so no tick queues the source while its retry is pending.
        retry_claim = timezone.now() + timedelta(seconds=countdown) + claim_lease()
        if not move_claim(source_id, claim, retry_claim):
            return  # this attempt outlived its claim: the source is someone else's now
        raise self.retry(args=[source_id, retry_claim.isoformat()], kwargs={}, exc=error, countdown=countdown)
    if outcome.ok and outcome.stored.documents:
        download_attachments.delay()


@shared_task(name="news57.syndication.download_attachments", ignore_result=True, acks_late=True)
def download_attachments():
    """Fetch the enclosed files that are due (new ones, and failed ones whose retry time came)."""
    download_due()
