"""The Celery app: broker from CELERY_BROKER_URL, beat schedule from settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")

app = Celery("news57")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


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
