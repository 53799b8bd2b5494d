from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver

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
