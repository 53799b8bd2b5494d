from django.db import models, transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .republishing.fanout import backfill
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
    """A new or changed subscription gets the documents its source brought before it, once committed."""
    if raw or not instance.enabled:
        return
    transaction.on_commit(lambda: backfill(instance))
