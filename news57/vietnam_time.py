"""Vietnam time for people, UTC in storage: the zone is Django's TIME_ZONE (Asia/Ho_Chi_Minh)."""

from datetime import datetime

from django.utils import timezone


def zone():
    return timezone.get_default_timezone()


def now() -> datetime:
    """This moment in Vietnam time."""
    return timezone.localtime(timezone.now(), zone())


def local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment, zone()) if moment else None


def shown(moment: datetime | None) -> str:
    """A moment as people here write it, "22/12/2024 10:30", or "" for none."""
    return local(moment).strftime("%d/%m/%Y %H:%M") if moment else ""
