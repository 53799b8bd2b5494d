"""The beat tick and the per-source task: durable by the database, retrying only network failures."""

import socket
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from werkzeug import Response

from news57.models import DirectiveDocument, Source, SourceEntry
from news57.syndication import store as store_module
from news57.syndication.fetch import FetchError
from news57.syndication.poll import poll
from news57.syndication.tasks import claim_due_sources, poll_source
from worker import Worker, wait_until

FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"

pytestmark = pytest.mark.django_db


@pytest.fixture
def allow(httpserver, monkeypatch):
    monkeypatch.setenv("NEWS57_FETCH_ALLOW_HOSTS", f"127.0.0.1:{httpserver.port}")
    return f"http://127.0.0.1:{httpserver.port}"


@pytest.fixture
def central_feed(httpserver, allow):
    httpserver.expect_request("/central.xml").respond_with_data(
        (FEEDS / "central-rss20.xml").read_bytes(), content_type="application/rss+xml"
    )
    return f"{allow}/central.xml"


def make_source(platform, url, name="Chính phủ", **fields):
    return Source.objects.create(
        name=name, url=url, default_issuer=platform["chinh-phu"].agency, level="central", **fields
    )


# One attempt: the hard time limit, then a minute for the worker to record or give up.
ATTEMPT = timedelta(minutes=11)


def test_the_tick_claims_each_due_source_once(platform, central_feed):
    due = make_source(platform, central_feed)
    assert claim_due_sources()[0] == [due.pk]
    assert claim_due_sources()[0] == [], "a claimed source is not queued again by the next tick"


def test_sources_not_due_or_disabled_are_not_claimed(platform, central_feed):
    make_source(platform, central_feed, next_poll_at=timezone.now() + timedelta(minutes=5))
    make_source(platform, central_feed + "?b", name="Tắt", enabled=False)
    assert claim_due_sources()[0] == []


def test_a_claim_lasts_one_attempt_not_every_retry(platform, central_feed, settings):
    settings.CELERY_TASK_TIME_LIMIT = 600
    source = make_source(platform, central_feed)
    now = timezone.now()
    _ids, claim = claim_due_sources(now=now)
    source.refresh_from_db()
    assert source.claimed_until == claim == now + ATTEMPT


def test_a_poll_lost_with_its_worker_is_claimed_again_once_one_attempt_has_passed(platform, central_feed, settings):
    settings.CELERY_TASK_TIME_LIMIT = 600
    lost = make_source(platform, central_feed)
    now = timezone.now()
    assert claim_due_sources(now=now)[0] == [lost.pk]
    assert claim_due_sources(now=now + ATTEMPT - timedelta(seconds=1))[0] == []
    assert claim_due_sources(now=now + ATTEMPT + timedelta(seconds=1))[0] == [lost.pk]


def test_a_committed_import_clears_the_claim_and_moves_the_next_poll(platform, central_feed):
    source = make_source(platform, central_feed)
    _ids, claim = claim_due_sources()
    poll_source.apply(args=[source.pk, claim.isoformat()])
    source.refresh_from_db()
    assert source.claimed_until is None
    assert source.next_poll_at > timezone.now() + timedelta(seconds=source.poll_interval - 60)
    assert DirectiveDocument.objects.count() == 4


def test_an_import_that_fails_midway_leaves_nothing_and_the_source_still_due(platform, central_feed, monkeypatch):
    source = make_source(platform, central_feed)
    due_at = source.next_poll_at

    def killed(*args, **kwargs):
        raise RuntimeError("worker killed in the middle of the import")

    # Fault injection at the last write of the import, after documents and entries were written.
    monkeypatch.setattr(store_module, "_queue_downloads", killed)
    outcome = poll(source)
    source.refresh_from_db()
    assert not outcome.ok and source.last_error_reason == "internal"
    assert not DirectiveDocument.objects.exists() and not SourceEntry.objects.exists()
    assert source.etag == "" and source.entries_seen == 0
    monkeypatch.undo()
    monkeypatch.setenv("NEWS57_FETCH_ALLOW_HOSTS", central_feed.split("/")[2])
    assert poll(source).ok
    assert DirectiveDocument.objects.count() == 4 and SourceEntry.objects.count() == 4
    assert due_at <= source.next_poll_at


class SilentServer:
    """Accepts connections and never answers: every fetch of it times out. Counts the attempts."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.accepted = []
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.accepted:
            conn.close()


@pytest.fixture
def silent(monkeypatch, settings):
    settings.NEWS57_FETCH_TIMEOUT_SECONDS = 1
    server = SilentServer()
    monkeypatch.setenv("NEWS57_FETCH_ALLOW_HOSTS", f"127.0.0.1:{server.port}")
    yield server
    server.close()


def test_a_network_failure_is_retried_before_it_counts_against_the_source(platform, silent):
    source = make_source(platform, f"http://127.0.0.1:{silent.port}/feed")
    poll_source.apply(args=[source.pk])
    source.refresh_from_db()
    assert len(silent.accepted) == 1 + poll_source.max_retries
    assert source.consecutive_failures == 1 and source.last_error_reason == "timeout"


def test_a_network_failure_holds_the_claim_until_its_retry_has_had_its_attempt(platform, silent, settings):
    settings.CELERY_TASK_TIME_LIMIT = 600
    source = make_source(platform, f"http://127.0.0.1:{silent.port}/feed")
    _ids, claim = claim_due_sources()
    before = timezone.now()
    # Called directly, the task schedules nothing: its retry re-raises the failure.
    with pytest.raises(FetchError):
        poll_source(source.pk, claim.isoformat())
    after = timezone.now()
    source.refresh_from_db()
    first_countdown = timedelta(seconds=5)
    assert before + first_countdown + ATTEMPT <= source.claimed_until <= after + first_countdown + ATTEMPT
    assert source.consecutive_failures == 0, "not counted before its retries"


def test_a_retry_slower_than_its_claim_never_polls_the_source_a_second_time(platform, httpserver, central_feed):
    source = make_source(platform, central_feed)
    now = timezone.now()
    _ids, stale = claim_due_sources(now=now)
    # The retry waited past its claim: the tick found the source unclaimed and queued it anew.
    _ids, fresh = claim_due_sources(now=stale + timedelta(seconds=1))
    poll_source.apply(args=[source.pk, stale.isoformat()], retries=1)
    source.refresh_from_db()
    assert len(httpserver.log) == 0 and source.claimed_until == fresh
    poll_source.apply(args=[source.pk, fresh.isoformat()])
    poll_source.apply(args=[source.pk, stale.isoformat()], retries=1)
    assert len(httpserver.log) == 1
    source.refresh_from_db()
    assert source.claimed_until is None


def test_a_server_error_is_not_retried(platform, httpserver, allow):
    httpserver.expect_request("/500").respond_with_data("lỗi", status=500)
    source = make_source(platform, f"{allow}/500")
    poll_source.apply(args=[source.pk])
    source.refresh_from_db()
    assert len(httpserver.log) == 1
    assert source.consecutive_failures == 1 and source.last_error_reason == "http_status"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_beat_and_a_real_worker_import_a_due_source(platform, httpserver, allow, tmp_path):
    served = []

    def feed(request):
        served.append(request.headers.get("If-None-Match"))
        return Response((FEEDS / "central-rss20.xml").read_bytes(), content_type="application/rss+xml")

    httpserver.expect_request("/central.xml").respond_with_handler(feed)
    source = make_source(platform, f"{allow}/central.xml")
    worker = Worker(tmp_path, NEWS57_SYNDICATION_TICK_SECONDS="1")
    with worker:
        imported = wait_until(lambda: DirectiveDocument.objects.count() == 4, 90, worker)
    assert imported, worker.log()[-5000:]
    source.refresh_from_db()
    assert source.last_success_at is not None and source.entries_seen == 4
    assert source.claimed_until is None
