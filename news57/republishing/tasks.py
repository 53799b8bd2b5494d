"""Celery tasks of republishing: thin, the work and its progress are in fanout.backfill_step.

The subscription row, not the broker, holds where a backfill stands: each batch
commits with its cursor, so a task lost with its worker, or redelivered, or
running beside another for the same subscription, goes on from the last
committed batch and creates nothing twice.
"""

import time

from celery import shared_task
from django.conf import settings

from .fanout import backfill_failed, backfill_step


@shared_task(bind=True, name="news57.republishing.backfill_subscription", ignore_result=True, acks_late=True)
def backfill_subscription(self, subscription_id, batch_size=None, seconds=None):
    """Carry what the subscription's source already brought, batch by batch (of `batch_size` documents, or as many as
    make about fanout.PUBLICATIONS_AT_ONCE publications), for `seconds` at most (half the soft time limit unless
    told), then hand over to a new task of the same."""
    if seconds is None:
        seconds = settings.CELERY_TASK_SOFT_TIME_LIMIT / 2
    deadline = time.monotonic() + seconds
    try:
        while backfill_step(subscription_id, batch_size):
            if time.monotonic() > deadline:
                # A long backfill goes on in a fresh task rather than meet the time limit; the cursor says where.
                self.apply_async((subscription_id,), {"batch_size": batch_size, "seconds": seconds})
                return
    except Exception as error:
        backfill_failed(subscription_id, error)
        raise
