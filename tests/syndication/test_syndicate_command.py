"""manage.py syndicate: --check prints what a feed would give, --once and the loop import for real.

Feeds come from a real server on loopback (pytest-httpserver); the
`no_outbound` guard fails a test that tries to reach anything else, so the
private address below is refused by the fetcher before any connection.
"""

import io
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from markup_safety import unsafe_parts
from news57.management.commands import syndicate
from news57.models import DirectiveDocument, Source, SourceEntry
from news57.source_errors import error_message

ROOT = Path(__file__).resolve().parent.parent.parent
FEEDS = ROOT / "tests" / "fixtures" / "feeds"
CENTRAL = (FEEDS / "central-rss20.xml").read_bytes()


def vietnamese(key, **params):
    with translation.override("vi"):
        return error_message(key, params)




def run(*args):
    """call_command with its output: (stdout, stderr, the CommandError raised or None)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("syndicate", *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def make_source(platform, address, name="Cổng TTĐT Chính phủ", issuer="chinh-phu", **fields):
    return Source.objects.create(
        name=name, url=address, default_issuer=platform[issuer].agency, level="central", **fields
    )


# --check


@pytest.mark.django_db
def test_check_prints_each_entry_as_a_poll_would_see_it(platform, served):
    address = served("/rss", CENTRAL)
    before = timezone.now()
    out, _err, error = run("--check", address)
    assert error is None
    printed = json.loads(out)
    assert printed["url"] == address
    entries = printed["entries"]
    assert [entry["own_code"] for entry in entries] == ["1169/QĐ-TTg", "71/NQ-CP", "03/NQ-CP", "57-NQ/TW"]
    decision = entries[0]
    assert decision["issuer"] == "Thủ tướng Chính phủ"
    assert decision["published_at"] == "2025-06-16T09:45:00+00:00"
    assert decision["cited_codes"] == ["57-NQ/TW"]
    assert decision["guid"] == "central-vb-21169"
    assert decision["link"] == "https://central.example.vn/van-ban/quyet-dinh-1169-qd-ttg"
    assert decision["attachments"] == [
        {"url": "https://central.example.vn/files/1169-QD-TTg.pdf", "type": "application/pdf", "length": 482133}
    ]
    assert [entry["issuer"] for entry in entries[1:]] == ["Chính phủ", "Chính phủ", "Bộ Chính trị"]
    first_seen = datetime.fromisoformat(decision["first_seen_at"])
    assert first_seen.utcoffset() == timedelta(0)
    assert before <= first_seen <= timezone.now()


@pytest.mark.django_db
def test_check_prints_the_bodies_cleaned_and_readable(platform, served):
    out, _err, _error = run("--check", served("/rss", CENTRAL))
    bodies = [entry["body"] for entry in json.loads(out)["entries"]]
    assert [unsafe_parts(body) for body in bodies] == [[], [], [], []]
    assert "<strong>100%</strong>" in bodies[0]
    assert "document.cookie" not in bodies[0]
    assert "Phê duyệt Chương trình" in out  # Vietnamese as itself, not \\u escapes


@pytest.mark.django_db
def test_check_stores_nothing(platform, served):
    run("--check", served("/rss", CENTRAL))
    assert (Source.objects.count(), SourceEntry.objects.count(), DirectiveDocument.objects.count()) == (0, 0, 0)


@pytest.mark.django_db
def test_check_of_an_html_page_prints_the_error_and_fails(served):
    address = served("/", (FEEDS / "not-a-feed.html").read_bytes(), "text/html; charset=utf-8")
    out, _err, error = run("--check", address)
    assert error is not None and error.returncode != 0
    assert json.loads(out) == {"url": address, "error": {"reason": "not_a_feed", "message": vietnamese("not_a_feed")}}
    assert str(error) == vietnamese("not_a_feed")


@pytest.mark.django_db
def test_check_of_a_failing_server_prints_its_http_error(served):
    out, _err, error = run("--check", served("/broken", b"Internal Server Error", "text/plain", status=500))
    assert error is not None
    assert json.loads(out)["error"]["message"] == vietnamese("http_status", code=500)


@pytest.mark.django_db
def test_check_of_a_private_address_is_refused_without_connecting(monkeypatch):
    monkeypatch.delenv("NEWS57_FETCH_ALLOW_HOSTS", raising=False)
    out, _err, error = run("--check", "http://10.0.0.1/rss")
    assert error is not None
    printed = json.loads(out)
    assert printed["error"]["reason"] == "forbidden_address"
    assert printed["error"]["message"] == vietnamese("forbidden_private", address="10.0.0.1")


def test_check_exits_with_a_non_zero_status_from_the_shell(tmp_path):
    environment = {
        **os.environ,
        "NEWS57_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    environment.pop("NEWS57_FETCH_ALLOW_HOSTS", None)
    finished = subprocess.run(
        [sys.executable, "manage.py", "syndicate", "--check", "http://10.0.0.1/rss"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 1, finished.stderr
    assert json.loads(finished.stdout)["error"]["reason"] == "forbidden_address"
    assert "10.0.0.1" in finished.stderr


def test_check_cannot_be_combined_with_polling():
    _out, _err, error = run("--check", "https://central.example.vn/rss", "--once")
    assert error is not None


# --once


@pytest.mark.django_db
def test_once_imports_a_served_feed_and_records_the_sources_state(platform, served):
    source = make_source(platform, served("/rss", CENTRAL))
    out, _err, error = run("--once")
    assert error is None
    assert set(DirectiveDocument.objects.values_list("code_key", flat=True)) == {
        "1169/QĐ-TTg",
        "71/NQ-CP",
        "03/NQ-CP",
        "57-NQ/TW",
    }
    source.refresh_from_db()
    assert source.last_success_at is not None
    assert (source.entries_seen, source.consecutive_failures, source.last_error_reason) == (4, 0, "")
    assert source.next_poll_at > timezone.now()
    assert "Nguồn tin “Cổng TTĐT Chính phủ”: 4 mục tin mới, 4 văn bản mới." in out


UNNAMED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Cong</title><link>https://central.example.vn/</link>
<item><title>Quyet dinh 5/QD-TTg</title><link>https://central.example.vn/5</link></item>
<item><guid isPermaLink="false">trong-1</guid><description>Khong tieu de</description></item>
<item><guid isPermaLink="false">trong-2</guid></item>
</channel></rss>"""


@pytest.mark.django_db
def test_once_says_how_many_entries_it_skipped_for_having_neither_title_nor_link(platform, served):
    make_source(platform, served("/rss", UNNAMED))
    out, _err, error = run("--once")
    assert error is None
    assert "bỏ qua 2 mục tin không có cả tiêu đề lẫn liên kết" in out


@pytest.mark.django_db
def test_a_second_run_creates_nothing_new(platform, served):
    source = make_source(platform, served("/rss", CENTRAL))
    run("--once")
    documents = list(DirectiveDocument.objects.order_by("pk").values_list("pk", "title"))
    out, _err, error = run("--once")
    assert error is None
    assert list(DirectiveDocument.objects.order_by("pk").values_list("pk", "title")) == documents
    assert SourceEntry.objects.filter(source=source).count() == 4
    source.refresh_from_db()
    assert source.entries_seen == 4
    assert "không có gì mới" in out


@pytest.mark.django_db
def test_once_polls_every_enabled_source_and_sums_up(platform, served):
    make_source(platform, served("/rss", CENTRAL))
    make_source(platform, "https://off.example.vn/rss", name="Nguồn đã tắt", enabled=False)
    out, err, error = run("--once")
    assert error is None
    assert "Nguồn đã tắt" not in out + err
    assert "Đã lấy tin 1 nguồn tin: 1 thành công, 0 lỗi; 4 mục tin mới, 4 văn bản mới." in out


@pytest.mark.django_db
def test_once_reports_a_failing_source_and_exits_non_zero(platform, served):
    make_source(platform, served("/rss", CENTRAL))
    page = served("/page", (FEEDS / "not-a-feed.html").read_bytes(), "text/html")
    broken = make_source(platform, page, name="Trang web")
    out, _err, error = run("--once")
    assert error is not None and error.returncode == 1
    assert f"Nguồn tin “Trang web”: lỗi: {vietnamese('not_a_feed')}" in out
    assert DirectiveDocument.objects.count() == 4  # the other source still imported
    broken.refresh_from_db()
    assert (broken.consecutive_failures, broken.last_error_reason) == (1, "not_a_feed")


@pytest.mark.django_db
def test_a_named_source_is_polled_even_when_off_and_not_due(platform, served):
    named = make_source(
        platform, served("/rss", CENTRAL), enabled=False, next_poll_at=timezone.now() + timedelta(hours=1)
    )
    other = make_source(platform, "https://other.example.vn/rss", name="Nguồn khác")
    out, _err, error = run("--once", "--source", str(named.pk))
    assert error is None
    named.refresh_from_db()
    other.refresh_from_db()
    assert named.last_success_at is not None
    assert other.last_polled_at is None
    assert "Nguồn khác" not in out


@pytest.mark.django_db
def test_an_unknown_source_id_is_refused_in_vietnamese(platform):
    source = make_source(platform, "https://central.example.vn/rss")
    _out, _err, error = run("--once", "--source", str(source.pk), "--source", "999999", "--source", "abc")
    assert error is not None
    assert str(error) == "Không có nguồn tin nào có mã số 999999, abc."
    source.refresh_from_db()
    assert source.last_polled_at is None


@pytest.mark.django_db
def test_progress_is_one_line_per_source_when_stderr_is_not_a_terminal(platform, served):
    make_source(platform, served("/a", CENTRAL), name="Nguồn A")
    make_source(platform, served("/b", CENTRAL), name="Nguồn B")
    _out, err, _error = run("--once")
    assert err.splitlines() == ["[1/2] Đang lấy tin: Nguồn A", "[2/2] Đang lấy tin: Nguồn B"]


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.django_db
def test_progress_is_a_bar_redrawn_in_place_on_a_terminal(platform, served):
    make_source(platform, served("/rss", CENTRAL))
    err = Terminal()
    call_command("syndicate", "--once", stdout=io.StringIO(), stderr=err)
    drawn = err.getvalue()
    assert drawn.startswith("\r\x1b[K[") and "1/1 Đang lấy tin: Cổng TTĐT Chính phủ" in drawn
    assert "\n" not in drawn
    assert drawn.endswith("\r\x1b[K")  # cleared before the result line


def claims_during_polls(monkeypatch):
    """Poll as the command does, noting every source's claim as each poll begins: {polled: {name: claim}}."""
    seen = {}
    real_poll = syndicate.poll

    def noting(source):
        seen[source.name] = dict(Source.objects.values_list("name", "claimed_until"))
        return real_poll(source)

    monkeypatch.setattr(syndicate, "poll", noting)
    return seen


@pytest.mark.django_db
def test_once_leaves_a_source_a_worker_is_polling_and_polls_the_others(platform, served):
    now = timezone.now()
    busy = make_source(platform, served("/a", CENTRAL), name="Nguồn A", claimed_until=now + timedelta(minutes=5))
    free = make_source(platform, served("/b", CENTRAL), name="Nguồn B")
    lost = make_source(platform, served("/c", CENTRAL), name="Nguồn C", claimed_until=now - timedelta(minutes=1))
    out, err, error = run("--once")
    assert error is None
    assert "Nguồn tin “Nguồn A”: bỏ qua, nguồn tin này đang được một tiến trình khác lấy tin." in out
    assert err.splitlines() == ["[1/2] Đang lấy tin: Nguồn B", "[2/2] Đang lấy tin: Nguồn C"]
    for source in (busy, free, lost):
        source.refresh_from_db()
    assert busy.last_polled_at is None and busy.claimed_until == now + timedelta(minutes=5)
    assert free.last_success_at is not None and lost.last_success_at is not None, "a lapsed claim is nobody's"


@pytest.mark.django_db
def test_once_claims_each_source_while_it_polls_and_leaves_no_claim_behind(platform, served, monkeypatch):
    make_source(platform, served("/rss", CENTRAL), name="Nguồn A")
    make_source(platform, served("/page", (FEEDS / "not-a-feed.html").read_bytes(), "text/html"), name="Trang web")
    during = claims_during_polls(monkeypatch)
    started = timezone.now()
    _out, _err, error = run("--once")
    assert error is not None, "the page failed"
    assert during["Nguồn A"]["Nguồn A"] > started and during["Trang web"]["Trang web"] > started
    assert list(Source.objects.values_list("claimed_until", flat=True)) == [None, None]


@pytest.mark.django_db
def test_ctrl_c_during_once_gives_the_unpolled_sources_back_to_the_worker(platform, served, monkeypatch):
    first = make_source(platform, served("/a", CENTRAL), name="Nguồn A")
    second = make_source(platform, served("/b", CENTRAL), name="Nguồn B")
    during = claims_during_polls(monkeypatch)
    real_poll = syndicate.poll

    def poll_then_ctrl_c(source):
        real_poll(source)
        raise KeyboardInterrupt

    monkeypatch.setattr(syndicate, "poll", poll_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        run("--once")
    assert list(during) == ["Nguồn A"] and during["Nguồn A"]["Nguồn B"] is not None, "claimed with the first"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.last_success_at is not None
    assert (second.last_polled_at, second.claimed_until) == (None, None)


@pytest.mark.django_db
def test_once_leaves_a_source_a_worker_claimed_while_an_earlier_poll_ran(platform, served, monkeypatch):
    make_source(platform, served("/a", CENTRAL), name="Nguồn A")
    second = make_source(platform, served("/b", CENTRAL), name="Nguồn B")
    worker_claim = timezone.now() + timedelta(minutes=30)
    real_poll = syndicate.poll

    def slow_poll(source):
        # So long that the command's claim on the next source ran out and a worker took it.
        Source.objects.filter(pk=second.pk).update(claimed_until=worker_claim)
        return real_poll(source)

    monkeypatch.setattr(syndicate, "poll", slow_poll)
    out, _err, error = run("--once")
    assert error is None
    assert "Nguồn tin “Nguồn B”: bỏ qua, nguồn tin này đang được một tiến trình khác lấy tin." in out
    second.refresh_from_db()
    assert (second.last_polled_at, second.claimed_until) == (None, worker_claim)


# The loop


def ctrl_c(*args):
    raise KeyboardInterrupt


@pytest.mark.django_db
def test_the_loop_polls_due_sources_and_stops_cleanly_on_ctrl_c(platform, served, monkeypatch):
    due = make_source(platform, served("/rss", CENTRAL), next_poll_at=timezone.now() - timedelta(minutes=1))
    later = make_source(
        platform, "https://later.example.vn/rss", name="Chưa đến hạn", next_poll_at=timezone.now() + timedelta(hours=1)
    )
    naps = []
    monkeypatch.setattr(syndicate, "sleep", lambda seconds: ctrl_c(naps.append(seconds)))
    out, _err, error = run()
    assert error is None
    assert out.rstrip().endswith("Đã dừng.")
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.last_success_at is not None and due.claimed_until is None
    assert later.last_polled_at is None
    assert DirectiveDocument.objects.count() == 4
    assert 0 < naps[0] <= 30  # until the next source is due, at most one tick


@pytest.mark.django_db
def test_the_loop_leaves_a_source_the_worker_has_claimed(platform, served, monkeypatch):
    claimed = make_source(
        platform,
        served("/rss", CENTRAL),
        next_poll_at=timezone.now() - timedelta(minutes=1),
        claimed_until=timezone.now() + timedelta(minutes=5),
    )
    monkeypatch.setattr(syndicate, "sleep", ctrl_c)
    run()
    claimed.refresh_from_db()
    assert claimed.last_polled_at is None


@pytest.mark.django_db
def test_check_of_a_truncated_feed_prints_its_complete_entries_and_fails(platform, served):
    address = served("/cut", (FEEDS / "truncated-atom.xml").read_bytes(), "application/atom+xml; charset=utf-8")
    out, _err, error = run("--check", address)
    assert error is not None
    printed = json.loads(out)
    assert printed["error"] == {"reason": "truncated", "message": vietnamese("truncated")}
    assert printed["entries"], "the entries read before the cut"
    assert printed["entries"][0]["title"].startswith("Kế hoạch số 211/KH-UBND")


@pytest.mark.django_db
def test_ctrl_c_during_a_poll_gives_the_unpolled_sources_back_to_the_worker(platform, served, monkeypatch):
    now = timezone.now()
    first = make_source(platform, served("/a", CENTRAL), name="Nguồn A", next_poll_at=now - timedelta(minutes=2))
    second = make_source(platform, served("/b", CENTRAL), name="Nguồn B", next_poll_at=now - timedelta(minutes=1))
    real_poll = syndicate.poll

    def poll_then_ctrl_c(source):
        real_poll(source)
        raise KeyboardInterrupt

    monkeypatch.setattr(syndicate, "poll", poll_then_ctrl_c)
    _out, _err, error = run()
    assert error is None
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.last_success_at is not None
    assert (second.last_polled_at, second.claimed_until) == (None, None)
