"""Celery tasks of syndication: thin, the work is in poll/store/attachments.

The database, not the broker, makes the work durable: the tick claims a due
source for a while before queuing it, and the source moves on only when its
import commits, so a poll lost with its worker is queued again when the claim
runs out.
"""

from datetime import timedelta

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


def unclaimed(now):
    """Sources no tick or command has claimed, or whose claim ran out (its poll was lost)."""
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def claim_due_sources(now=None, ids=None):
    """The ids of the due sources (enabled ones, or those named), each claimed so nobody else queues it meanwhile."""
    now = now or timezone.now()
    lease = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT * (RETRIES + 1) + 60)
    eligible = Q(pk__in=ids) if ids is not None else Q(enabled=True)
    with transaction.atomic():
        due = list(
            Source.objects.select_for_update(skip_locked=True)
            .filter(eligible, unclaimed(now), next_poll_at__lte=now)
            .order_by("next_poll_at", "pk")
            .values_list("pk", flat=True)
        )
        Source.objects.filter(pk__in=due).update(claimed_until=now + lease)
    return due


@shared_task(name="news57.syndication.tick", ignore_result=True)
def tick():
    """Run by beat every NEWS57_SYNDICATION_TICK_SECONDS: one poll task per due source."""
    for source_id in claim_due_sources():
        poll_source.delay(source_id)
    if downloads_due():
        download_attachments.delay()


@shared_task(
    bind=True,
    name="news57.syndication.poll_source",
    ignore_result=True,
    acks_late=True,
    max_retries=RETRIES,
)
def poll_source(self, source_id):
    source = Source.objects.filter(pk=source_id, enabled=True).first()
    if source is None:
        return
    last_try = self.request.retries >= self.max_retries
    try:
        outcome = poll(source, raise_transient=not last_try)
    except FetchError as error:
        # A network failure: try again soon before counting it against the source.
        raise self.retry(exc=error, countdown=min(300, 5 * 4**self.request.retries))
    if outcome.ok and outcome.stored.documents:
        download_attachments.delay()


@shared_task(name="news57.syndication.download_attachments", ignore_result=True, acks_late=True)
def download_attachments():
    """Fetch the enclosed files that are due (new ones, and failed ones whose retry time came)."""
    download_due()
