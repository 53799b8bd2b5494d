"""Through the real frontend cache (Varnish, deploy/varnish/news57.vcl): a change shows at once, the rest stays cached.

The web server is the test's live server; purges come from a real Celery worker, after commit.
Every request names the site in its Host header and goes to Varnish, which keeps one copy per host and path.
"""

import json
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from wagtail.models import PageViewRestriction, Site

from cms.celery import app
from news57.models import ArticlePage, DirectiveDocument, Publication, PublicationStatus
from news57.public.purging import expressions
from worker import QUEUE, Worker, wait_until

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("varnishd") is None, reason="Varnish is not installed (`make test` installs it)"),
]

BASE_DIR = Path(__file__).resolve().parents[2]
HOST = "langson.localhost"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class FrontendCache:
    """bin/frontend-cache on a free port in front of `backend`, stopped on exit."""

    def __init__(self, tmp_path, backend):
        self.port, self.workdir, self.backend = free_port(), tmp_path / "varnish", backend
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def __enter__(self):
        env = {"PATH": "/usr/sbin:/usr/bin:/bin", "NEWS57_VARNISH_DIR": str(self.workdir)}
        self.log = (self.workdir.parent / "varnish.log").open("wb")
        self.process = subprocess.Popen(
            [str(BASE_DIR / "bin" / "frontend-cache"), f"127.0.0.1:{self.port}", self.backend],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        assert wait_until(self.answers, 30), (self.workdir.parent / "varnish.log").read_text()
        return self

    def answers(self):
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            return True
        except OSError:
            return False

    def __exit__(self, *exc_info):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()

    def get(self, path, host=HOST):
        request = urllib.request.Request(self.url + path, headers={"Host": host})
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.headers.get("X-Cache"), response.read().decode()

    def bans(self):
        """How many purges the cache took (its own count; one more than that, its start)."""
        out = subprocess.run(
            ["varnishstat", "-n", str(self.workdir), "-1", "-j", "-f", "MAIN.bans_added"],
            capture_output=True, check=True, text=True,
        ).stdout  # fmt: skip
        counters = json.loads(out)
        counters = counters.get("counters", counters)
        return counters["MAIN.bans_added"]["value"] - 1


@pytest.fixture
def through_the_cache(platform, live_server, tmp_path, settings, monkeypatch):
    """(cache, worker): Varnish before the live server, a worker purging it, the test's tasks sent to that worker."""
    backend = f"127.0.0.1:{urlsplit(live_server.url).port}"
    with FrontendCache(tmp_path, backend) as cache:
        settings.NEWS57_FRONTEND_CACHE = [cache.url]
        monkeypatch.setitem(app.conf, "task_default_queue", QUEUE)
        worker = Worker(
            tmp_path,
            NEWS57_FRONTEND_CACHE=cache.url,
            NEWS57_PURGE_REPEAT_SECONDS="1",
            # The filesystem broker: the test's own folder, which its tasks go to.
            NEWS57_BROKER_DIR=str(django_settings.BROKER_DIR),
        )
        with worker:
            assert wait_until(lambda: " ready." in worker.log(), 90, worker), worker.log()[-3000:]
            yield cache, worker


def article(section, title):
    page = ArticlePage(title=title, lead="Tóm tắt tin")
    section.add_child(instance=page)
    page.save_revision().publish()
    return page


def cached(cache, path, host=HOST):
    cache.get(path, host)
    return cache.get(path, host)[0] == "HIT"


def test_a_published_change_shows_through_the_cache_where_it_appears_and_nowhere_else(platform, through_the_cache):
    cache, worker = through_the_cache
    setup = platform["langson"]
    page = article(setup.section, "Tin chuyển đổi số trước khi sửa")
    document = DirectiveDocument.objects.create(code="211/KH-UBND", title="Kế hoạch số 211/KH-UBND", issuer=setup.agency)
    Publication.objects.create(document=document, site=setup.site, status=PublicationStatus.PUBLISHED)
    section = setup.section.relative_url(setup.site)
    showing = {"page": page.relative_url(setup.site), "section": section, "feed": section + "tin-tuc/rss/"}
    unrelated = {"document": section + f"van-ban/{document.slug}/"}
    # Wait for the purges of what was just made (and their repeat) to pass, so what follows stays cached.
    time.sleep(3)
    assert wait_until(lambda: all(cached(cache, path) for path in [*showing.values(), *unrelated.values()]), 30, worker)
    other_site = platform["hoangvanthu"].section.relative_url(platform["hoangvanthu"].site)
    assert cached(cache, other_site, "hoangvanthu.localhost")
    bans = cache.bans()

    page.title = "Tin chuyển đổi số đã sửa"
    page.save_revision().publish()
    published = time.monotonic()

    for name, path in showing.items():
        shown = wait_until(lambda: "Tin chuyển đổi số đã sửa" in cache.get(path)[1], 30, worker, interval=0.05)
        assert shown, f"{name} still old after 30 s\n" + worker.log()[-3000:]
    print(f"\nvisible through the cache {time.monotonic() - published:.2f} s after publishing")
    assert cache.get(unrelated["document"])[0] == "HIT", worker.log()[-6000:]
    assert cache.get(other_site, "hoangvanthu.localhost")[0] == "HIT"
    assert cache.bans() > bans
    assert "news57.public.purge_changes" in worker.log()


def test_a_fan_out_to_500_sites_sends_a_bounded_number_of_purges_from_the_worker_after_commit(
    platform, through_the_cache
):
    cache, worker = through_the_cache
    setup = platform["langson"]
    document = DirectiveDocument.objects.create(code="212/KH-UBND", title="Kế hoạch số 212/KH-UBND", issuer=setup.agency)
    Site.objects.bulk_create(
        [Site(hostname=f"xa-{n:03}.langson.localhost", port=80, root_page=setup.site.root_page) for n in range(500)]
    )
    sites = list(Site.objects.filter(hostname__startswith="xa-"))
    time.sleep(3)
    before = cache.bans()
    with transaction.atomic():
        # What fan-out writes: the publications of one batch, in bulk.
        Publication.objects.bulk_create(
            [Publication(document=document, site=site, status=PublicationStatus.PUBLISHED) for site in sites]
        )
        time.sleep(1.5)
        assert cache.bans() == before, "purged before the commit"
    expected = 2 * len(expressions(publications=[(site.pk, document.pk) for site in sites]))  # sent, then once again
    assert expected == 10
    assert wait_until(lambda: cache.bans() - before >= expected, 30, worker), worker.log()[-3000:]
    time.sleep(1.5)
    assert cache.bans() - before == expected


def test_a_section_made_private_is_no_longer_served_from_the_cache_at_any_of_its_pages(platform, through_the_cache):
    cache, worker = through_the_cache
    setup = platform["langson"]
    document = DirectiveDocument.objects.create(code="213/KH-UBND", title="Kế hoạch số 213/KH-UBND", issuer=setup.agency)
    Publication.objects.create(document=document, site=setup.site, status=PublicationStatus.PUBLISHED)
    # Two levels below the section: an article's purge does not reach it, a privacy change must.
    path = setup.section.relative_url(setup.site) + f"van-ban/{document.slug}/"
    time.sleep(3)
    assert wait_until(lambda: cached(cache, path), 30, worker)

    PageViewRestriction.objects.create(page=setup.section, restriction_type=PageViewRestriction.LOGIN)

    hidden = wait_until(lambda: "Kế hoạch số 213/KH-UBND" not in cache.get(path)[1], 30, worker, interval=0.05)
    assert hidden, worker.log()[-3000:]
