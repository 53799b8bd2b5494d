"""The approval queue: what subscriptions queued for a site, and how long each has left before it is late."""

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import Publication, PublicationStatus


def queued_publications(site_ids):
    """The queued publications of these sites, oldest due first."""
    return (
        Publication.objects.filter(status=PublicationStatus.QUEUED, site_id__in=site_ids)
        .select_related("document__issuer", "site__agency")
        .prefetch_related("document__source_entries__source")
        .order_by(F("due_at").asc(nulls_last=True), "obligated_at", "pk")
    )


def duration_words(delta):
    """A rough length of time in words: days and hours, hours, or minutes."""
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        text = ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
        if hours:
            text += " " + ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
        return text
    if hours:
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    minutes = max(minutes, 1)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def time_left(due_at, now=None):
    """("còn 5 giờ", False) before the due time, ("quá hạn 2 giờ", True) after it; (—, False) with none."""
    if due_at is None:
        return _("No deadline"), False
    now = now or timezone.now()
    if due_at >= now:
        return _("%(time)s left") % {"time": duration_words(due_at - now)}, False
    return _("%(time)s overdue") % {"time": duration_words(now - due_at)}, True
