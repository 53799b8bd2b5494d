"""The Celery app: broker from CELERY_BROKER_URL, beat schedule from settings."""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")

app = Celery("news57")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def freeze_worker_code(**kwargs):
    """Each pool process, once forked from the loaded worker, freezes what is loaded (cms/startup.py): a fan-out
    to 5,000 sites took 0.74-0.77 s instead of 1.06-1.09 s when its full collections no longer walked it."""
    from .startup import freeze_loaded_code

    freeze_loaded_code()


@app.on_after_finalize.connect
def add_periodic_tasks(sender, **kwargs):
    from django.conf import settings

    interval = float(settings.NEWS57_PUBLISH_SCHEDULED_SECONDS)
    sender.add_periodic_task(
        interval,
        sender.signature("news57.tasks.publish_scheduled"),
        name="wagtail scheduled publishing",
        # A run nobody picked up is superseded by the next one; don't pile them up.
        expires=interval,
    )
    tick = float(settings.NEWS57_SYNDICATION_TICK_SECONDS)
    sender.add_periodic_task(
        tick,
        sender.signature("news57.syndication.tick"),
        name="syndication: poll due sources",
        expires=tick,
    )
    warnings = float(settings.NEWS57_DEADLINE_WARNING_SECONDS)
    sender.add_periodic_task(
        warnings,
        sender.signature("news57.promptness.send_deadline_warnings"),
        name="promptness: deadline warnings",
        expires=warnings,
    )
    sender.add_periodic_task(
        3600.0,
        sender.signature("news57.tasks.refresh_database_statistics"),
        name="database: planner statistics",
        expires=3600.0,
    )
