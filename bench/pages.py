"""Public pages under load: a province of agency sites served by gunicorn, measured with wrk on loopback.

Run with `make bench` or `.venv/bin/python bench/pages.py [--sites 50] [--articles 10000] [--documents 5000]
[--duration 10] [--warm-up 2] [--connections 16] [--keep DIR] [--output PATH]`.

Set-up: the province's sites by `provision_agency()`, then the articles (some with a hero image, its
renditions made) and directive documents with live publications, in bulk; then the search index of
both. Four modes, each page kind (section, article, document, search) measured in each:

- dummy: gunicorn (2 sync workers) with Django's DummyCache, nothing cached;
- fragment: gunicorn with the Redis cache (the templates' fragments);
- frontend: Varnish (bin/frontend-cache) in front of that gunicorn, with a Celery worker purging changes;
- nginx: a static copy of each page, saved from the live server: the ceiling on this machine.

Each run is wrk at --connections (2 threads) for --duration, after one request to every URL and a
--warm-up run. A run's requests go round the URLs of its kind: every site's section page and search,
up to URLS_PER_PAGE articles and documents spread over the sites (nginx: the one saved copy).
Through Varnish the hit ratio comes from varnishstat's counters over each run; at the end, an article
published here on one site is polled for through Varnish until it shows. The table and the issue's
targets are printed, never asserted; the JSON goes to --output.

Without DATABASE_URL the data lives in a throw-away SQLite file. With a PostgreSQL DATABASE_URL the bench
uses a database of its own beside the one named (news57_bench_pages), made for the run and dropped after
it. --keep DIR keeps the SQLite file (or that database) and the media in DIR, and a later run with the
same --sites/--articles/--documents reuses them instead of loading again.
"""

import argparse
import html
import http.client
import json
import os
import pwd
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, timedelta
from importlib.metadata import PackageNotFoundError, version
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import analyze, machine_info, percentile, setup_django, write_json  # noqa: E402

DEFAULT_SITES = 50
DEFAULT_ARTICLES = 10_000
DEFAULT_DOCUMENTS = 5_000
DEFAULT_DURATION = 10
DEFAULT_WARM_UP = 2
DEFAULT_CONNECTIONS = 16
DEFAULT_OUTPUT = ROOT / "bench" / "results" / "pages.json"
THREADS = 2
GUNICORN_WORKERS = 2
MODES = ("dummy", "fragment", "frontend", "nginx")
PAGES = ("section", "article", "document", "search")
SEARCH_QUERY = "chuyen%20doi%20so"
# Articles and documents a run goes round: enough that the cache holds many objects, few enough to visit first.
URLS_PER_PAGE = 100
PREFIX = "bench-pages"
THROWAWAY_DATABASE = "news57_bench_pages"
CACHE_URL = "redis://127.0.0.1:6379/9"
BROKER_URL = "redis://127.0.0.1:6379/10"
# A queue of this run's own: no other worker on the broker takes its purges.
QUEUE = f"news57-bench-pages-{os.getpid()}"
GUNICORN_INSTALL = ".venv/bin/pip install 'gunicorn>=27,<28'   (or: .venv/bin/pip install -e '.[bench]')"
# From the issue; reported, never asserted.
TARGET_DUMMY_P50_MS = 15
TARGET_FRAGMENT_RPS = 300
TARGET_FRONTEND_SHARE = 0.75
TARGET_HIT_RATIO = 0.95
TARGET_VISIBLE_S = 1.0
VISIBLE_TIMEOUT_S = 15
VISIBLE_POLL_S = 0.02
START_TIMEOUT_S = 60
STOP_SECONDS = 10
WRK_MARK = "NEWS57-WRK "
IMAGES = 4
FILTERS_WARMED = ("fill-400x225", "fill-800x450", "width-480", "width-800", "width-1200")
SUBJECTS = [
    "chuyển đổi số trong cơ quan nhà nước",
    "đột phá phát triển khoa học, công nghệ và đổi mới sáng tạo",
    "dịch vụ công trực tuyến toàn trình",
    "phong trào Bình dân học vụ số",
    "hạ tầng số và dữ liệu dùng chung",
    "an toàn thông tin mạng",
]
DOCUMENT_KINDS = [("KH", "Kế hoạch"), ("QĐ", "Quyết định"), ("CV", "Công văn"), ("TB", "Thông báo")]


# ---------------------------------------------------------------- the data


@contextmanager
def timed(timings, key):
    started = time.perf_counter()
    yield
    timings[key] = round(time.perf_counter() - started, 2)


def load(sites, articles, documents, seed=57):
    """The province: `sites` agency sites, `articles` live articles and `documents` live documents over them.

    Returns the seconds each step took."""
    rng = random.Random(seed)
    timings = {}
    with timed(timings, "sites_s"):
        setups = provision_sites(sites)
    with timed(timings, "images_s"):
        images = make_images()
    with timed(timings, "articles_s"):
        add_articles([setup.section for setup in setups], articles, images, rng)
    with timed(timings, "documents_s"):
        add_documents(setups, documents, rng)
    with timed(timings, "search_index_s"):
        index_for_search()
    with timed(timings, "statistics_s"):
        analyze()
    timings["total_s"] = round(sum(timings.values()), 2)
    return timings


def provision_sites(count):
    from news57.provisioning import provision_agency

    province = provision_agency(
        name="Ủy ban nhân dân tỉnh Bench", short_name="UBND tỉnh Bench", level="province", code_issuer="UBND",
        slug=f"{PREFIX}-tinh", with_site=False,
    ).agency  # fmt: skip
    return [
        provision_agency(
            name=f"Ủy ban nhân dân xã Bench {i:02d}", short_name=f"UBND xã Bench {i:02d}", level="commune",
            parent=province, code_issuer="UBND", slug=site_slug(i), hostname=f"{site_slug(i)}.localhost",
        )  # fmt: skip
        for i in range(count)
    ]


def site_slug(number):
    return f"{PREFIX}-{number:02d}"


def make_images():
    """A few distinct pictures with every rendition the public pages draw already made."""
    from django.core.files.images import ImageFile
    from PIL import Image as Picture
    from wagtail.images import get_image_model

    images = []
    for i in range(IMAGES):
        buffer = BytesIO()
        Picture.new("RGB", (1600, 900), (40 + 50 * i, 90, 160 - 30 * i)).save(buffer, "JPEG", quality=80)
        image = get_image_model()(title=f"Ảnh bench {i}", file=ImageFile(buffer, name=f"bench-{i}.jpg"))
        image.save()
        image.get_renditions(*FILTERS_WARMED)
        images.append(image)
    return images


def insert_rows(model, fields, objects, batch=500):
    """Plain INSERTs of the objects' values into the model's own table (bulk_create refuses MTI children)."""
    from django.db import connection

    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    statement = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "  # noqa: S608 - names from the model
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch):
            rows = [
                [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
                for obj in objects[start : start + batch]
            ]
            cursor.executemany(statement, rows)


def add_articles(sections, count, images, rng):
    """Live articles spread round the sections, written as treebeard rows: wagtailcore_page, then the child table.

    Paths follow each section's existing children, numchild is set once per section, and url_path,
    locale, content type and the publishing times are what Wagtail's own publish would have written."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Page
    from wagtail.rich_text import RichText

    from news57.models import ArticlePage

    content_type = ContentType.objects.get_for_model(ArticlePage)
    now = timezone.now()
    by_section = defaultdict(list)
    for i in range(count):
        section = sections[i % len(sections)]
        # Later numbers are newer, an hour apart per section round.
        when = now - timedelta(minutes=count - i)
        subject = rng.choice(SUBJECTS)
        slug = f"tin-{i + 1:05d}"
        position = section.numchild + len(by_section[section.pk]) + 1
        by_section[section.pk].append(
            ArticlePage(
                title=f"Tin {i + 1}: {subject}", draft_title=f"Tin {i + 1}: {subject}", slug=slug,
                path=Page._get_path(section.path, section.depth + 1, position), depth=section.depth + 1, numchild=0,
                url_path=f"{section.url_path}{slug}/", content_type=content_type, locale_id=section.locale_id,
                live=True, has_unpublished_changes=False, first_published_at=when, last_published_at=when,
                lead=f"Về {subject} trên địa bàn xã.", date=when,
                hero_image=images[i % len(images)] if i % 3 == 0 else None,
                body=[("paragraph", RichText(f"<p>Nội dung bài {i + 1} về {subject}.</p>")) for _ in range(3)],
                author="Ban biên tập",
            )  # fmt: skip
        )
    page_fields = [field for field in Page._meta.local_concrete_fields if not field.primary_key]
    article_fields = list(ArticlePage._meta.local_concrete_fields)
    with transaction.atomic():
        for section in sections:
            pages = by_section[section.pk]
            if not pages:
                continue
            insert_rows(Page, page_fields, pages)
            ids = dict(
                Page.objects.filter(path__startswith=section.path, depth=section.depth + 1).values_list("path", "pk")
            )
            for page in pages:
                page.id = page.page_ptr_id = ids[page.path]
            insert_rows(ArticlePage, article_fields, pages)
            section.numchild += len(pages)
            Page.objects.filter(pk=section.pk).update(numchild=section.numchild)


def add_documents(setups, count, rng):
    """Documents of each site's agency, round the sites, each with one live publication there."""
    from django.db import transaction
    from django.utils import timezone

    from news57.models import DirectiveDocument, Publication, PublicationStatus

    now = timezone.now()
    documents = []
    for j in range(count):
        agency = setups[j % len(setups)].agency
        type_code, type_name = DOCUMENT_KINDS[j % len(DOCUMENT_KINDS)]
        code = f"{j + 1}/{type_code}-UBND"
        issued = date(2025, 1, 1) + timedelta(days=j % 330)
        subject = rng.choice(SUBJECTS)
        document = DirectiveDocument(
            code=code, issuer=agency, signer="Nguyễn Văn Bench",
            title=f"{type_name} số {code} ngày {issued:%d/%m/%Y} của {agency.short_name} về {subject}",
            summary=f"Triển khai Nghị quyết số 57-NQ/TW: {subject}.", body=f"<p>Nội dung về {subject}.</p>",
            issued_on=issued, created_at=now,
        )  # fmt: skip
        document.derive_fields(with_slug=False)
        document.slug = f"{PREFIX}-vb-{j + 1:05d}"
        documents.append(document)
    with transaction.atomic():
        DirectiveDocument.objects.bulk_create(documents, batch_size=500)
        # Not every backend returns primary keys from bulk_create: read them back.
        ids = dict(DirectiveDocument.objects.filter(slug__startswith=f"{PREFIX}-vb-").values_list("slug", "pk"))
        publications = []
        for j, document in enumerate(documents):
            live = now - timedelta(minutes=count - j)
            publications.append(
                Publication(
                    document_id=ids[document.slug], site_id=setups[j % len(setups)].site.pk,
                    status=PublicationStatus.PUBLISHED, obligated_at=live, published_at=live, first_published_at=live,
                )  # fmt: skip
            )
        Publication.objects.bulk_create(publications, batch_size=1000)


def index_for_search(chunk=500):
    """What the section search asks the backend for: the bench's articles and documents (bulk rows have no index)."""
    from wagtail.search.backends import get_search_backend

    from news57.models import ArticlePage, DirectiveDocument

    backend = get_search_backend()
    for model, queryset in (
        (ArticlePage, ArticlePage.objects.filter(slug__startswith="tin-")),
        (DirectiveDocument, DirectiveDocument.objects.filter(slug__startswith=f"{PREFIX}-vb-")),
    ):
        ids = list(queryset.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), chunk):
            backend.add_bulk(model, list(model.objects.filter(pk__in=ids[start : start + chunk])))


def bench_sites():
    from wagtail.models import Site

    return list(Site.objects.filter(hostname__startswith=f"{PREFIX}-").select_related("root_page").order_by("hostname"))


def counts():
    """What the loader left, counted from the database: the bench's sites, live articles, documents, publications."""
    from news57.models import ArticlePage, DirectiveDocument, Publication, PublicationStatus, SectionPage

    sites = bench_sites()
    sections = [section for site in sites for section in SectionPage.objects.child_of(site.root_page)]
    articles = ArticlePage.objects.none()
    for section in sections:
        articles |= ArticlePage.objects.child_of(section)
    return {
        "sites": len(sites),
        "sections": len(sections),
        "articles": articles.count(),
        "articles_live": articles.live().count(),
        "documents": DirectiveDocument.objects.filter(slug__startswith=f"{PREFIX}-vb-").count(),
        "publications_live": Publication.objects.filter(
            site__in=sites, status=PublicationStatus.PUBLISHED, document__slug__startswith=f"{PREFIX}-vb-"
        ).count(),
    }


def targets(limit=URLS_PER_PAGE):
    """{page kind: [(host, path)]}: every site's section and search, up to `limit` articles and documents."""
    from news57.models import ArticlePage, Publication, PublicationStatus, SectionPage

    sites = bench_sites()
    per_site = max(1, -(-limit // len(sites)))
    answer = {page: [] for page in PAGES}
    for site in sites:
        root = site.root_page
        section = SectionPage.objects.child_of(root).get()
        section_path = local_path(site, section.url_path)
        answer["section"].append((site.hostname, section_path))
        answer["search"].append((site.hostname, f"{section_path}tim-kiem/?q={SEARCH_QUERY}"))
        for url_path in ArticlePage.objects.child_of(section).live().order_by("-date").values_list(
            "url_path", flat=True
        )[:per_site]:
            answer["article"].append((site.hostname, local_path(site, url_path)))
        for slug in Publication.objects.filter(site=site, status=PublicationStatus.PUBLISHED).order_by(
            "-published_at"
        ).values_list("document__slug", flat=True)[:per_site]:
            answer["document"].append((site.hostname, f"{section_path}van-ban/{slug}/"))
    # Round-robin over sites, so a short run still reaches every site.
    for page in ("article", "document"):
        by_host = defaultdict(list)
        for host, path in answer[page]:
            by_host[host].append(path)
        mixed = [(host, paths[n]) for n in range(per_site) for host, paths in by_host.items() if n < len(paths)]
        answer[page] = mixed[:limit]
    return answer


def local_path(site, url_path):
    """A page's path under its site: its url_path without the site root's."""
    return url_path[len(site.root_page.url_path) - 1 :]


def newest_titles():
    """{host: (newest article title, newest live document title)}: what each section page must show."""
    from news57.models import ArticlePage, Publication, PublicationStatus, SectionPage

    answer = {}
    for site in bench_sites():
        section = SectionPage.objects.child_of(site.root_page).get()
        article = ArticlePage.objects.child_of(section).live().order_by("-date", "-pk").first()
        publication = (
            Publication.objects.filter(site=site, status=PublicationStatus.PUBLISHED)
            .select_related("document")
            .order_by("-published_at", "-pk")
            .first()
        )
        answer[site.hostname] = (
            article.title if article else None, publication.document.title if publication else None
        )
    return answer


# ---------------------------------------------------------------- processes


def missing_tools():
    """What the bench needs and this machine lacks, each with how to get it."""
    missing = []
    for tool, package in (("wrk", "wrk"), ("nginx", "nginx"), ("varnishd", "varnish"), ("varnishstat", "varnish")):
        if shutil.which(tool) is None and not Path("/usr/sbin", tool).exists():
            missing.append(f"{tool} (Debian: apt-get install {package})")
    if not gunicorn_path().exists():
        missing.append(f"gunicorn ({GUNICORN_INSTALL})")
    return missing


def gunicorn_path():
    return Path(sys.executable).parent / "gunicorn"


def tool(name):
    return shutil.which(name) or str(Path("/usr/sbin", name))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_open(port):
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


class Children:
    """The processes the bench starts, each in a session of its own, all stopped by stop_all (in reverse)."""

    def __init__(self, logs):
        self.logs = Path(logs)
        self.logs.mkdir(parents=True, exist_ok=True)
        self.running = []

    def start(self, name, command, env):
        with open(self.logs / f"{name}.log", "ab") as log:
            child = subprocess.Popen(
                command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        child.name = name
        self.running.append(child)
        return child

    def stop(self, child):
        self._terminate(child)
        self._reap(child)

    def stop_all(self):
        """All told first, so their shutdowns overlap; then each reaped."""
        for child in self.running:
            self._terminate(child)
        for child in reversed(list(self.running)):
            self._reap(child)

    @staticmethod
    def _terminate(child):
        # The main process only: a worker's pool must not be killed under it (bin/run says why).
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)

    def _reap(self, child):
        """Waits STOP_SECONDS at most, then SIGKILLs the whole group: nothing of it outlives the bench."""
        try:
            child.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        child.wait()
        self.running.remove(child)

    def tail(self, name, lines=20):
        path = self.logs / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


def wait_until_answering(children, child, port, host="localhost", path="/"):
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError(f"{child.name} exited with {child.returncode}:\n{children.tail(child.name)}")
        if port_open(port):
            try:
                fetch(port, host, path, timeout=30)
                return
            except OSError:
                pass
        time.sleep(0.1)
    raise RuntimeError(f"{child.name} did not answer on port {port} within {START_TIMEOUT_S} s")


def child_env(cache_url, frontend=None):
    """The environment of a web server or worker: this database, media and settings, DEBUG off."""
    from django.conf import settings
    from django.db import connection

    database = connection.settings_dict
    if connection.vendor == "sqlite":
        database_url = f"sqlite:///{Path(database['NAME']).resolve()}"
    else:
        # From the connection, not the environment: the database this process really uses.
        credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
        database_url = f"postgres://{credentials}@{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "NEWS57_VAR_DIR": str(settings.VAR_DIR),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DEBUG": "0",
        "ALLOWED_HOSTS": ".localhost,localhost,127.0.0.1",
        "CACHE_URL": cache_url,
        "CELERY_BROKER_URL": BROKER_URL,
        "NEWS57_CELERY_QUEUE": QUEUE,
        "LOG_LEVEL": "WARNING",
        # As the README sets a production server: a sync worker keeps its connection between requests.
        "DATABASE_CONN_MAX_AGE": "600",
        "DJANGO_SETTINGS_MODULE": "cms.settings",
    }
    env.pop("NEWS57_FRONTEND_CACHE", None)
    if frontend:
        env["NEWS57_FRONTEND_CACHE"] = frontend
    return env


def start_gunicorn(children, name, cache_url, frontend=None):
    """gunicorn on a free port, not waited for (servers start side by side); returns (child, port)."""
    port = free_port()
    command = [
        str(gunicorn_path()), "cms.wsgi", "-w", str(GUNICORN_WORKERS), "-b", f"127.0.0.1:{port}",
        "--timeout", "120", "--log-level", "warning",
        # Its own control socket: two servers sharing the default one (~/.gunicorn) log an error.
        "--control-socket", str(children.logs / f"{name}.ctl"),
    ]  # fmt: skip
    return children.start(name, command, child_env(cache_url, frontend)), port


def start_worker(children, frontend):
    command = [
        str(Path(sys.executable).parent / "celery"), "-A", "cms", "worker", "--concurrency=1", "-Q", QUEUE,
        "--loglevel=INFO", "--without-mingle", "--without-gossip",
    ]  # fmt: skip
    return children.start("worker", command, child_env(CACHE_URL, frontend))


def wait_for_worker(children, worker):
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError(f"the worker exited with {worker.returncode}:\n{children.tail('worker')}")
        if " ready." in (children.logs / "worker.log").read_text(errors="replace"):
            return
        time.sleep(0.2)
    raise RuntimeError(f"the worker was not ready within {START_TIMEOUT_S} s:\n{children.tail('worker')}")


def start_varnish(children, port, backend_port, workdir):
    env = {**os.environ, "NEWS57_VARNISH_DIR": str(workdir)}
    command = [str(ROOT / "bin" / "frontend-cache"), f"127.0.0.1:{port}", f"127.0.0.1:{backend_port}"]
    return children.start("varnish", command, env)


def start_nginx(children, folder, copies):
    """nginx serving the saved copies, whatever the host, from a config of its own (pid, logs, temp files here)."""
    port = free_port()
    folder = Path(folder)
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / "temp" / sub).mkdir(parents=True, exist_ok=True)
    temp = {sub: folder / "temp" / sub for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    config = folder / "nginx.conf"
    config.write_text(
        # Workers as whoever runs the bench: started as root they would drop to nobody, who cannot read a temp dir.
        f"""user {pwd.getpwuid(os.geteuid()).pw_name};
worker_processes {GUNICORN_WORKERS};
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    types {{ text/html html; }}
    default_type text/html;
    charset utf-8;
    client_body_temp_path {temp['body']};
    proxy_temp_path {temp['proxy']};
    fastcgi_temp_path {temp['fastcgi']};
    uwsgi_temp_path {temp['uwsgi']};
    scgi_temp_path {temp['scgi']};
    server {{
        listen 127.0.0.1:{port} default_server;
        root {copies};
        location / {{ try_files $uri ${{uri}}index.html $uri/index.html =404; }}
    }}
}}
"""
    )
    command = [
        tool("nginx"), "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(config), "-g", "daemon off;",
    ]  # fmt: skip
    child = children.start("nginx", command, dict(os.environ))
    wait_until_answering(children, child, port)
    return port


# ---------------------------------------------------------------- measuring


def fetch(port, host, path, timeout=60):
    """(status, X-Cache, body) of one GET through loopback with the given Host; redirects are not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, response.getheader("X-Cache"), response.read()
    finally:
        connection.close()


def visit(port, urls):
    """One GET of every URL, 4 at a time (fills what each mode caches): (those not answering 200, median ms)."""

    def status(url):
        started = time.perf_counter()
        try:
            code = fetch(port, *url)[0]
        except OSError as error:
            code = str(error)
        return code, time.perf_counter() - started

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(status, urls))
    failed = [
        {"host": host, "path": path, "status": code} for (host, path), (code, _s) in zip(urls, answers) if code != 200
    ]
    return failed, round(percentile([seconds for _code, seconds in answers], 50) * 1000, 1)


LUA = """
local targets = {%s}
local requests = {}
local n = 0
init = function(args)
  for i, target in ipairs(targets) do
    requests[i] = wrk.format("GET", target[2], {Host = target[1]})
  end
end
request = function()
  n = n %% #requests + 1
  return requests[n]
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%s{"requests": %%d, "duration_us": %%d, "non_2xx": %%d, "connect": %%d, "read": %%d, "write": %%d, ' ..
    '"timeout": %%d, "p50_us": %%.1f, "p99_us": %%.1f, "mean_us": %%.1f, "max_us": %%.1f}\\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean, latency.max))
end
"""


def lua_script(urls, folder):
    for host, path in urls:
        if not re.fullmatch(r"[\w.\-/?=%]+", host + path):
            raise ValueError(f"not a plain URL for the wrk script: {host}{path}")
    items = ", ".join(f'{{"{host}", "{path}"}}' for host, path in urls)
    script = Path(folder) / f"wrk-{abs(hash(items))}.lua"
    script.write_text(LUA % (items, WRK_MARK))
    return script


def wrk(port, urls, connections, duration, folder):
    """wrk's figures for `duration` seconds at `connections`, going round the URLs."""
    script = lua_script(urls, folder)
    command = [
        tool("wrk"), f"-t{min(THREADS, connections)}", f"-c{connections}", f"-d{duration}s", "--latency",
        "--timeout", "30s", "-s", str(script), f"http://127.0.0.1:{port}/",
    ]  # fmt: skip
    finished = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=False)
    line = next((line for line in finished.stdout.splitlines() if line.startswith(WRK_MARK)), None)
    if line is None:
        raise RuntimeError(f"wrk printed no figures (exit {finished.returncode}): {finished.stderr or finished.stdout}")
    figures = json.loads(line[len(WRK_MARK) :])
    seconds = figures["duration_us"] / 1e6
    return {
        "requests": figures["requests"],
        "seconds": round(seconds, 2),
        "requests_per_s": round(figures["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(figures["p50_us"] / 1000, 2),
        "p99_ms": round(figures["p99_us"] / 1000, 2),
        "mean_ms": round(figures["mean_us"] / 1000, 2),
        "max_ms": round(figures["max_us"] / 1000, 2),
        "non_2xx": figures["non_2xx"],
        "socket_errors": {key: figures[key] for key in ("connect", "read", "write", "timeout")},
    }


def varnish_counters(workdir):
    """{counter: value} of MAIN.cache_hit, MAIN.cache_miss and MAIN.bans_added (varnishstat's JSON, 7.x or 6.x)."""
    finished = subprocess.run(
        [tool("varnishstat"), "-n", str(workdir), "-1", "-j"], capture_output=True, text=True, timeout=30, check=True
    )
    data = json.loads(finished.stdout)
    counters = data.get("counters", data)
    return {name: counters[name]["value"] for name in ("MAIN.cache_hit", "MAIN.cache_miss", "MAIN.bans_added")}


def measure(mode, page, port, urls, connections, duration, warm_up, folder, varnish_dir=None):
    """One row: a visit of every URL, a warm-up run, then the timed run (with Varnish's counters around it)."""
    row = {"mode": mode, "page": page, "connections": connections, "urls": len(urls), "error": None}
    failed, row["visit_p50_ms"] = visit(port, urls)
    if failed:
        row["error"] = f"{len(failed)} of {len(urls)} URLs did not answer 200, e.g. {failed[0]}"
        row["failed"] = failed[:10]
        return row
    if warm_up:
        wrk(port, urls, connections, warm_up, folder)
    before = varnish_counters(varnish_dir) if varnish_dir else None
    row.update(wrk(port, urls, connections, duration, folder))
    # Requests wrk left queued in a sync worker's backlog are still served after it stops: wait them out,
    # so that the next run does not pay for them.
    fetch(port, *urls[0], timeout=STOP_SECONDS * 30)
    if varnish_dir:
        after = varnish_counters(varnish_dir)
        hits = after["MAIN.cache_hit"] - before["MAIN.cache_hit"]
        misses = after["MAIN.cache_miss"] - before["MAIN.cache_miss"]
        row["cache_hits"], row["cache_misses"] = hits, misses
        row["hit_ratio"] = round(hits / (hits + misses), 4) if hits + misses else None
    if row["non_2xx"]:
        row["error"] = f"{row['non_2xx']} non-2xx responses of {row['requests']}"
    elif not row["requests"]:
        row["error"] = (
            f"no request completed within {duration} s at {connections} connections "
            f"(one took {row['visit_p50_ms']:,.0f} ms, 4 at a time)"
        )
    return row


def save_copies(port, urls, folder):
    """The first URL of each page kind as the live server answers it, saved under `folder` for nginx."""
    answer = {}
    for page, (host, path) in urls.items():
        status, _cache, body = fetch(port, host, path)
        if status != 200:
            raise RuntimeError(f"the {page} page {host}{path} answered {status}; nothing to copy")
        local = urlsplit(path).path
        target = Path(folder) / local.strip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        answer[page] = [(host, path)]
    return answer


def served(port, urls):
    """Each site's section page as served: it answers 200 and shows the site's newest article and document."""
    wanted = newest_titles()
    report = {"sections": 0, "showing_newest": 0, "problems": []}
    for host, path in urls["section"]:
        status, _cache, body = fetch(port, host, path)
        report["sections"] += 1
        text = body.decode("utf-8", "replace")
        shown = [title for title in wanted[host] if title and html.escape(title) in text]
        if status == 200 and len(shown) == len([title for title in wanted[host] if title]):
            report["showing_newest"] += 1
        else:
            missing = sorted(set(wanted[host]) - set(shown))
            report["problems"].append({"host": host, "status": status, "missing": missing})
    return report


def change_visible(varnish_port, host, section_path, varnish_dir, worker_log):
    """Publish an article here, then poll its section through Varnish: seconds until it shows, or None.

    The publish names the frontend cache, so its purge is queued for the worker as a server's would be.
    The probe page is deleted afterwards, so a kept database stays as loaded."""
    from django.db import transaction
    from django.test import override_settings
    from wagtail.models import Site

    from news57.models import ArticlePage, SectionPage

    site = Site.objects.get(hostname=host)
    section = SectionPage.objects.child_of(site.root_page).get()
    token = f"bench-probe-{time.time_ns()}"
    status, cached, body = fetch(varnish_port, host, section_path)
    answer = {"host": host, "path": section_path, "cached_before": cached, "seconds": None}
    bans = varnish_counters(varnish_dir)["MAIN.bans_added"]
    page = ArticlePage(title=f"Tin kiểm tra {token}", slug=token, lead="Kiểm tra bộ nhớ đệm.")
    try:
        with override_settings(NEWS57_FRONTEND_CACHE=[f"http://127.0.0.1:{varnish_port}"]), transaction.atomic():
            section.add_child(instance=page)
            page.save_revision().publish()
        started = time.monotonic()
        # To set beside the worker's log, when the change was slow to show.
        answer["committed_at"] = time.strftime("%Y-%m-%d %H:%M:%S%z")
        while time.monotonic() - started < VISIBLE_TIMEOUT_S:
            left = VISIBLE_TIMEOUT_S - (time.monotonic() - started)
            try:
                status, cached, body = fetch(varnish_port, host, section_path, timeout=max(left, 0.1))
            except TimeoutError:
                continue
            if token.encode() in body:
                answer["seconds"] = round(time.monotonic() - started, 3)
                answer["cached_after"] = cached
                break
            time.sleep(VISIBLE_POLL_S)
        else:
            answer["note"] = f"not visible within {VISIBLE_TIMEOUT_S} s"
        # What to look at when it did not show: whether Varnish got a ban, what the worker said of purges.
        answer["bans_added"] = varnish_counters(varnish_dir)["MAIN.bans_added"] - bans
        said = worker_log.read_text(errors="replace").splitlines()
        answer["worker_said"] = [line for line in said if re.search(r"Purged|purge\w*\[", line)][-6:]
    finally:
        if page.pk:
            page.delete()
    return answer


def flush_redis(url):
    import redis

    redis.Redis.from_url(url).flushdb()


def log_problems(logs):
    """Lines of the servers' and worker's logs that speak of an error, a few per log."""
    answer = {}
    for path in sorted(Path(logs).glob("*.log")):
        lines = [
            line for line in path.read_text(errors="replace").splitlines()
            if re.search(r"Traceback|ERROR|CRITICAL|\[error\]|Exception", line)
        ]  # fmt: skip
        if lines:
            answer[path.stem] = {"lines": len(lines), "first": lines[:5]}
    return answer


# ---------------------------------------------------------------- the run


def say(*words):
    # Progress on stderr: stdout holds the table alone.
    print(*words, file=sys.stderr, flush=True)


def run(folder, *, connections=DEFAULT_CONNECTIONS, duration=DEFAULT_DURATION, warm_up=DEFAULT_WARM_UP):
    """Every mode and page measured on the data in this process's database; returns the results (no JSON)."""
    folder = Path(folder)
    scratch = Path(tempfile.mkdtemp(prefix="run-", dir=folder))
    children = Children(scratch / "logs")
    urls = targets()
    rows = []
    results = {"rows": rows, "ports": {}}
    try:
        flush_redis(CACHE_URL)
        flush_redis(BROKER_URL)
        say("starting gunicorn with DummyCache, gunicorn with the Redis cache, a worker and Varnish")
        varnish_port, varnish_dir = free_port(), scratch / "varnish"
        frontend = f"http://127.0.0.1:{varnish_port}"
        dummy, dummy_port = start_gunicorn(children, "gunicorn-dummy", "dummy://")
        redis_server, port = start_gunicorn(children, "gunicorn-redis", CACHE_URL, frontend)
        worker = start_worker(children, frontend)
        varnish = start_varnish(children, varnish_port, port, varnish_dir)
        results["ports"] = {"gunicorn-dummy": dummy_port, "gunicorn-redis": port, "varnish": varnish_port}
        wait_until_answering(children, dummy, dummy_port)
        results["served"] = served(dummy_port, urls)
        for page in PAGES:
            say(f"dummy: {page}")
            rows.append(measure("dummy", page, dummy_port, urls[page], connections, duration, warm_up, scratch))
        say("dummy: section at 1 connection")
        rows.append(measure("dummy", "section", dummy_port, urls["section"], 1, duration, warm_up, scratch))
        children.stop(dummy)

        wait_until_answering(children, redis_server, port)
        for page in PAGES:
            say(f"fragment: {page}")
            rows.append(measure("fragment", page, port, urls[page], connections, duration, warm_up, scratch))
        copies = save_copies(port, {page: urls[page][0] for page in PAGES}, scratch / "copies")

        wait_until_answering(children, varnish, varnish_port)
        for page in PAGES:
            say(f"frontend: {page}")
            row = measure(
                "frontend", page, varnish_port, urls[page], connections, duration, warm_up, scratch, varnish_dir
            )
            rows.append(row)
        wait_for_worker(children, worker)
        say("frontend: publishing, then polling the section through Varnish")
        host, path = urls["section"][0]
        results["change_visible"] = change_visible(varnish_port, host, path, varnish_dir, children.logs / "worker.log")
        children.stop_all()

        say("nginx: the saved copies")
        port = start_nginx(children, scratch / "nginx", scratch / "copies")
        results["ports"]["nginx"] = port
        for page in PAGES:
            say(f"nginx: {page}")
            rows.append(measure("nginx", page, port, copies[page], connections, duration, warm_up, scratch))
    finally:
        children.stop_all()
        results["log_problems"] = log_problems(children.logs)
        shutil.rmtree(scratch, ignore_errors=True)
    add_ratios(rows, connections)
    results["targets"] = targets_met(rows, results["change_visible"], connections)
    return results


def add_ratios(rows, connections):
    ceiling = row_of(rows, "nginx", "section", connections)
    if ceiling and ceiling["error"]:
        ceiling = None
    for row in rows:
        if ceiling and not row["error"]:
            row["ratio_to_nginx"] = round(row["requests_per_s"] / ceiling["requests_per_s"], 4)
        else:
            row["ratio_to_nginx"] = None


def row_of(rows, mode, page, connections):
    return next(
        (row for row in rows if (row["mode"], row["page"], row["connections"]) == (mode, page, connections)), None
    )


def targets_met(rows, visible, connections):
    def target(name, row, key, compare, goal, unit):
        value = row.get(key) if row and not row["error"] else None
        met = None if value is None else compare(value, goal)
        return {"name": name, "goal": goal, "unit": unit, "value": value, "met": met}

    frontend_rows = [row for row in rows if row["mode"] == "frontend" and not row["error"]]
    hits = sum(row["cache_hits"] for row in frontend_rows)
    total = hits + sum(row["cache_misses"] for row in frontend_rows)
    overall = {"error": None, "hit_ratio": round(hits / total, 4) if total else None}
    answer = [
        target("section p50, DummyCache, 1 connection", row_of(rows, "dummy", "section", 1), "p50_ms",
               lambda v, g: v < g, TARGET_DUMMY_P50_MS, "ms, under"),
        target(f"section req/s, fragment cache, {connections} connections",
               row_of(rows, "fragment", "section", connections), "requests_per_s", lambda v, g: v >= g,
               TARGET_FRAGMENT_RPS, "req/s, at least"),
        target("section req/s through the frontend cache, share of nginx's",
               row_of(rows, "frontend", "section", connections), "ratio_to_nginx", lambda v, g: v >= g,
               TARGET_FRONTEND_SHARE, "of nginx, at least"),
        target("frontend cache hit ratio under load (all its runs)", overall, "hit_ratio", lambda v, g: v >= g,
               TARGET_HIT_RATIO, "at least"),
        target("a change visible through the frontend cache", {"error": None, **visible}, "seconds",
               lambda v, g: v <= g, TARGET_VISIBLE_S, "s, within"),
    ]  # fmt: skip
    if visible.get("note"):
        # Measured, and never seen within the poll's timeout: missed, not unmeasured.
        answer[-1]["met"] = False
    return answer


# ---------------------------------------------------------------- output


def format_table(results):
    p, m, d = results["parameters"], results["machine"], results["data"]
    header = ("mode", "page", "conns", "URLs", "req/s", "p50 ms", "p99 ms", "x nginx", "hit ratio", "note")
    table = [header]
    for row in results["rows"]:
        if row["error"]:
            table.append((row["mode"], row["page"], str(row["connections"]), str(row["urls"]), "-", "-", "-", "-", "-",
                          "ERROR: " + row["error"]))  # fmt: skip
            continue
        errors = sum(row["socket_errors"].values())
        table.append(
            (
                row["mode"], row["page"], str(row["connections"]), str(row["urls"]), f"{row['requests_per_s']:,.1f}",
                f"{row['p50_ms']:,.2f}", f"{row['p99_ms']:,.2f}",
                f"{row['ratio_to_nginx']:.3f}" if row["ratio_to_nginx"] is not None else "-",
                f"{row['hit_ratio']:.3f}" if row.get("hit_ratio") is not None else "",
                f"{errors} socket errors" if errors else "",
            )
        )  # fmt: skip
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    left = {0, 1, 9}
    lines = [
        f"news57 pages: {d['counts']['sites']} sites, {d['counts']['articles']:,} articles, "
        f"{d['counts']['documents']:,} documents; wrk {p['threads']} threads, {p['duration_s']} s a run after "
        f"{p['warm_up_s']} s warm-up; gunicorn {GUNICORN_WORKERS} sync workers; {m['database_vendor']}, "
        f"Python {m['python']}, {m['cpu_count']} CPUs; load average {'/'.join(map(str, m.get('load_average', [])))}; "
        f"code {p['code']}",
        "",
    ]
    for n, row in enumerate(table):
        cells = [cell.ljust(widths[i]) if i in left else cell.rjust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * width for width in widths))
    lines += ["", "targets (issue 16; reported, not asserted):"]
    for target in results["targets"]:
        value = "-" if target["value"] is None else f"{target['value']:,}"
        met = {True: "met", False: "NOT met", None: "not measured"}[target["met"]]
        lines.append(f"  {target['name']}: {value} (goal {target['unit']} {target['goal']}) — {met}")
    visible = results["change_visible"]
    if visible.get("note"):
        lines.append(f"  change visible: {visible['note']}")
    s = results["served"]
    lines += [
        "",
        f"served: {s['showing_newest']}/{s['sections']} section pages show their site's newest article and document",
        f"data: {'reused from ' + d['kept'] + ', ' if d['reused'] else ''}loaded in {d['timings']['total_s']:.1f} s — "
        + ", ".join(f"{key[:-2]} {seconds:.1f} s" for key, seconds in d["timings"].items() if key != "total_s"),
    ]  # fmt: skip
    for name, problem in results["log_problems"].items():
        lines.append(f"log {name}: {problem['lines']} error lines, first: {problem['first'][0][:200]}")
    return "\n".join(lines)


# ---------------------------------------------------------------- databases and main


def bench_postgres(url, keep):
    """Create (or, kept, reuse) the bench's own database beside the one DATABASE_URL names; returns (URL, drop)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(scheme="postgresql"))
    name = sql.Identifier(THROWAWAY_DATABASE)
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [THROWAWAY_DATABASE]).fetchone()
        if exists and not keep:
            raise SystemExit(
                f"Database {THROWAWAY_DATABASE} exists already: another run is using it, or one was killed or kept. "
                f"If none is running, drop it (dropdb -h {parts.hostname or '127.0.0.1'} "
                f"-U {parts.username or 'postgres'} {THROWAWAY_DATABASE}) or pass --keep DIR."
            )
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(name))

    def drop():
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))

    return urlunsplit(parts._replace(path=f"/{THROWAWAY_DATABASE}")), drop


def marker_says_loaded(marker, wanted):
    if not marker.exists():
        return None
    recorded = json.loads(marker.read_text(encoding="utf-8"))
    return recorded if recorded.get("wanted") == wanted else None


def prepare_data(folder, wanted, kept):
    """The data: reused when --keep's folder says it holds what is wanted, else loaded (and recorded there)."""
    marker = folder / "loaded.json"
    recorded = marker_says_loaded(marker, wanted) if kept else None
    if recorded and counts() == recorded["counts"]:
        return {"reused": True, "kept": str(folder), "timings": recorded["timings"], "counts": recorded["counts"]}
    if counts()["sites"]:
        raise SystemExit(f"{folder} holds another bench's data; remove it (or choose another --keep folder)")
    say(f"loading {wanted['sites']} sites, {wanted['articles']:,} articles, {wanted['documents']:,} documents")
    timings = load(wanted["sites"], wanted["articles"], wanted["documents"])
    found = counts()
    if kept:
        marker.write_text(json.dumps({"wanted": wanted, "timings": timings, "counts": found}, indent=2) + "\n")
    return {"reused": False, "kept": str(folder) if kept else None, "timings": timings, "counts": found}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites", type=int, default=DEFAULT_SITES)
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES)
    parser.add_argument("--documents", type=int, default=DEFAULT_DOCUMENTS)
    parser.add_argument("--duration", type=int, default=DEFAULT_DURATION, help="seconds of each timed wrk run")
    parser.add_argument("--warm-up", type=int, default=DEFAULT_WARM_UP, help="seconds of wrk before each timed run")
    parser.add_argument("--connections", type=int, default=DEFAULT_CONNECTIONS)
    parser.add_argument("--keep", metavar="DIR", help="keep the data (and reuse it when it matches) in DIR")
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT), help="where the JSON goes")
    args = parser.parse_args(argv)
    if min(args.sites, args.articles, args.documents, args.duration, args.connections) < 1 or args.warm_up < 0:
        parser.error("--sites, --articles, --documents, --duration and --connections must be at least 1")
    missing = missing_tools()
    if missing:
        raise SystemExit("bench/pages.py needs: " + "; ".join(missing))
    # A SIGTERM or SIGHUP unwinds like Ctrl-C, so every child is stopped on the way out.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda signum, frame: sys.exit(128 + signum))

    folder = Path(args.keep).resolve() if args.keep else Path(tempfile.mkdtemp(prefix="news57-bench-pages-"))
    folder.mkdir(parents=True, exist_ok=True)
    drop, url = None, os.environ.get("DATABASE_URL", "")
    # Set before Django starts: this process publishes the probe article, its purge goes through the same
    # cache version keys, broker and queue as the servers'.
    os.environ.update(
        {"NEWS57_VAR_DIR": str(folder), "MEDIA_ROOT": str(folder / "media"), "CACHE_URL": CACHE_URL,
         "CELERY_BROKER_URL": BROKER_URL, "NEWS57_CELERY_QUEUE": QUEUE, "DEBUG": "0",
         # Known only once Varnish has a port: the probe's publish names it then (change_visible).
         "NEWS57_FRONTEND_CACHE": ""}
    )  # fmt: skip
    try:
        if url.startswith(("postgres://", "postgresql://")):
            os.environ["DATABASE_URL"], drop = bench_postgres(url, keep=bool(args.keep))
        elif url:
            raise SystemExit("DATABASE_URL: the bench runs on its own SQLite file or PostgreSQL database only")
        else:
            os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        setup_django()
        results = measure_and_report(args, folder)
        print(format_table(results))
        if args.output:
            print(f"\nJSON: {write_json(results, args.output)}")
    finally:
        from django.db import connections

        connections.close_all()
        if drop and not args.keep:
            drop()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


def measure_and_report(args, folder):
    from django.db import connection

    wanted = {"sites": args.sites, "articles": args.articles, "documents": args.documents}
    # Wagtail's site roots cached by a run on another database would name sites this one lacks.
    flush_redis(CACHE_URL)
    data = prepare_data(folder, wanted, kept=bool(args.keep))
    results = run(folder, connections=args.connections, duration=args.duration, warm_up=args.warm_up)
    try:
        gunicorn_version = version("gunicorn")
    except PackageNotFoundError:
        gunicorn_version = None
    results.update(
        {
            "machine": machine_info(
                connection, gunicorn=gunicorn_version, varnish=varnish_version(), nginx=nginx_version()
            ),
            "parameters": {
                **wanted, "duration_s": args.duration, "warm_up_s": args.warm_up, "connections": args.connections,
                "threads": THREADS, "gunicorn_workers": GUNICORN_WORKERS, "urls_per_page": URLS_PER_PAGE,
                "search_query": SEARCH_QUERY, "code": code_version(),
                "database": connection.settings_dict["NAME"] if connection.vendor != "sqlite" else "sqlite file",
            },
            "data": data,
        }
    )  # fmt: skip
    return results


def code_version():
    """The commit measured, "-dirty" when the working tree differs from it: pages change while benches run."""
    finished = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return finished.stdout.strip() or None


def varnish_version():
    finished = subprocess.run([tool("varnishd"), "-V"], capture_output=True, text=True, check=False)
    return (finished.stderr or finished.stdout).split("\n")[0].strip()


def nginx_version():
    finished = subprocess.run([tool("nginx"), "-v"], capture_output=True, text=True, check=False)
    return (finished.stderr or finished.stdout).strip()


if __name__ == "__main__":
    main()
