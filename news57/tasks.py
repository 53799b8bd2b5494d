from celery import shared_task
from django.core.management import call_command

from .database import refresh_statistics


@shared_task(name="news57.tasks.publish_scheduled", ignore_result=True)
def publish_scheduled():
    """Wagtail's scheduled publishing and expiry, run by beat every minute."""
    call_command("publish_scheduled")


@shared_task(name="news57.tasks.refresh_database_statistics", ignore_result=True)
def refresh_database_statistics():
    """The query planner's statistics, kept up with the data's growth (beat, every hour)."""
    refresh_statistics()


# Syndication's tasks live beside its steps; importing them here registers them.
from .syndication.tasks import poll_source, tick  # noqa: E402, F401
from .republishing.tasks import backfill_subscription  # noqa: E402, F401
from .promptness.tasks import send_deadline_warnings  # noqa: E402, F401
from .public.tasks import purge_changes, send_purges, warm_renditions  # noqa: E402, F401
