"""What the public side asks the worker to do ahead of readers."""

from celery import shared_task
from wagtail.images import get_image_model

from ..models.pages import PUBLIC_FILTERS


@shared_task(name="news57.public.warm_renditions", ignore_result=True)
def warm_renditions(image_id):
    """Make the renditions the public pages draw of a newly saved image; nothing for one deleted meanwhile."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is not None:
        image.get_renditions(*PUBLIC_FILTERS)
