"""store(): one row per real document however many workers or feeds bring it, and the corpus through it."""

import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection, transaction
from wagtail.rich_text import expand_db_html

from markup_safety import unsafe_parts
from news57.models import DirectiveDocument, Source, SourceEntry
from news57.syndication.parse import ParseError, parse
from news57.syndication.poll import poll
from news57.syndication.store import store
from wagtail.models import Revision
from wagtail.search.backends import get_search_backend

FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
CORPUS = Path(__file__).parents[2] / ".." / "shared" / "corpora" / "feedparser"
WORKERS = 4


@pytest.fixture
def served(httpserver, monkeypatch):
    monkeypatch.setenv("NEWS57_FETCH_ALLOW_HOSTS", f"127.0.0.1:{httpserver.port}")
    for name in ("central-rss20.xml", "province-atom.xml"):
        httpserver.expect_request(f"/{name}").respond_with_data((FEEDS / name).read_bytes(), content_type="application/xml")
    return lambda name: f"http://127.0.0.1:{httpserver.port}/{name}"


def at_once(jobs):
    """Run the jobs in threads released together; each thread has its own database connection."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        try:
            barrier.wait()
            job()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_workers_importing_the_same_source_at_once_create_nothing_twice(platform, served):
    source = Source.objects.create(
        name="Chính phủ", url=served("central-rss20.xml"), default_issuer=platform["chinh-phu"].agency, level="central"
    )
    at_once([lambda: poll(Source.objects.get(pk=source.pk)) for _worker in range(WORKERS)])
    assert DirectiveDocument.objects.count() == 4
    assert SourceEntry.objects.count() == 4
    assert Revision.objects.filter(base_content_type__model="directivedocument").count() == 4
    source.refresh_from_db()
    assert source.entries_seen == 4 and source.consecutive_failures == 0


@pytest.mark.django_db(transaction=True)
def test_two_feeds_carrying_the_same_document_at_once_make_one_document(platform, served):
    central = Source.objects.create(
        name="Chính phủ", url=served("central-rss20.xml"), default_issuer=platform["chinh-phu"].agency, level="central"
    )
    province = Source.objects.create(
        name="Lạng Sơn", url=served("province-atom.xml"), default_issuer=platform["langson"].agency, level="province"
    )
    sources = [central, province] * (WORKERS // 2)
    at_once([lambda pk=src.pk: poll(Source.objects.get(pk=pk)) for src in sources])
    assert DirectiveDocument.objects.filter(code_key="1169/QĐ-TTg").count() == 1
    assert DirectiveDocument.objects.count() == 7
    assert SourceEntry.objects.count() == 8
    for document in DirectiveDocument.objects.all():
        assert document.revisions.count() >= 1 and document.latest_revision_id is not None


@pytest.mark.django_db
def test_a_batch_with_the_same_guid_twice_stores_the_entry_once(platform):
    source = Source.objects.create(
        name="Lặp", url="https://central.example.vn/rss", default_issuer=platform["chinh-phu"].agency, level="central"
    )
    entries = parse((FEEDS / "central-rss20.xml").read_bytes(), source.url)
    with transaction.atomic():
        stored = store(source, entries + entries)
    assert stored.new_entries == 4 and SourceEntry.objects.count() == 4


@pytest.mark.django_db
def test_a_source_that_carries_news_makes_no_documents(platform):
    source = Source.objects.create(
        name="Tin", url="https://central.example.vn/rss", default_issuer=platform["chinh-phu"].agency,
        level="central", carries="news",
    )  # fmt: skip
    with transaction.atomic():
        stored = store(source, parse((FEEDS / "central-rss20.xml").read_bytes(), source.url))
    assert stored.news == 4 and not DirectiveDocument.objects.exists()


@pytest.mark.django_db
def test_a_source_that_carries_documents_makes_one_even_of_an_entry_without_a_code(platform):
    source = Source.objects.create(
        name="Văn bản", url="http://commune.example.vn/rss", default_issuer=platform["hoangvanthu"].agency,
        level="department", carries="documents",
    )  # fmt: skip
    body = (FEEDS / "commune-quirks-cp1258.xml").read_bytes()
    with transaction.atomic():
        store(source, parse(body, source.url))
    with transaction.atomic():
        again = store(source, parse(body, source.url))
    notice = DirectiveDocument.objects.get(title="Thông báo lịch tiếp công dân tháng 9/2025")
    assert notice.code_key == "" and notice.issuer.slug == "hoangvanthu"
    assert again.documents == [] and DirectiveDocument.objects.count() == 3


@pytest.mark.django_db
def test_imported_documents_are_found_by_the_search_without_diacritics(platform):
    source = Source.objects.create(
        name="Chính phủ", url="https://central.example.vn/rss", default_issuer=platform["chinh-phu"].agency,
        level="central",
    )  # fmt: skip
    with transaction.atomic():
        store(source, parse((FEEDS / "central-rss20.xml").read_bytes(), source.url))
    found = get_search_backend().search("day manh truyen thong", DirectiveDocument.objects.all(), operator="and")
    assert [document.code_key for document in found] == ["1169/QĐ-TTg"]


def corpus_files():
    return sorted(CORPUS.resolve().glob("**/*.xml")) if CORPUS.is_dir() else []


@pytest.mark.django_db
@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"feedparser corpus not present at {CORPUS} (only in the shared workspace)")
def test_every_corpus_feed_goes_through_the_import_without_stopping_the_batch_or_storing_unsafe_markup(
    platform, capsys
):
    files = corpus_files()
    outcomes, failures = Counter(), []
    issuer = platform["chinh-phu"].agency
    started = time.monotonic()
    for number, path in enumerate(files):
        url = f"http://example.com/corpus/{number}.xml"
        try:
            entries = parse(path.read_bytes(), url)
        except ParseError as error:
            outcomes[f"error:{error.reason}"] += 1
            continue
        # Every entry a document, so both stored bodies (document and entry) meet every file.
        source = Source.objects.create(
            name=path.name[:255], url=url, default_issuer=issuer, level="central", carries="documents"
        )
        try:
            with transaction.atomic():
                stored = store(source, entries)
        except Exception as error:  # noqa: BLE001 - one bad file must not stop the batch
            failures.append(f"{path.name}: {error!r}")
            continue
        outcomes["with entries" if stored.new_entries else "no entries"] += 1
    elapsed = time.monotonic() - started
    unsafe = []
    for code, body in DirectiveDocument.objects.values_list("code_key", "body"):
        for html in (body, expand_db_html(body)):
            if parts := unsafe_parts(html):
                unsafe.append(f"document {code}: {parts}")
    for title, body in SourceEntry.objects.values_list("title", "body"):
        if parts := unsafe_parts(body):
            unsafe.append(f"entry {title[:60]}: {parts}")
    with capsys.disabled():
        print(
            f"\nfeedparser corpus through the import: {len(files)} files in {elapsed:.1f} s, "
            f"{outcomes['with entries']} produced entries; {dict(sorted(outcomes.items()))}; "
            f"stored {DirectiveDocument.objects.count()} documents and {SourceEntry.objects.count()} entries"
        )
    assert not failures, "\n".join(failures[:20])
    assert not unsafe, "\n".join(unsafe[:20])
    assert outcomes["with entries"] > len(files) // 3
