"""manage.py syndicate: poll sources in the foreground, or check what a feed address would give.

    syndicate --check URL          what a poll of URL would import, as JSON; nothing is stored
    syndicate --once [--source ID]  poll the enabled sources (or those named) once, due or not, then stop
    syndicate [--source ID]        keep polling due sources until Ctrl-C

Polling goes through the same `poll(source)` as the Celery worker, so a source
polled here records its state (and backs off, and turns itself off) exactly as
it would there. Both modes claim each source before polling it, as the beat
tick does, so a worker running at the same time does not poll it twice, and
leave alone (saying so) the sources a worker is polling.
"""

import json
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from news57 import vietnam_time
from news57.document_codes import DocumentCode
from news57.models import Carries, Source
from news57.source_errors import error_message
from news57.syndication.poll import poll, preview
from news57.syndication.store import Issuers
from news57.syndication.store import entry_kind as kind_for
from news57.syndication.tasks import claim_due_sources, claim_sources, move_claim, renew_claim, unclaimed

BAR_WIDTH = 24

# Module-level so tests can stop the loop without waiting.
sleep = time.sleep


class Command(BaseCommand):
    @property
    def help(self):
        return _(
            "Poll feed sources in the foreground, or check a feed address without storing anything. "
            "With --once, the exit status is 1 when any source failed."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            metavar="URL",
            help=_(
                "Fetch URL once and print, as JSON, what a poll would import; nothing is stored. "
                "The exit status is 1 when the address gives no usable feed."
            ),
        )
        parser.add_argument(
            "--source",
            action="append",
            default=[],
            metavar="ID",
            help=_(
                "Poll only this source (repeat for several). A source named here is polled "
                "even when it is turned off or not yet due."
            ),
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help=_("Poll each selected source once and stop, instead of polling due sources until Ctrl-C."),
        )

    def handle(self, *args, check, source, once, **options):
        if check is not None:
            if source or once:
                raise CommandError(_("--check takes only an address; it cannot be combined with --source or --once."))
            return self.check_address(check)
        named = self.named_sources(source)
        if once:
            return self.poll_once(named)
        try:
            self.poll_forever(named)
        except KeyboardInterrupt:
            self.stdout.write("")
            self.stdout.write(_("Stopped."))

    # --check

    def check_address(self, url):
        result = preview(url)
        document = {"url": url}
        if result.entries:
            issuers = Issuers(None)
            first_seen_at = timezone.now().isoformat()
            document["entries"] = [entry_json(entry, body, issuers, first_seen_at) for entry, body in result.entries]
        elif result.ok:
            document["entries"] = []
        if result.error is not None:
            document["error"] = {"reason": error_reason(result.error), "message": error_text(result.error)}
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
        if result.error is not None:
            raise CommandError(error_text(result.error))

    # Choosing sources

    def named_sources(self, ids):
        """The sources named by --source, in the order given; CommandError naming any that do not exist."""
        if not ids:
            return None
        values = [value.strip() for value in ids]
        found = Source.objects.in_bulk([int(value) for value in values if value.isdigit()])
        unknown = [value for value in values if not value.isdigit() or int(value) not in found]
        if unknown:
            raise CommandError(
                ngettext(
                    "There is no source with the id %(ids)s.",
                    "There are no sources with the ids %(ids)s.",
                    len(unknown),
                )
                % {"ids": ", ".join(unknown)}
            )
        return list(dict.fromkeys(found[int(value)] for value in values))

    # --once

    def poll_once(self, named):
        sources = named if named is not None else list(Source.objects.filter(enabled=True).order_by("name", "pk"))
        if not sources:
            self.stdout.write(_("No source is enabled: nothing to poll."))
            return
        # Due or not, as asked; only a live claim (a worker polling it) keeps a source out.
        ids, claim = claim_sources(Q(pk__in=[source.pk for source in sources]))
        found = Source.objects.in_bulk(ids)
        for source in sources:
            if source.pk not in found:
                self.stdout.write(skipped_line(source))
        outcomes = self.poll_each([found[source.pk] for source in sources if source.pk in found], claim)
        if not outcomes:
            return
        failed = [source for source, outcome in outcomes if not outcome.ok]
        self.stdout.write(summary(outcomes))
        if failed:
            raise CommandError(
                ngettext("%(count)s source failed.", "%(count)s sources failed.", len(failed)) % {"count": len(failed)}
            )

    # The loop

    def poll_forever(self, named):
        ids = [source.pk for source in named] if named is not None else None
        tick = float(settings.NEWS57_SYNDICATION_TICK_SECONDS)
        if ids is None:
            self.stdout.write(_("Polling the enabled sources as they fall due; press Ctrl-C to stop."))
        else:
            self.stdout.write(
                ngettext(
                    "Polling %(count)s source as it falls due; press Ctrl-C to stop.",
                    "Polling %(count)s sources as they fall due; press Ctrl-C to stop.",
                    len(ids),
                )
                % {"count": len(ids)}
            )
        while True:
            # A long-running process must not keep a connection the database has dropped;
            # inside a test's transaction there is none to refresh.
            if not connection.in_atomic_block:
                close_old_connections()
            due, claim = claimed_sources(ids)
            if due:
                self.poll_each(due, claim, stamp=True)
            sleep(seconds_until_next(ids, cap=tick))

    # Polling with progress

    def poll_each(self, sources, claim, stamp=False):
        """Poll the sources claimed with claim, each only while the claim is still ours."""
        progress = Progress(self.stderr, len(sources))
        outcomes = []
        held = {source.pk: claim for source in sources}
        try:
            for number, source in enumerate(sources, start=1):
                # Renewed for this poll: the claim was for one attempt, and earlier polls took time.
                held[source.pk] = renew_claim(source.pk, held[source.pk])
                if held[source.pk] is None:
                    del held[source.pk]
                    self.stdout.write(stamped(skipped_line(source), stamp))
                    continue
                progress.show(number, source.name)
                outcome = poll(source)
                del held[source.pk]  # poll() gave the claim up when it recorded the outcome
                outcomes.append((source, outcome))
                progress.clear()
                line = stamped(result_line(source, outcome), stamp)
                self.stdout.write(line, style_func=self.style.ERROR if not outcome.ok else None)
        except BaseException:
            release_claims(held)
            raise
        progress.done()
        return outcomes


class Progress:
    """A bar redrawn in place on a terminal; one plain line per source anywhere else (a log, a pipe)."""

    def __init__(self, out, total):
        self.out = out
        self.total = total
        self.tty = out.isatty()
        self.drawn = False

    def show(self, number, name):
        if self.tty:
            filled = BAR_WIDTH * (number - 1) // self.total
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            text = _("Polling %(name)s") % {"name": name}
            self.out.write(f"\r\x1b[K[{bar}] {number}/{self.total} {text}", style_func=plain, ending="")
            self.out.flush()
            self.drawn = True
        else:
            text = _("[%(number)s/%(total)s] Polling %(name)s") % {"number": number, "total": self.total, "name": name}
            self.out.write(text, style_func=plain)

    def clear(self):
        if self.drawn:
            self.out.write("\r\x1b[K", style_func=plain, ending="")
            self.out.flush()
            self.drawn = False

    def done(self):
        self.clear()


def plain(text):
    """No colour: Django paints everything on stderr as an error."""
    return text


def claimed_sources(ids):
    """The due sources, claimed as the beat tick claims them so a worker alongside skips them: (sources, claim)."""
    claimed, claim = claim_due_sources(ids=ids)
    found = Source.objects.in_bulk(claimed)
    return [found[pk] for pk in claimed], claim


def release_claims(held):
    """Give back the claims still held ({source id: claim}): polls Ctrl-C or an error cut short or never began."""
    for source_id, claim in held.items():
        move_claim(source_id, claim, None)


def stamped(line, stamp):
    return f"[{vietnam_time.shown(vietnam_time.now())}] {line}" if stamp else line


def skipped_line(source):
    return _("Source “%(name)s”: skipped, it is being polled elsewhere.") % {"name": source.name}


def seconds_until_next(ids, cap, now=None):
    now = now or timezone.now()
    upcoming = (
        Source.objects.filter(Q(pk__in=ids) if ids is not None else Q(enabled=True), unclaimed(now))
        .order_by("next_poll_at")
        .values_list("next_poll_at", flat=True)
        .first()
    )
    if upcoming is None:
        return cap
    return max(0.5, min(cap, (upcoming - now).total_seconds()))


def result_line(source, outcome):
    name = source.name
    if outcome.status == "not_modified":
        return _("Source “%(name)s”: unchanged since the last poll.") % {"name": name}
    if outcome.status == "failed":
        line = _("Source “%(name)s”: error: %(message)s") % {
            "name": name,
            "message": source.last_error_message or error_text(outcome.error),
        }
        if source.disabled_at is not None and not source.enabled:
            line += " " + ngettext(
                "The source was turned off automatically after %(count)s failure in a row.",
                "The source was turned off automatically after %(count)s failures in a row.",
                source.consecutive_failures,
            ) % {"count": source.consecutive_failures}
        return line
    result = stored_words(outcome.stored)
    if outcome.skipped_entries:
        result += "; " + ngettext(
            "%(count)s entry with neither a title nor a link skipped",
            "%(count)s entries with neither a title nor a link skipped",
            outcome.skipped_entries,
        ) % {"count": outcome.skipped_entries}
    return _("Source “%(name)s”: %(result)s.") % {"name": name, "result": result}


def stored_words(stored):
    if not stored.new_entries and not stored.changed_entries:
        unchanged = stored.unchanged_entries
        return ngettext(
            "nothing new (%(count)s entry unchanged)", "nothing new (%(count)s entries unchanged)", unchanged
        ) % {"count": unchanged}
    parts = [
        ngettext("%(count)s new entry", "%(count)s new entries", stored.new_entries) % {"count": stored.new_entries},
        ngettext("%(count)s new document", "%(count)s new documents", len(stored.created_documents))
        % {"count": len(stored.created_documents)},
    ]
    if stored.changed_entries:
        parts.append(
            ngettext("%(count)s entry changed", "%(count)s entries changed", stored.changed_entries)
            % {"count": stored.changed_entries}
        )
    if stored.updated_documents:
        parts.append(
            ngettext("%(count)s document updated", "%(count)s documents updated", len(stored.updated_documents))
            % {"count": len(stored.updated_documents)}
        )
    if stored.news:
        parts.append(ngettext("%(count)s news item", "%(count)s news items", stored.news) % {"count": stored.news})
    return ", ".join(parts)


def summary(outcomes):
    failed = sum(1 for _source, outcome in outcomes if not outcome.ok)
    new_entries = sum(outcome.stored.new_entries for _source, outcome in outcomes)
    new_documents = sum(len(outcome.stored.created_documents) for _source, outcome in outcomes)
    polled = ngettext("Polled %(count)s source", "Polled %(count)s sources", len(outcomes)) % {"count": len(outcomes)}
    return _("%(polled)s: %(ok)s succeeded, %(failed)s failed; %(entries)s, %(documents)s.") % {
        "polled": polled,
        "ok": len(outcomes) - failed,
        "failed": failed,
        "entries": ngettext("%(count)s new entry", "%(count)s new entries", new_entries) % {"count": new_entries},
        "documents": ngettext("%(count)s new document", "%(count)s new documents", new_documents)
        % {"count": new_documents},
    }


def entry_json(entry, body, issuers, first_seen_at):
    """One previewed entry as --check prints it; the issuer as a poll would give it without a default."""
    code = DocumentCode.parse(entry.own_code) if entry.own_code else None
    issuer = issuers.resolve(entry.author, code)
    return {
        "title": entry.title,
        "kind": kind_for(Carries.DETECT, code),
        "own_code": code.key if code else None,
        "cited_codes": list(entry.cited_codes),
        "issuer": issuer.name if issuer else None,
        "author": entry.author or None,
        "published_at": entry.published_at.isoformat() if entry.published_at else None,
        "first_seen_at": first_seen_at,
        "body": body,
        "attachments": [
            {"url": attachment.url, "type": attachment.mime_type or None, "length": attachment.length}
            for attachment in entry.attachments
        ],
        "link": entry.link or None,
        "guid": entry.guid,
    }


def error_reason(error):
    return getattr(error, "reason", None) or "internal"


def error_text(error):
    message = getattr(error, "message", None)
    return str(message) if message else error_message("internal")
