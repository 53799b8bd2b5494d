"""E-mails that warn an agency's editors and leaders, once, that queued documents are nearly due or overdue.

A queued, non-backfill publication with a due time gets a warning once 75% of the
time from its obligation to its due time has gone, and an overdue notice once the
due time has passed; one first seen already overdue gets the notice only. Each tick
sends at most one e-mail per site and kind, listing its documents.

"Once" is held by the database, not the broker: inside one transaction per e-mail,
each publication is marked with a conditional UPDATE (the mark still empty, the row
still queued) and the e-mail is sent. A concurrent tick's UPDATE of the same row
waits for that transaction and then matches nothing (PostgreSQL's read committed
re-checks the condition), so it leaves the publication out. A failed send rolls the
marks back and the next tick tries again. A site whose agency has nobody to receive
the e-mail is left unmarked, so its e-mails go out once someone is added.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from .. import vietnam_time
from ..models import Agency, Publication, PublicationStatus

logger = logging.getLogger(__name__)

# The share of the time allowed after which the agency is warned.
WARNING_SHARE = 0.75
LANGUAGE = "vi"


class Kind(StrEnum):
    WARNING = "warning"
    OVERDUE = "overdue"

    @property
    def mark(self):
        """The field that records this e-mail went out."""
        return f"{self.value}_sent_at"


@dataclass(frozen=True)
class Sent:
    """E-mails sent by one run, per kind, and those that failed (tried again next run)."""

    warnings: int = 0
    overdue: int = 0
    failed: int = 0


def kind_due(obligated_at: datetime, due_at: datetime, warned: bool, now: datetime) -> Kind | None:
    """The e-mail a publication is due now, given whether its warning went out; None for none."""
    if now >= due_at:
        return Kind.OVERDUE
    if not warned and now >= obligated_at + (due_at - obligated_at) * WARNING_SHARE:
        return Kind.WARNING
    return None


def send_warnings(now: datetime | None = None) -> Sent:
    """Send every warning and overdue e-mail due at `now`, one per site and kind."""
    now = now or timezone.now()
    pending = _pending(now)
    agencies = Agency.objects.select_related("site", "editors", "leaders").in_bulk(
        {site_id for site_id, _kind in pending}, field_name="site_id"
    )
    counts = defaultdict(int)
    for (site_id, kind), pks in sorted(pending.items()):
        agency = agencies[site_id]
        recipients = recipients_of(agency)
        if not recipients:
            continue
        try:
            if _send(agency, kind, pks, recipients, now):
                counts[kind] += 1
        except Exception:  # noqa: BLE001 - one site's failure must not keep the others' e-mails back
            logger.exception("The deadline %s e-mail of %s was not sent; the next run tries again", kind, agency)
            counts["failed"] += 1
    return Sent(warnings=counts[Kind.WARNING], overdue=counts[Kind.OVERDUE], failed=counts["failed"])


def _open():
    """The publications that may still be late: queued, not backfill, with a due time.

    Conditions on this table's columns only: through a join, Django's UPDATE filters by a subquery,
    which PostgreSQL does not check again after waiting on the row, so a second run would match it.
    """
    return Publication.objects.filter(status=PublicationStatus.QUEUED, is_backfill=False, due_at__isnull=False)


def _pending(now) -> dict[tuple[int, Kind], list[int]]:
    """{(site id, kind): publication ids} of the e-mails due now."""
    rows = (
        _open()
        .filter(site__agency__isnull=False, overdue_sent_at__isnull=True)
        .filter(Q(warning_sent_at__isnull=True) | Q(due_at__lte=now))
        .values_list("pk", "site_id", "obligated_at", "due_at", "warning_sent_at")
    )
    pending = defaultdict(list)
    for pk, site_id, obligated_at, due_at, warned_at in rows:
        kind = kind_due(obligated_at, due_at, warned_at is not None, now)
        if kind is not None:
            pending[site_id, kind].append(pk)
    return pending


def recipients_of(agency) -> list[str]:
    """The e-mail addresses of the agency's active editors and leaders, each once."""
    groups = [group for group in (agency.editors, agency.leaders) if group is not None]
    if not groups:
        return []
    addresses = (
        get_user_model()
        .objects.filter(is_active=True, groups__in=groups)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
    )
    unique = {}
    for address in addresses:
        unique.setdefault(address.strip().lower(), address.strip())
    return list(unique.values())


def _send(agency, kind, pks, recipients, now) -> bool:
    """Mark and send one e-mail in one transaction: a failed send unmarks. False when another run had them all."""
    with transaction.atomic():
        claimed = _claim(kind, pks, now)
        if not claimed:
            return False
        listed = Publication.objects.filter(pk__in=claimed).select_related("document").order_by("due_at", "pk")
        message(agency, kind, list(listed), recipients).send()
    return True


def _claim(kind, pks, now) -> list[int]:
    """Mark each publication whose mark is still empty; the ids this run marked. In id order, so that two
    runs lock rows in the same order and never deadlock."""
    claimed = [
        pk
        for pk in sorted(pks)
        if _open().filter(pk=pk, **{f"{kind.mark}__isnull": True}).update(**{kind.mark: now}) == 1
    ]
    if kind == Kind.OVERDUE:
        # Overdue makes the warning moot: it is never sent afterwards.
        Publication.objects.filter(pk__in=claimed, warning_sent_at__isnull=True).update(warning_sent_at=now)
    return claimed


def queue_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("news57_queue")


def message(agency, kind, publications, recipients) -> EmailMultiAlternatives:
    """The e-mail, in Vietnamese whatever language is active."""
    with translation.override(LANGUAGE):
        context = {
            "agency": agency,
            "overdue": kind == Kind.OVERDUE,
            "rows": [_row(publication) for publication in publications],
            "queue_url": queue_url(),
        }
        email = EmailMultiAlternatives(
            subject=_subject(agency, kind, len(publications)),
            body=render_to_string("news57/email/deadline_warning.txt", context),
            to=recipients,
        )
        email.attach_alternative(render_to_string("news57/email/deadline_warning.html", context), "text/html")
    return email


def _subject(agency, kind, count):
    if kind == Kind.OVERDUE:
        text = ngettext(
            "%(count)d document overdue for publication – %(agency)s",
            "%(count)d documents overdue for publication – %(agency)s",
            count,
        )
    else:
        text = ngettext(
            "%(count)d document nearly due for publication – %(agency)s",
            "%(count)d documents nearly due for publication – %(agency)s",
            count,
        )
    # A header cannot carry a line break.
    return " ".join((text % {"count": count, "agency": agency.name}).split())


def _row(publication):
    return {
        "document": str(publication.document),
        "due": vietnam_time.shown(publication.due_at),
        "terms": publication.deadline_terms,
    }

