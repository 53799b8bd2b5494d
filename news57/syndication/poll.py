"""One poll of one source: fetch, parse, clean, store, and record how it went.

`poll(source)` is what the Celery task, the `syndicate` command and the
admin's "check" share. The import and the source's new state (validators,
next poll, counters) commit together, so a worker killed midway leaves the
source due again with nothing half-written: a re-run, never a loss.
`preview(url)` runs the same steps without touching the database.

Entries with neither a title nor a link are not stored; a poll that met some
says how many in the source's history (ENTRIES_SKIPPED), in the same
transaction as the import, and on its Outcome.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from ..models import Source
from ..republishing.fanout import fan_out
from .fetch import FetchError, Validators, fetch
from .parse import TRUNCATED, ParseError, named, parse
from .sanitize import clean
from .store import Stored, store

logger = logging.getLogger(__name__)

# Failures worth an immediate retry: the network, not the feed.
TRANSIENT_REASONS = frozenset({"dns", "connection", "timeout", "truncated"})

# Logged on the source, data {"count": N, "url": the feed as fetched}; registered in news57.wagtail_hooks.
ENTRIES_SKIPPED = "news57.source.entries_skipped"


@dataclass
class Outcome:
    """How a poll went: ok, not modified, or failed with an error (FetchError/ParseError)."""

    source_id: int
    status: str  # "imported", "not_modified", "failed"
    stored: Stored = field(default_factory=Stored)
    error: Exception | None = None
    skipped_entries: int = 0  # with neither a title nor a link, so not stored

    @property
    def ok(self):
        return self.status != "failed"


def poll(source, *, raise_transient=False, now=None):
    """Poll a source once and record the outcome on it; never raises for a bad feed.

    With raise_transient, a network failure is raised instead of recorded, for a
    caller (the Celery task) that retries it before counting it.
    """
    started = now or timezone.now()
    try:
        response = fetch(source.url, Validators(source.etag, source.last_modified), timeout=fetch_timeout())
        entries, skipped = None, 0
        if not response.not_modified:
            entries, skipped = named(parse(response.body, response.url, response.content_type))
    except FetchError as error:
        if raise_transient and error.reason in TRANSIENT_REASONS:
            raise
        return record_failure(source, error, at=started)
    except ParseError as error:
        return record_failure(source, error, at=started)
    except Exception as error:  # a bug must not stop the other sources
        logger.exception("polling source %s (%s) failed", source.pk, source.url)
        return record_failure(source, error, at=started)
    try:
        with transaction.atomic():
            locked = Source.objects.select_for_update().get(pk=source.pk)
            stored = store(locked, entries, seen_at=started, cleaner=clean) if entries else Stored()
            # In the import's transaction: a document is never stored without its publications.
            stored.publications = fan_out(stored.touched_documents)
            _record_success(locked, response.validators, stored, at=started)
            if skipped:
                log(instance=locked, action=ENTRIES_SKIPPED, data={"count": skipped, "url": response.url})
    except Exception as error:
        logger.exception("storing source %s (%s) failed", source.pk, source.url)
        return record_failure(source, error, at=started)
    source.refresh_from_db()
    status = "not_modified" if entries is None else "imported"
    return Outcome(source.pk, status, stored, skipped_entries=skipped)


def _record_success(source, validators, stored, *, at):
    source.etag = validators.etag[:255]
    source.last_modified = validators.last_modified[:255]
    source.last_polled_at = at
    source.last_success_at = at
    source.last_error_reason = ""
    source.last_error_params = {}
    source.last_error_detail = ""
    source.consecutive_failures = 0
    source.entries_seen += stored.new_entries
    source.next_poll_at = at + source.interval
    source.claimed_until = None
    source.save()


def record_failure(source, error, *, at=None):
    """Count a failure, back off, and turn the source off after a long run of them."""
    at = at or timezone.now()
    key = getattr(error, "key", None) or "internal"
    params = getattr(error, "params", None) or {}
    with transaction.atomic():
        locked = Source.objects.select_for_update().get(pk=source.pk)
        locked.last_polled_at = at
        locked.last_error_at = at
        locked.last_error_reason = key
        locked.last_error_params = {name: str(value) for name, value in params.items()}
        locked.last_error_detail = str(error)[:2000]
        locked.consecutive_failures += 1
        locked.next_poll_at = at + locked.backoff()
        locked.claimed_until = None
        if locked.consecutive_failures >= settings.NEWS57_SOURCE_DISABLE_AFTER_FAILURES:
            locked.enabled = False
            locked.disabled_at = at
        # save() would re-enable a source whose disabled_at we just set: write the fields directly.
        Source.objects.filter(pk=locked.pk).update(
            **{
                name: getattr(locked, name)
                for name in (
                    "last_polled_at",
                    "last_error_at",
                    "last_error_reason",
                    "last_error_params",
                    "last_error_detail",
                    "consecutive_failures",
                    "next_poll_at",
                    "claimed_until",
                    "enabled",
                    "disabled_at",
                )
            }
        )
    source.refresh_from_db()
    return Outcome(source.pk, "failed", error=error)


def fetch_timeout():
    return (settings.NEWS57_FETCH_CONNECT_TIMEOUT_SECONDS, settings.NEWS57_FETCH_TIMEOUT_SECONDS)


@dataclass
class Preview:
    """What a poll would import, without importing: the entries as cleaned, or the error."""

    url: str
    entries: list = field(default_factory=list)  # (Entry, cleaned body)
    error: Exception | None = None
    recovered: bool = False  # a truncated feed's complete entries
    skipped: int = 0  # entries a poll would skip: neither a title nor a link

    @property
    def ok(self):
        return self.error is None


def preview(url):
    """Fetch and parse url once, clean each entry's body; nothing is stored."""
    try:
        response = fetch(url, timeout=fetch_timeout())
        entries, skipped = named(parse(response.body, response.url, response.content_type))
    except FetchError as error:
        return Preview(url, error=error)
    except ParseError as error:
        if error.reason == TRUNCATED and error.entries:
            complete, skipped = named(error.entries)
            return Preview(url, [(e, clean(e.summary_html, e.link or url)) for e in complete], error, True, skipped)
        return Preview(url, error=error)
    return Preview(url, [(entry, clean(entry.summary_html, entry.link or url)) for entry in entries], skipped=skipped)
