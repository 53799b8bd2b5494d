"""The site that answers a request, kept in Django's cache with its home page ready to route.

Wagtail finds it anew for every request: a query for the site and its root page, a second
for the root as its own page type, and, for the first link drawn, a third for every site's
root path. Here it is one cache read; when the cache misses, one query of plain values gives
the site and (when they are not kept either) every site's root path, and a second reads the
home as its own page type. Only a site found by its own host name is kept (never the
default site that answers an unknown host), and news57.signals forgets it whenever the
site or its home changes.
"""

import logging
from types import SimpleNamespace

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.db.models import Q
from django.http.request import split_domain_port
from wagtail.models import Page, Site
from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY, SITE_ROOT_PATHS_CACHE_VERSION, SiteRootPath

logger = logging.getLogger(__name__)

KEY = "news57:site-for-host:{}"
# A change forgets it at once; this bounds what a change made behind the signals' back could leave.
SECONDS = 3600
# Wagtail's site root paths, as long as Wagtail keeps them: it deletes their key whenever a site changes.
ROOT_PATHS_SECONDS = 3600

# What a site and its root path are made of, read as plain values: no Page is built per site.
SITE_VALUES = (
    "pk",
    "hostname",
    "port",
    "site_name",
    "root_page_id",
    "is_default_site",
    "root_page__url_path",
    "root_page__locale__language_code",
    "root_page__content_type_id",
)


def site_for_request(request):
    """The Site answering the request (as Site.find_for_request), its root_page the specific page."""
    hostname = split_domain_port(request._get_raw_host())[0]
    key = KEY.format(hostname)
    try:
        site = cache.get(key)
    except Exception:
        # A cache that is down must not take every request (the health check too) with it.
        logger.warning("The cache did not answer; the site for %s is read from the database", hostname, exc_info=True)
        return Site._find_for_request(request)
    if site is not None:
        return site
    wants_roots = not getattr(settings, "WAGTAIL_I18N_ENABLED", False) and root_paths_kept() is None
    # Every site when the root paths are wanted too; otherwise only those that may answer this host.
    rows = read_sites(hostname=None if wants_roots else hostname)
    if wants_roots:
        request._wagtail_cached_site_root_paths = keep_root_paths(rows)
    row = best_match(rows, hostname, _port(request))
    if row is None:
        return None
    site = site_from(row)
    if _may_keep(site, hostname, rows):
        cache.set(key, site, SECONDS)
    return site


def _port(request):
    # A string in the request, a number in the row; a port that is no number matches no site's.
    try:
        return int(request.get_port())
    except ValueError:
        return None


def read_sites(hostname=None):
    """Sites as SITE_VALUES rows in the order of Wagtail's root paths; with a host name, only those that may
    answer it (that host's, and the default)."""
    sites = Site.objects.order_by("-root_page__url_path", "-is_default_site", "hostname")
    if hostname is not None:
        sites = sites.filter(Q(hostname=hostname) | Q(is_default_site=True))
    return [dict(zip(SITE_VALUES, row)) for row in sites.values_list(*SITE_VALUES)]


def best_match(rows, hostname, port):
    """The row Wagtail's get_site_for_hostname would answer with, or None: the host name and port, then
    the host name on the default site, then the default site unless exactly one other site has the host."""
    candidates = [row for row in rows if row["hostname"] == hostname or row["is_default_site"]]

    def rank(row):
        if row["hostname"] == hostname:
            return 0 if row["port"] == port else 1 if row["is_default_site"] else 3
        return 2

    # Host names and ports are unique together and there is one default: no two rows share rank 0, 1 or 2.
    candidates.sort(key=rank)
    if not candidates:
        return None
    best = rank(candidates[0])
    if len(candidates) == 1 or best in (0, 1):
        return candidates[0]
    if best == 2:
        # The default site, unless exactly one other site has this host name.
        return candidates[len(candidates) == 2]
    return None


def site_from(row):
    """A Site of the row, its root_page read as its own page type in one query."""
    site = Site(
        pk=row["pk"],
        hostname=row["hostname"],
        port=row["port"],
        site_name=row["site_name"],
        root_page_id=row["root_page_id"],
        is_default_site=row["is_default_site"],
    )
    site._state.adding, site._state.db = False, Site.objects.db
    model = ContentType.objects.get_for_id(row["root_page__content_type_id"]).model_class() or Page
    site.root_page = model.objects.get(pk=row["root_page_id"])
    return site


def root_paths_kept():
    return cache.get(SITE_ROOT_PATHS_CACHE_KEY, version=SITE_ROOT_PATHS_CACHE_VERSION)


def keep_root_paths(rows):
    """The list Site.get_site_root_paths() makes, from every site's row, kept under Wagtail's own key."""
    # Wagtail's Site.root_url of each row, without building a Site for it.
    root_url = Site.root_url.fget
    found = [
        SiteRootPath(
            row["pk"],
            row["root_page__url_path"],
            root_url(SimpleNamespace(hostname=row["hostname"], port=row["port"])),
            row["root_page__locale__language_code"],
        )
        for row in rows
    ]
    cache.set(SITE_ROOT_PATHS_CACHE_KEY, found, ROOT_PATHS_SECONDS, version=SITE_ROOT_PATHS_CACHE_VERSION)
    return found


def _may_keep(site, hostname, rows):
    if isinstance(caches["default"], DummyCache) or site.hostname != hostname:
        return False
    # Another site on the same host name but another port would make the port matter: not kept then.
    return not any(row["hostname"] == hostname and row["pk"] != site.pk for row in rows)


def forget(hostnames):
    """Drop what is kept for these host names."""
    cache.delete_many([KEY.format(hostname) for hostname in set(hostnames) if hostname])


def forget_sites_of(root_page_ids):
    """Drop what is kept for the sites whose home is one of these pages."""
    forget(Site.objects.filter(root_page_id__in=list(root_page_ids)).values_list("hostname", flat=True))
