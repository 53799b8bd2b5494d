"""Enclosed PDFs fetched from a real local HTTP server: kept byte for byte, refused when they are not PDFs,
retried when they are missing, and shown as missing on the document's public page meanwhile."""

import hashlib
import re
import threading
import time
from datetime import timedelta
from pathlib import Path

import html5lib
import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection
from werkzeug import Response

from news57.models import (
    AttachmentDownload,
    DirectiveDocument,
    DocumentAttachment,
    DownloadStatus,
    Publication,
    PublicationStatus,
)
from news57.syndication.attachments import (
    COLLECTION_NAME,
    backoff,
    claim_due,
    download,
    download_due,
    downloads_due,
    is_pdf,
    lease,
    names,
)

PDF = (Path(__file__).resolve().parents[2] / "news57" / "demo" / "media" / "documents" / "211-kh-ubnd-2025.pdf").read_bytes()
OTHER_PDF = PDF.replace(b"%%EOF", b"%%EOF\n% another copy\n", 1)
HTML = b"<!DOCTYPE html><html><head><title>404</title></head><body><p>%PDF-1.4 not here</p></body></html>"
SOURCE_URL = "https://langson.gov.vn/van-ban/211-kh-ubnd"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def server(httpserver, monkeypatch):
    monkeypatch.setenv("NEWS57_FETCH_ALLOW_HOSTS", f"127.0.0.1:{httpserver.port}")
    return httpserver


def url(server, path):
    # url_for says "localhost", which the allow list (127.0.0.1:port) does not name.
    return f"http://127.0.0.1:{server.port}{path}"


def serve(server, path, body=PDF, content_type="application/pdf", status=200):
    server.expect_request(path).respond_with_data(body, status=status, content_type=content_type)
    return url(server, path)


@pytest.fixture
def langson(platform):
    return platform["langson"]


def make_document(issuer, number=211):
    return DirectiveDocument.objects.create(
        code=f"{number}/KH-UBND",
        title=f"Kế hoạch số {number}/KH-UBND ngày 12/8/2025 của UBND tỉnh Lạng Sơn về chuyển đổi số",
        issuer=issuer,
        source_url=SOURCE_URL,
    )


@pytest.fixture
def plan(langson):
    return make_document(langson.agency)


def queue(document, address, **fields):
    return AttachmentDownload.objects.create(document=document, url=address, **fields)


def stored_files(media):
    return sorted(path for path in media.rglob("*") if path.is_file())


@pytest.mark.parametrize(
    "body",
    [PDF, b"%PDF-1.7\n%%EOF\n", b"\xef\xbb\xbf%PDF-1.4\n", b"\r\n\r\n  \t%PDF-2.0\n", b"\x00" * 1000 + b"%PDF-1.4"],
)
def test_a_pdf_header_after_at_most_a_bom_and_whitespace_is_a_pdf(body):
    assert is_pdf(body)


@pytest.mark.parametrize(
    "body",
    [HTML, b"", b"%PDF", b"%PDF-x", b"PK\x03\x04 a zip", b" " * 1024 + b"%PDF-1.4", b"junk %PDF-1.4\n", b"%!PS-Adobe-3.0"],
)
def test_anything_else_is_not_a_pdf(body):
    assert not is_pdf(body)


def test_failures_wait_five_minutes_then_twice_as_long_each_time_up_to_a_day():
    assert [backoff(n) for n in (1, 2, 3)] == [timedelta(minutes=5), timedelta(minutes=10), timedelta(minutes=20)]
    assert backoff(9) < timedelta(days=1) == backoff(10) == backoff(10_000)


def test_the_file_name_comes_from_the_address_readable_as_a_label_and_ascii_for_the_disk():
    assert names("https://x.gov.vn/tai-lieu/K%E1%BA%BF%20ho%E1%BA%A1ch%20211.PDF?v=2") == ("Kế hoạch 211", "ke-hoach-211")
    assert names("https://x.gov.vn/download", "https://x.gov.vn/files/qd-1169.pdf") == ("download", "download")
    assert names("https://x.gov.vn/", "https://x.gov.vn/files/qd-1169.pdf") == ("qd-1169", "qd-1169")
    assert names("https://x.gov.vn/%00%0A.pdf") == ("", "")


def test_an_enclosed_pdf_is_kept_byte_for_byte_as_a_wagtail_document(server, plan):
    row = queue(plan, serve(server, "/van-ban/211-KH-UBND.pdf"))

    [tried] = download_due()

    row.refresh_from_db()
    assert tried.pk == row.pk and row.status == DownloadStatus.DONE and row.attempts == 1 and row.error_reason == ""
    attachment = plan.attachments.get()
    assert row.attachment == attachment
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest() and attachment.size == len(PDF)
    assert attachment.label == "211-KH-UBND" and not attachment.is_signed
    file = attachment.file
    with file.file.open("rb") as handle:
        assert handle.read() == PDF
    assert file.file.name == "documents/211-kh-ubnd.pdf" and file.file_extension == "pdf"
    assert file.title == "211/KH-UBND – 211-KH-UBND"
    assert file.file_size == len(PDF) and file.file_hash == hashlib.sha1(PDF).hexdigest()


def test_files_from_feeds_go_to_their_own_collection_under_the_root(server, plan, langson):
    queue(plan, serve(server, "/a.pdf"))
    queue(make_document(langson.agency, 212), serve(server, "/b.pdf", OTHER_PDF))

    download_due()

    collections = {file.collection for file in get_document_model().objects.all()}
    assert len(collections) == 1
    [collection] = collections
    assert collection.name == COLLECTION_NAME and collection.get_parent() == Collection.get_first_root_node()


def test_a_vietnamese_file_name_is_kept_as_the_label_and_folded_for_the_disk(server, plan):
    server.expect_request("/tai-lieu/Kế hoạch 211.pdf").respond_with_data(PDF, content_type="application/pdf")
    queue(plan, url(server, "/tai-lieu/K%E1%BA%BF%20ho%E1%BA%A1ch%20211.pdf"))

    download_due()

    attachment = plan.attachments.get()
    assert attachment.label == "Kế hoạch 211" and attachment.file.file.name == "documents/ke-hoach-211.pdf"


def test_an_html_page_served_as_pdf_is_refused_and_recorded(server, plan, media):
    row = queue(plan, serve(server, "/211.pdf", HTML))
    now = timezone.now()

    download_due(now=now)

    row.refresh_from_db()
    assert (row.status, row.error_reason, row.attempts) == (DownloadStatus.FAILED, "not_a_pdf", 1)
    assert row.next_try_at == now + timedelta(minutes=5)
    assert row.error_message and row.attachment is None
    assert DirectiveDocument.objects.filter(pk=plan.pk).exists()
    assert not DocumentAttachment.objects.exists() and not get_document_model().objects.exists()
    assert stored_files(media) == []


def test_a_file_over_the_size_limit_is_refused_before_it_is_stored(server, plan, media, settings):
    settings.NEWS57_ATTACHMENT_MAX_BYTES = 4096
    row = queue(plan, serve(server, "/211.pdf"))

    download_due()

    row.refresh_from_db()
    assert (row.status, row.error_reason) == (DownloadStatus.FAILED, "too_large")
    assert not DocumentAttachment.objects.exists() and stored_files(media) == []


def test_a_server_error_is_recorded_and_the_file_fetched_once_its_retry_time_comes(server, plan):
    server.expect_oneshot_request("/211.pdf").respond_with_data("Internal error", status=500)
    row = queue(plan, serve(server, "/211.pdf"))
    now = timezone.now()

    download_due(now=now)
    row.refresh_from_db()
    assert (row.status, row.error_reason) == (DownloadStatus.FAILED, "http_status") and "500" in row.error_message

    assert not downloads_due(now + timedelta(minutes=4))
    assert download_due(now=now + timedelta(minutes=4)) == []
    assert len(server.log) == 1

    download_due(now=row.next_try_at)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error_reason, row.error_params) == (DownloadStatus.DONE, 2, "", {})
    assert plan.attachments.get().sha256 == hashlib.sha256(PDF).hexdigest()


def test_only_waiting_and_failed_downloads_whose_time_has_come_are_due(server, plan):
    now = timezone.now()
    queue(plan, serve(server, "/later.pdf"), next_try_at=now + timedelta(minutes=1))
    queue(plan, serve(server, "/failed-later.pdf"), status=DownloadStatus.FAILED, next_try_at=now + timedelta(hours=1))
    queue(plan, serve(server, "/done.pdf"), status=DownloadStatus.DONE, next_try_at=now - timedelta(days=1))

    assert not downloads_due(now)
    assert download_due(now=now) == []
    assert server.log == []
    assert downloads_due(now + timedelta(minutes=1))


def test_one_failing_file_does_not_stop_the_others(server, langson):
    documents = [make_document(langson.agency, number) for number in range(300, 306)]
    rows = [queue(document, serve(server, f"/{document.number}.pdf")) for document in documents]
    broken = queue(documents[2], url(server, "/gone.pdf"))  # not served: 500 from pytest-httpserver

    tried = download_due(now=timezone.now() + timedelta(seconds=1))

    assert len(tried) == len(rows) + 1
    statuses = dict(AttachmentDownload.objects.values_list("pk", "status"))
    assert statuses.pop(broken.pk) == DownloadStatus.FAILED
    assert set(statuses.values()) == {DownloadStatus.DONE}
    assert DocumentAttachment.objects.count() == len(documents)


def test_running_twice_downloads_nothing_twice(server, langson):
    documents = [make_document(langson.agency, number) for number in (401, 402, 403)]
    for document in documents:
        queue(document, serve(server, f"/{document.number}.pdf"))

    first = download_due()
    second = download_due(now=timezone.now() + timedelta(days=2))

    assert len(first) == 3 and second == []
    assert len(server.log) == 3
    assert DocumentAttachment.objects.count() == get_document_model().objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_run_started_while_another_is_downloading_fetches_nothing_twice(server, langson):
    first_request = threading.Event()

    def slowly(request):
        first_request.set()
        time.sleep(0.1)
        return Response(PDF, content_type="application/pdf")

    server.expect_request(re.compile(r"/\d+\.pdf")).respond_with_handler(slowly)
    for number in range(601, 607):
        queue(make_document(langson.agency, number), url(server, f"/{number}.pdf"))
    tried = []

    def run(after=None):
        try:
            if after is not None:
                after.wait(30)
            tried.extend(download_due())
        finally:
            connection.close()

    runs = [threading.Thread(target=run), threading.Thread(target=run, args=(first_request,))]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join(60)

    assert len(tried) == len(server.log) == 6
    assert set(AttachmentDownload.objects.values_list("status", flat=True)) == {DownloadStatus.DONE}
    assert DocumentAttachment.objects.count() == get_document_model().objects.count() == 6


def test_the_same_bytes_at_two_addresses_are_attached_once(server, plan, media):
    first = queue(plan, serve(server, "/211.pdf"))
    second = queue(plan, serve(server, "/mirror/211.pdf"))

    download_due()

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == DownloadStatus.DONE
    assert first.attachment == second.attachment == plan.attachments.get()
    assert get_document_model().objects.count() == 1 and len(stored_files(media)) == 1


def test_a_claimed_download_is_skipped_by_a_concurrent_run_until_its_lease_runs_out(server, plan):
    queue(plan, serve(server, "/211.pdf"))
    now = timezone.now()

    assert len(claim_due(now)) == 1

    assert not downloads_due(now) and claim_due(now) == []
    assert downloads_due(now + lease())


def test_a_batch_out_of_time_gives_back_what_it_did_not_start(server, langson):
    for number in (501, 502, 503):
        queue(make_document(langson.agency, number), serve(server, f"/{number}.pdf"))
    now = timezone.now()

    tried = download_due(now=now, budget=0)

    assert len(tried) == 1 and len(server.log) == 1
    waiting = AttachmentDownload.objects.filter(status=DownloadStatus.PENDING)
    assert waiting.count() == 2 and all(row.next_try_at == now for row in waiting)
    assert len(download_due(now=now)) == 2


def test_a_failure_while_attaching_leaves_no_file_behind(server, plan, media, monkeypatch):
    row = queue(plan, serve(server, "/211.pdf"))

    def refuse(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(DocumentAttachment, "save", refuse)
    assert download(row) is row

    row.refresh_from_db()
    assert (row.status, row.error_reason, row.attempts) == (DownloadStatus.FAILED, "attachment_missing", 1)
    assert not get_document_model().objects.exists() and stored_files(media) == []


def test_a_download_whose_document_was_deleted_meanwhile_stores_nothing(server, plan, media):
    queue(plan, serve(server, "/211.pdf"))
    [row] = claim_due()
    plan.delete()

    download(row)

    assert not AttachmentDownload.objects.exists() and not get_document_model().objects.exists()
    assert stored_files(media) == []


@pytest.fixture
def published(langson, plan):
    Publication.objects.create(
        document=plan, site=langson.site, status=PublicationStatus.PUBLISHED, published_at=timezone.now()
    )
    section_path = langson.section.url_path.removeprefix(langson.site.root_page.url_path)

    def page():
        response = Client().get(f"/{section_path}van-ban/{plan.slug}/", HTTP_HOST=langson.site.hostname)
        assert response.status_code == 200
        return html5lib.parse(response.content.decode(), treebuilder="etree", namespaceHTMLElements=False)

    return page


def text_of(element):
    return " ".join(" ".join(element.itertext()).split())


def missing_notice(tree):
    return tree.find(".//main//section[@class='notice document__missing-files']")


def test_a_document_with_a_failed_download_says_a_file_is_missing_and_links_to_its_source(server, plan, published):
    queue(plan, serve(server, "/211.pdf", HTML))
    queue(plan, serve(server, "/phu-luc.pdf", HTML))
    download_due()

    notice = missing_notice(published())

    assert notice is not None
    assert text_of(notice.find("h2")) == "Thiếu tệp đính kèm"
    assert "Chưa tải được tệp đính kèm từ nguồn tin" in text_of(notice)
    [link] = notice.findall(".//a")
    assert link.get("href") == SOURCE_URL


def test_the_notice_stays_beside_the_files_that_did_arrive(server, plan, published):
    queue(plan, serve(server, "/211.pdf"))
    queue(plan, serve(server, "/phu-luc.pdf", HTML))
    download_due()

    tree = published()

    assert missing_notice(tree) is not None
    [link] = tree.findall(".//main//a[@class='attachment__link']")
    assert text_of(link).startswith("211 (PDF")


def test_a_document_whose_files_all_arrived_shows_no_notice(server, plan, published):
    queue(plan, serve(server, "/211.pdf"))
    download_due()

    assert missing_notice(published()) is None
