"""What readers see changed: the per-site content version, and the signal that purges the frontend cache.

Every write that changes a public page says so here — a page published, unpublished,
moved or deleted; a publication created or changed; a document's text edited; a topic
or an agency renamed — and, once the transaction commits:

- the content version of each site concerned is bumped, so the fragments cached under
  the old version are never read again (news57/templatetags/news57_public.py reads it);
- `content_changed` is sent with what changed, so the public layer can purge exactly the
  URLs that show it (news57/public/purging.py), from a Celery task.

One call per write batch: a fan-out to 5,000 sites is one bump of 5,000 keys and one signal.
"""

import time

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal

# Sent after commit with sites (ids), pages ((site id, page id) pairs), publications
# ((site id, document id) pairs), whole_sites (ids of sites any page of which may show it)
# and everything (True when a change may show on any page of any site).
content_changed = Signal()

EVERY_SITE_KEY = "news57:content:all"
SITE_KEY = "news57:content:site:{}"


def _fresh():
    # Time-based, so a key evicted and made again never repeats a value that named older fragments.
    return time.time_ns()


def version(site_id):
    """The site's content version: part of every cached fragment's key."""
    keys = [EVERY_SITE_KEY, SITE_KEY.format(site_id)]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, _fresh())
            found[key] = cache.get(key, 0)
    return f"{found[keys[0]]}.{found[keys[1]]}"


def request_version(request, site_id):
    """version(site_id), read once a request: the page's fragments and its routing ask for it alike."""
    if request is None:
        return version(site_id)
    known = request.__dict__.setdefault("_news57_content_versions", {})
    if site_id not in known:
        known[site_id] = version(site_id)
    return known[site_id]


def _bump(keys):
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:
            # Not there (evicted, or never read): a new value above any it held.
            cache.set(key, _fresh(), timeout=None)


def changed(*, sites=(), pages=(), publications=(), documents=(), whole_sites=(), everything=False):
    """Records a change to public content; the bump and the signal follow the commit (at once outside one).

    documents: ids of documents whose text or links changed; each site carrying one
    (live, or withdrawn with a notice) is concerned.
    whole_sites: ids of sites every page of which may show the change (a site renamed, a page
    of it made private).
    """
    sites, pages, publications, documents = set(sites), set(pages), set(publications), set(documents)
    whole_sites = set(whole_sites)
    if not (sites or pages or publications or documents or whole_sites or everything):
        return
    transaction.on_commit(
        lambda: _commit(sites, pages, publications, documents, whole_sites, everything), robust=True
    )


def _commit(sites, pages, publications, documents, whole_sites, everything):
    if documents:
        Publication = apps.get_model("news57", "Publication")
        # Live, or once live (a withdrawn one's page tells what happened): each shows the document.
        shown = Q(status="published") | Q(published_at__isnull=False)
        carried = Publication.objects.filter(shown, document_id__in=documents)
        publications |= set(carried.values_list("site_id", "document_id"))
    sites |= {site_id for site_id, _page in pages} | {site_id for site_id, _document in publications} | whole_sites
    sites.discard(None)
    whole_sites.discard(None)
    _bump([EVERY_SITE_KEY] if everything else [SITE_KEY.format(site_id) for site_id in sites])
    content_changed.send(
        sender=None, sites=sorted(sites), pages=sorted(pages), publications=sorted(publications),
        whole_sites=sorted(whole_sites), everything=everything,
    )  # fmt: skip
