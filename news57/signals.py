from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver
from wagtail.images import get_image_model

from .models import DirectiveDocument
from .republishing.fanout import fan_out
from .text import nfc


@receiver(pre_save)
def store_text_as_nfc(sender, instance, raw=False, **kwargs):
    """Text saved by code (commands, feeds, shells) is NFC too, not only form input."""
    if raw:
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, nfc(value))


@receiver(post_save, sender="news57.Subscription")
def carry_what_the_source_already_brought(sender, instance, raw=False, **kwargs):
    """A new or changed subscription gets the documents its source brought before it: a task queued once committed."""
    if raw or not instance.enabled:
        return
    from .republishing.tasks import backfill_subscription

    instance.queue_backfill()
    subscription_id = instance.pk
    # Robust: the save is committed by then, so a broker that is down must not turn it into an error page.
    transaction.on_commit(lambda: backfill_subscription.delay(subscription_id), robust=True)


@receiver(post_save, sender=get_image_model())
def warm_the_public_renditions(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    """An image saved with a new file gets the renditions the public pages draw, made by the worker once committed."""
    if raw or (update_fields is not None and "file" not in update_fields):
        return
    from .public.tasks import warm_renditions

    image_id = instance.pk
    transaction.on_commit(lambda: warm_renditions.delay(image_id), robust=True)


@receiver(m2m_changed, sender=DirectiveDocument.topics.through)
def carry_what_a_topic_now_admits(sender, instance, action, reverse, pk_set, **kwargs):
    """A document given a topic may now pass a subscription's topic filter: fan it out again, once committed.

    Fan-out creates only what is missing, so a topic taken away withdraws nothing.
    """
    if action != "post_add" or not pk_set:
        return
    documents = [instance.pk] if not reverse else list(pk_set)
    transaction.on_commit(lambda: fan_out(documents))
