"""What the public side asks the worker to do ahead of readers."""

import logging

from celery import shared_task
from django.conf import settings
from wagtail.images import get_image_model

from ..models.pages import PUBLIC_FILTERS
from . import purging

logger = logging.getLogger(__name__)


@shared_task(name="news57.public.warm_renditions", ignore_result=True)
def warm_renditions(image_id):
    """Make the renditions the public pages draw of a newly saved image; nothing for one deleted meanwhile."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is not None:
        image.get_renditions(*PUBLIC_FILTERS)


@shared_task(
    name="news57.public.purge_changes",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=2,
    retry_backoff_max=300,
    max_retries=8,
)
def purge_changes(sites=(), pages=(), publications=(), everything=False, whole_sites=()):
    """Drop from the frontend cache every URL showing what changed; once more a little later (settings say why)."""
    found = purging.expressions(
        sites=sites, pages=[tuple(pair) for pair in pages], publications=[tuple(pair) for pair in publications],
        whole_sites=whole_sites, everything=everything,
    )
    sent = purging.send(found)
    logger.info("Purged %d sites: %d requests", len(sites), sent)
    send_purges.apply_async(args=[found], countdown=settings.NEWS57_PURGE_REPEAT_SECONDS)


@shared_task(name="news57.public.send_purges", ignore_result=True, autoretry_for=(OSError,), retry_backoff=2, max_retries=8)
def send_purges(found):
    purging.send(found)
