"""Polling sources served by a local HTTP server: what a correct import makes of the sample feeds.

The sample feeds and what they must give are described in
tests/fixtures/feeds/README.md; every fetch goes through the guarded fetcher
to a real server on loopback.
"""

import hashlib
import time
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone as django_timezone
from pytest_httpserver import HTTPServer
from werkzeug import Response

from markup_safety import unsafe_parts
from news57.models import (
    AttachmentDownload,
    DirectiveDocument,
    EntryKind,
    Publication,
    PublicationStatus,
    Source,
    SourceEntry,
)
from news57.syndication.fetch import FetchError
from news57.syndication.poll import poll

FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
UTC = timezone.utc

pytestmark = pytest.mark.django_db

# What the fixtures README says a correct import makes: code -> (issuer slug, year).
EXPECTED_DOCUMENTS = {
    "1169/QĐ-TTg": ("thu-tuong", 2025),
    "71/NQ-CP": ("chinh-phu", 2025),
    "03/NQ-CP": ("chinh-phu", 2025),
    "57-NQ/TW": ("bo-chinh-tri", 2024),
    "211/KH-UBND": ("langson", 2025),
    "56/KH-UBND": ("langson", 2025),
    "150-CTr/TU": ("tinhuy-langson", 2025),
    "33/KH-UBND": ("hoangvanthu", 2025),
    "262/KH-TTr": ("thanhtra-langson", 2025),
}


class FeedServer:
    """Serves fixture files with ETag and Last-Modified, answering a matching conditional GET with 304."""

    def __init__(self, httpserver):
        self.httpserver = httpserver
        self.statuses = []

    def serve(self, path, body, content_type="application/xml"):
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        last_modified = "Mon, 16 Jun 2025 10:05:00 GMT"

        def handler(request):
            if request.headers.get("If-None-Match") == etag:
                self.statuses.append(304)
                return Response(status=304, headers={"ETag": etag})
            self.statuses.append(200)
            return Response(body, content_type=content_type, headers={"ETag": etag, "Last-Modified": last_modified})

        self.httpserver.expect_request(path).respond_with_handler(handler)
        return self.url(path)

    def url(self, path):
        # httpserver.url_for says "localhost", which the allow list (127.0.0.1:port) does not name.
        return f"http://127.0.0.1:{self.httpserver.port}{path}"

    def serve_fixture(self, name, content_type="application/xml"):
        return self.serve(f"/{name}", (FEEDS / name).read_bytes(), content_type)


@pytest.fixture
def server(httpserver, monkeypatch):
    monkeypatch.setenv("NEWS57_FETCH_ALLOW_HOSTS", f"127.0.0.1:{httpserver.port}")
    return FeedServer(httpserver)


@pytest.fixture
def agencies(platform):
    return {slug: setup.agency for slug, setup in platform.items()}


def source(name, url, issuer, level, **fields):
    return Source.objects.create(name=name, url=url, default_issuer=issuer, level=level, **fields)


@pytest.fixture
def sources(server, agencies):
    """The three sample feeds as the sources of the central portal, the province and a commune.

    The central portal is authoritative for the Government and the Prime Minister (as in the demo).
    """
    return {
        "central": source(
            "Cổng TTĐT Chính phủ",
            server.serve_fixture("central-rss20.xml"),
            agencies["chinh-phu"],
            "central",
            agency=agencies["trunguong"],
        ),
        "province": source("UBND tỉnh Lạng Sơn", server.serve_fixture("province-atom.xml"), agencies["langson"], "province"),
        "commune": source(
            "UBND xã Hoàng Văn Thụ", server.serve_fixture("commune-quirks-cp1258.xml"), agencies["hoangvanthu"], "department"
        ),
    }


def poll_all(sources):
    return {name: poll(src) for name, src in sources.items()}


def document(code):
    return DirectiveDocument.objects.get(code_key=code)


def test_the_sample_feeds_give_exactly_the_documents_the_readme_lists(sources):
    outcomes = poll_all(sources)
    assert all(outcome.ok for outcome in outcomes.values()), outcomes
    stored = {doc.code_key: (doc.issuer.slug, doc.year) for doc in DirectiveDocument.objects.all()}
    assert stored == EXPECTED_DOCUMENTS


def test_the_provincial_repost_attaches_to_the_central_document(sources):
    poll_all(sources)
    decision = document("1169/QĐ-TTg")
    carriers = SourceEntry.objects.filter(document=decision)
    assert {entry.source.name for entry in carriers} == {"Cổng TTĐT Chính phủ", "UBND tỉnh Lạng Sơn"}
    assert decision.title.startswith("Quyết định số 1169/QĐ-TTg ngày 16/6/2025")


def test_the_repost_attaches_even_when_it_arrives_before_the_original(sources):
    poll(sources["province"])
    poll(sources["central"])
    decision = document("1169/QĐ-TTg")
    assert DirectiveDocument.objects.filter(code_key="1169/QĐ-TTg").count() == 1
    # The earliest source time wins, and with it the original's text and link.
    assert decision.source_published_at == datetime(2025, 6, 16, 9, 45, tzinfo=UTC)
    assert decision.source_url == "https://central.example.vn/van-ban/quyet-dinh-1169-qd-ttg"
    assert decision.title.startswith("Quyết định số 1169/QĐ-TTg ngày 16/6/2025")


def test_the_two_forms_of_the_commune_plan_are_one_document_titled_with_diacritics(sources):
    poll(sources["commune"])
    plan = document("33/KH-UBND")
    assert plan.source_entries.count() == 2
    assert plan.title == "Kế hoạch số 33/KH-UBND ngày 23/8/2025 của UBND xã Hoàng Văn Thụ"


def test_resolution_57_cited_by_the_commune_plan_is_a_cited_code_not_its_own(sources):
    poll(sources["commune"])
    plain = SourceEntry.objects.get(link__endswith="id=33")
    assert plain.own_code == "33/KH-UBND"
    assert plain.cited_codes == ["57-NQ/TW"]


def test_the_inspectorate_plan_carried_by_a_commune_is_issued_by_the_inspectorate(sources):
    poll(sources["commune"])
    assert document("262/KH-TTr").issuer.slug == "thanhtra-langson"


def test_an_entry_without_a_code_is_kept_as_news_with_its_canonical_link(sources):
    poll(sources["commune"])
    notice = SourceEntry.objects.get(title="Thông báo lịch tiếp công dân tháng 9/2025")
    assert notice.kind == EntryKind.NEWS and notice.document is None
    assert notice.link == "http://commune.example.vn/index.php?option=tb&id=901"


def test_no_forbidden_markup_is_stored(sources):
    poll_all(sources)
    for doc in DirectiveDocument.objects.all():
        assert unsafe_parts(doc.body) == [], doc.code_key
    for entry in SourceEntry.objects.all():
        assert unsafe_parts(entry.body) == [], entry.title
    central = document("1169/QĐ-TTg").body
    assert "Mục tiêu đến năm 2030" in central and "document.cookie" not in central


def test_no_forbidden_markup_is_rendered(sources, platform):
    poll_all(sources)
    site = platform["langson"].site
    section_url = platform["langson"].section.url_path.removeprefix(site.root_page.url_path)
    client = Client()
    for doc in DirectiveDocument.objects.all():
        Publication.objects.create(
            document=doc, site=site, status=PublicationStatus.PUBLISHED, published_at=django_timezone.now()
        )
        response = client.get(f"/{section_url}van-ban/{doc.slug}/", HTTP_HOST="langson.localhost")
        assert response.status_code == 200, doc.slug
        html = response.content.decode()
        body = html[html.index("<main") : html.index("</main>")]
        assert unsafe_parts(body) == [], doc.code_key
        assert "steal()" not in body and "alert(" not in body


def test_titles_are_stored_nfc(sources):
    poll_all(sources)
    for title in [*DirectiveDocument.objects.values_list("title", flat=True), *SourceEntry.objects.values_list("title", flat=True)]:
        assert unicodedata.is_normalized("NFC", title), title


@pytest.mark.parametrize(
    "link_end, instant",
    [
        ("quyet-dinh-1169-qd-ttg", datetime(2025, 6, 16, 9, 45, tzinfo=UTC)),
        ("ke-hoach-211-kh-ubnd/", datetime(2025, 8, 12, 8, 30, tzinfo=UTC)),
        # Vietnamese forms without a zone are Vietnam time, UTC+7.
        ("id=33", datetime(2025, 8, 23, 7, 5, tzinfo=UTC)),
        ("id=262", datetime(2025, 8, 28, 3, 30, tzinfo=UTC)),
        ("id=33&lang=vi", datetime(2025, 8, 23, 7, 5, tzinfo=UTC)),
    ],
)
def test_each_date_is_the_right_utc_instant(sources, link_end, instant):
    poll_all(sources)
    assert SourceEntry.objects.get(link__endswith=link_end).published_at == instant


def test_an_entry_without_a_date_takes_the_time_it_was_first_seen(sources):
    before = django_timezone.now()
    poll(sources["commune"])
    notice = SourceEntry.objects.get(title__startswith="Thông báo lịch tiếp công dân")
    assert notice.published_at is None
    assert before <= notice.source_time == notice.first_seen_at <= django_timezone.now()


def test_pdf_enclosures_are_queued_for_download(sources):
    poll_all(sources)
    queued = set(AttachmentDownload.objects.values_list("url", flat=True))
    assert "https://central.example.vn/files/1169-QD-TTg.pdf" in queued
    assert "https://province.example.vn/media/documents/211-KH-UBND.pdf" in queued


def test_the_second_poll_gets_304s_and_changes_nothing(sources, server):
    poll_all(sources)
    counts = (DirectiveDocument.objects.count(), SourceEntry.objects.count(), AttachmentDownload.objects.count())
    revisions = {doc.pk: doc.latest_revision_id for doc in DirectiveDocument.objects.all()}
    server.statuses.clear()
    outcomes = poll_all(sources)
    assert server.statuses == [304, 304, 304]
    assert {outcome.status for outcome in outcomes.values()} == {"not_modified"}
    assert counts == (DirectiveDocument.objects.count(), SourceEntry.objects.count(), AttachmentDownload.objects.count())
    assert revisions == {doc.pk: doc.latest_revision_id for doc in DirectiveDocument.objects.all()}


def test_an_unchanged_feed_served_again_in_full_changes_nothing(server, agencies):
    body = (FEEDS / "central-rss20.xml").read_bytes()
    first = source("A", server.serve("/a.xml", body), agencies["chinh-phu"], "central")
    poll(first)
    first.etag = first.last_modified = ""
    first.save()
    outcome = poll(first)
    assert outcome.stored.unchanged_entries == 4 and outcome.stored.documents == []


def test_a_changed_entry_updates_its_document_as_a_new_revision(server, agencies, httpserver):
    body = (FEEDS / "central-rss20.xml").read_bytes()
    src = source("Chính phủ", server.serve("/v1.xml", body), agencies["chinh-phu"], "central")
    poll(src)
    resolution = document("71/NQ-CP")
    first_revision = resolution.latest_revision_id
    corrected = body.replace("sửa đổi, bổ sung, cập nhật".encode(), "sửa đổi, bổ sung và cập nhật".encode())
    assert corrected != body
    src.url = server.serve("/v2.xml", corrected)
    src.save()
    outcome = poll(src)
    resolution.refresh_from_db()
    assert outcome.stored.changed_entries == 1 and outcome.stored.updated_documents == [resolution.pk]
    assert "sửa đổi, bổ sung và cập nhật" in resolution.title
    assert resolution.latest_revision_id != first_revision
    assert resolution.revisions.count() == 2


def test_a_successful_poll_records_its_state(sources):
    src = sources["central"]
    before = django_timezone.now()
    poll(src)
    src.refresh_from_db()
    assert src.last_success_at >= before and src.last_error_message == ""
    assert src.entries_seen == 4 and src.consecutive_failures == 0
    assert src.next_poll_at == src.last_success_at + timedelta(seconds=src.poll_interval)
    assert src.etag and src.last_modified


def test_a_truncated_feed_is_an_error_and_nothing_of_it_is_stored(server, agencies):
    src = source("Cắt cụt", server.serve_fixture("truncated-atom.xml"), agencies["langson"], "province")
    outcome = poll(src)
    src.refresh_from_db()
    assert not outcome.ok and src.last_error_reason == "truncated"
    assert "cắt cụt" in src.last_error_message
    assert not SourceEntry.objects.exists() and not DirectiveDocument.objects.exists()
    assert src.etag == "", "validators move only with a successful import"


def test_an_html_page_where_a_feed_was_expected_is_an_error(server, agencies):
    src = source("Trang HTML", server.serve_fixture("not-a-feed.html", "text/html"), agencies["langson"], "province")
    poll(src)
    src.refresh_from_db()
    assert src.last_error_reason == "not_a_feed"
    assert src.last_error_message == "Địa chỉ này trả về một trang HTML, không phải nguồn tin RSS/Atom."
    assert src.consecutive_failures == 1 and src.last_success_at is None


def test_a_network_failure_is_raised_for_a_retry_when_asked(agencies):
    # Nothing listens on port 9 of loopback; allowed, so the connection is really tried.
    src = source("Tắt", "http://127.0.0.1:9/feed", agencies["langson"], "province")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWS57_FETCH_ALLOW_HOSTS", "127.0.0.1:9")
        with pytest.raises(FetchError) as raised:
            poll(src, raise_transient=True)
    assert raised.value.reason == "connection"
    src.refresh_from_db()
    assert src.consecutive_failures == 0, "a failure raised for a retry is not counted yet"


def test_a_server_error_is_recorded_not_retried(server, httpserver, agencies):
    httpserver.expect_request("/500").respond_with_data("lỗi", status=500)
    src = source("Lỗi 500", server.url("/500"), agencies["langson"], "province")
    outcome = poll(src, raise_transient=True)
    assert not outcome.ok and outcome.error.reason == "http_status"


# --- hostile and broken sources -------------------------------------------------


@pytest.fixture
def slow_server(monkeypatch, httpserver):
    """A server of its own, answering in threads, so its slowness holds up no other source."""
    slow = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    slow.start()

    def handler(request):
        time.sleep(2.5)
        return Response((FEEDS / "central-rss20.xml").read_bytes(), content_type="application/xml")

    slow.expect_request("/slow").respond_with_handler(handler)
    monkeypatch.setenv("NEWS57_FETCH_ALLOW_HOSTS", f"127.0.0.1:{httpserver.port},127.0.0.1:{slow.port}")
    yield f"http://127.0.0.1:{slow.port}/slow"
    slow.clear()
    slow.stop()


@pytest.fixture
def hostile(server, httpserver, slow_server, agencies, settings):
    """Seven broken sources beside one good one, all due now."""
    settings.NEWS57_FETCH_TIMEOUT_SECONDS = 1
    settings.NEWS57_FETCH_MAX_BYTES = 64 * 1024
    port = httpserver.port
    httpserver.expect_request("/500").respond_with_data("lỗi máy chủ", status=500)
    httpserver.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop"})
    httpserver.expect_request("/big").respond_with_data(b"<rss>" + b" " * 200_000 + b"</rss>", content_type="application/xml")
    httpserver.expect_request("/to-metadata").respond_with_data(
        "", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
    )
    issuer = agencies["langson"]
    broken = {
        "slow": ("timeout", slow_server),
        "500": ("http_status", server.url("/500")),
        "redirect loop": ("too_many_redirects", server.url("/loop")),
        "oversized": ("too_large", server.url("/big")),
        "private address": ("forbidden_private", "http://10.0.0.1/feed"),
        "decimal IP": ("forbidden_loopback", f"http://2130706433:{port}/feed"),
        "redirect to metadata": ("forbidden_metadata", server.url("/to-metadata")),
    }
    sources = {name: source(name, url, issuer, "province") for name, (_reason, url) in broken.items()}
    good = source("Chính phủ", server.serve_fixture("central-rss20.xml"), agencies["chinh-phu"], "central")
    return sources, {name: reason for name, (reason, _url) in broken.items()}, good


def poll_due():
    for due in Source.objects.filter(enabled=True, next_poll_at__lte=django_timezone.now()).order_by("pk"):
        poll(due)


def test_each_broken_source_ends_in_a_clear_recorded_error_while_the_good_one_imports(hostile):
    broken, reasons, good = hostile
    poll_due()
    for name, src in broken.items():
        src.refresh_from_db()
        assert src.last_error_reason == reasons[name], name
        assert src.last_error_message and src.consecutive_failures == 1, name
        assert "%(" not in src.last_error_message and "?" not in src.last_error_message, src.last_error_message
    assert DirectiveDocument.objects.count() == 4
    good.refresh_from_db()
    assert good.last_success_at is not None and good.consecutive_failures == 0


def test_a_broken_source_backs_off_longer_after_each_failure(hostile):
    broken, _reasons, _good = hostile
    src = broken["500"]
    waits = []
    for _attempt in range(3):
        poll(src)
        src.refresh_from_db()
        waits.append(src.next_poll_at - src.last_error_at)
    interval = timedelta(seconds=src.poll_interval)
    assert waits == [interval, 2 * interval, 4 * interval]


def test_back_off_is_capped(hostile, settings):
    settings.NEWS57_SOURCE_MAX_BACKOFF_SECONDS = 900
    broken, _reasons, _good = hostile
    src = broken["500"]
    for _attempt in range(5):
        poll(src)
    src.refresh_from_db()
    assert src.next_poll_at - src.last_error_at == timedelta(seconds=900)


def test_a_long_run_of_failures_turns_the_source_off_visibly(hostile, settings):
    settings.NEWS57_SOURCE_DISABLE_AFTER_FAILURES = 3
    broken, _reasons, _good = hostile
    src = broken["private address"]
    for _attempt in range(3):
        poll(src)
    src.refresh_from_db()
    assert not src.enabled and src.disabled_at is not None and src.consecutive_failures == 3


def test_turning_a_disabled_source_back_on_clears_its_failures_and_polls_it_soon(hostile, settings):
    settings.NEWS57_SOURCE_DISABLE_AFTER_FAILURES = 1
    broken, _reasons, _good = hostile
    src = broken["500"]
    poll(src)
    src.refresh_from_db()
    src.enabled = True
    src.save()
    src.refresh_from_db()
    assert src.disabled_at is None and src.consecutive_failures == 0
    assert src.next_poll_at <= django_timezone.now()


def test_a_success_after_failures_resets_the_count_and_clears_the_error(server, httpserver, agencies):
    calls = []

    def flaky(request):
        calls.append(1)
        if len(calls) == 1:
            return Response("bận", status=503)
        return Response((FEEDS / "central-rss20.xml").read_bytes(), content_type="application/xml")

    httpserver.expect_request("/flaky").respond_with_handler(flaky)
    src = source("Chập chờn", server.url("/flaky"), agencies["chinh-phu"], "central")
    poll(src)
    poll(src)
    src.refresh_from_db()
    assert src.consecutive_failures == 0 and src.last_error_message == "" and src.entries_seen == 4
