"""The demo's chain end to end: central portal → province → its communes, two hops over HTTP, nobody touching it."""

import time
from urllib.parse import urlsplit

import pytest

from news57.demo.syndication import load_chain
from news57.models import DirectiveDocument, Publication, PublicationStatus, Source
from news57.republishing.actions import republish
from worker import Worker, wait_until

POLL_SECONDS = 2
TICK_SECONDS = 1


def chain(platform, live_server):
    port = urlsplit(live_server.url).port
    load_chain(platform, port=port, poll_interval=POLL_SECONDS)
    return port


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_document_published_centrally_reaches_the_communes_two_hops_down(platform, live_server, tmp_path, capsys):
    port = chain(platform, live_server)
    worker = Worker(
        tmp_path,
        NEWS57_SYNDICATION_TICK_SECONDS=str(TICK_SECONDS),
        NEWS57_SOURCE_MIN_INTERVAL_SECONDS="1",
        NEWS57_FETCH_ALLOW_HOSTS=f"trunguong.localhost:{port},langson.localhost:{port}",
    )
    with worker:
        # Ready when both sources have been polled once (their feeds are still empty).
        ready = wait_until(lambda: not Source.objects.filter(last_success_at__isnull=True).exists(), 90, worker)
        assert ready, worker.log()[-5000:] + "\n" + repr(list(Source.objects.values("url", "last_error_detail")))
        document = DirectiveDocument.objects.create(
            code="1169/QĐ-TTg",
            title="Quyết định số 1169/QĐ-TTg ngày 16/6/2025 của Thủ tướng Chính phủ phê duyệt Chương trình truyền thông",
            issuer=platform["thu-tuong"].agency,
        )
        started = time.monotonic()
        republish(document, platform["trunguong"].site, None)
        bound = 2 * POLL_SECONDS + 2 * TICK_SECONDS + 10
        communes = [platform["thanhtra-langson"].site, platform["hoangvanthu"].site]
        arrived = wait_until(
            lambda: Publication.objects.filter(
                document=document, site__in=communes, status=PublicationStatus.PUBLISHED
            ).count()
            == 2,
            bound,
            worker,
            interval=0.1,
        )
        elapsed = time.monotonic() - started
    assert arrived, f"not on the communes within {bound} s\n" + worker.log()[-5000:]
    province = Publication.objects.get(document=document, site=platform["langson"].site)
    commune = Publication.objects.get(document=document, site=platform["hoangvanthu"].site)
    central = Publication.objects.get(document=document, site=platform["trunguong"].site)
    # Latency at each hop: source time (when the site above went live) → first seen → live here.
    # Feeds carry whole seconds.
    assert abs((province.source_time - central.published_at).total_seconds()) < 1
    assert province.source_time <= province.first_seen_at <= province.published_at
    assert abs((commune.source_time - province.published_at).total_seconds()) < 1
    assert commune.source_time <= commune.first_seen_at <= commune.published_at
    assert DirectiveDocument.objects.filter(code_key="1169/QĐ-TTg").count() == 1
    with capsys.disabled():
        hop1 = (province.published_at - central.published_at).total_seconds()
        hop2 = (commune.published_at - province.published_at).total_seconds()
        print(f"\ntwo hops in {elapsed:.1f} s (bound {bound} s): central→province {hop1:.1f} s, province→commune {hop2:.1f} s")
