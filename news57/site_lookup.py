"""The site that answers a request, kept in Django's cache with its home page ready to route.

Wagtail finds it anew for every request: a query for the site and its root page, a second
for the root as its own page type. Both are a third of a cached section page's time.
Here they are one cache read. Only a site found by its own host name is kept (never the
default site that answers an unknown host), and news57.signals forgets it whenever the
site or its home page changes.
"""

import logging

from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.http.request import split_domain_port
from wagtail.models import Site

logger = logging.getLogger(__name__)

KEY = "news57:site-for-host:{}"
# A change forgets it at once; this bounds what a change made behind the signals' back could leave.
SECONDS = 3600


def site_for_request(request):
    """The Site answering the request (as Site.find_for_request); when kept, its root_page is the specific page."""
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
    site = Site._find_for_request(request)
    if site is None:
        return None
    if _may_keep(site, hostname):
        # Kept ready to route; a site not kept is routed as Wagtail routes it, which asks for this itself.
        site.root_page = site.root_page.specific
        cache.set(key, site, SECONDS)
    return site


def _may_keep(site, hostname):
    if isinstance(caches["default"], DummyCache) or site.hostname != hostname:
        return False
    # Another site on the same host name but another port would make the port matter: not kept then.
    return not Site.objects.filter(hostname=hostname).exclude(pk=site.pk).exists()


def forget(hostnames):
    """Drop what is kept for these host names."""
    cache.delete_many([KEY.format(hostname) for hostname in set(hostnames) if hostname])


def forget_sites_of(root_page_ids):
    """Drop what is kept for the sites whose home is one of these pages."""
    forget(Site.objects.filter(root_page_id__in=list(root_page_ids)).values_list("hostname", flat=True))
