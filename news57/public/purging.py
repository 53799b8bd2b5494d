"""Which cached URLs a change shows on, and the PURGE requests that drop them from the frontend cache.

The frontend cache (deploy/varnish/news57.vcl) bans every object whose host and path match
the regular expression a PURGE carries, query strings included (filtered and paginated lists).
Sites whose patterns are alike share one expression, so purging a document fanned out to
5,000 sites takes ceil(5,000 / HOSTS_PER_PURGE) requests, not one per URL.

What a change shows on, per site (X is the section's path):
- an article, infographic or video: the home page, X and everything one level under it
  (the listings, and the item pages whose related items may list it, with their print views), the news feeds,
  the topic pages, the search and the sitemap;
- a document's publication: X, the document list and its feeds, the document's page and its print view,
  the pages of the documents that link to it (amended by it, replaced by it, citing it),
  the topic pages, the search and the sitemap;
- a site renamed, or a page of it made private or public again: every page of the site.
"""

import json
import re
import urllib.error
import urllib.request
from collections import defaultdict

from django.conf import settings
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from wagtail.models import Site

from ..models import DirectiveDocument, SectionPage
from ..models.pages import PRINT_PATH

# About 30 characters a host: a purge's header stays near 3 KB, well inside Varnish's 8 KB limit.
HOSTS_PER_PURGE = 100
TIMEOUT_SECONDS = 5
EVERYTHING = "."


def _routes():
    section = SectionPage()
    return {name: section.reverse_subpage(name) for name in (
        "articles", "documents", "documents_rss", "documents_atom", "news_rss", "news_atom", "search",
    )}


def _topics_pattern(section_path):
    # Every topic page of the section: each lists the newest items and documents of its topic.
    topic = SectionPage().reverse_subpage("topic", kwargs={"slug": "-"})
    return re.escape(section_path + topic[: -len("-/")]) + "[^/]+/"


def _page_patterns(section_path, routes):
    feeds = "|".join(re.escape(routes[name]) for name in ("news_rss", "news_atom"))
    item = "[^/]+/" + f"({re.escape(PRINT_PATH)})?"
    return ["/", re.escape(section_path) + f"({item})?", re.escape(section_path) + f"({feeds})", _topics_pattern(section_path)]


def _document_patterns(section_path, routes, slugs):
    documents = re.escape(section_path + routes["documents"])
    feeds = "|".join(re.escape(routes[name][len(routes["documents"]):]) for name in ("documents_rss", "documents_atom"))
    pages = "|".join(re.escape(slug) + "/" for slug in sorted(slugs))
    pages = f"({pages})({re.escape(PRINT_PATH)})?" if pages else ""
    return [re.escape(section_path), documents + f"({feeds}|{pages})?", _topics_pattern(section_path)]


def linked_slugs(document_ids):
    """Each document's slug with those of the documents whose pages link to it: {document id: {slugs}}."""
    documents = list(DirectiveDocument.objects.filter(pk__in=document_ids).only("pk", "slug", "code_key"))
    linked = {document.pk: {document.slug} for document in documents}
    for document in documents:
        pointing = Q(amended_by=document) | Q(replaced_by=document)
        if document.code_key:
            # cited_codes is a JSON list of code keys, read here as text: SQLite keeps "Đ" escaped, PostgreSQL not.
            for ascii_only in (True, False):
                pointing |= Q(cited_text__contains=json.dumps(document.code_key, ensure_ascii=ascii_only))
        others = DirectiveDocument.objects.annotate(cited_text=Cast("cited_codes", TextField()))
        linked[document.pk] |= set(others.filter(pointing).exclude(pk=document.pk).values_list("slug", flat=True))
    return linked


def _sections(sites):
    """{site id: the path of its section under the site's root}, for the sites that have one."""
    roots = {site.pk: site.root_page for site in sites}
    depths = {root.depth + 1 for root in roots.values()}
    by_path = {}
    for path, url_path in SectionPage.objects.filter(depth__in=depths).values_list("path", "url_path"):
        by_path[path[: -SectionPage.steplen]] = url_path
    answer = {}
    for site_id, root in roots.items():
        url_path = by_path.get(root.path)
        if url_path is not None:
            answer[site_id] = url_path[len(root.url_path) - 1 :]
    return answer


def _host(site):
    # The default site also answers hosts it does not name: any host, for its paths.
    return "[^/]+" if site.is_default_site else re.escape(site.hostname)


def expressions(*, sites=(), pages=(), publications=(), whole_sites=(), everything=False):
    """The regular expressions, over host and path, that cover every cached URL showing these changes."""
    if everything:
        return [EVERYTHING]
    page_sites = {site_id for site_id, _page in pages}
    documents_by_site = defaultdict(set)
    for site_id, document_id in publications:
        documents_by_site[site_id].add(document_id)
    whole_sites = set(whole_sites)
    concerned = Site.objects.filter(pk__in=set(sites) | page_sites | set(documents_by_site) | whole_sites)
    concerned = concerned.select_related("root_page")
    concerned = list(concerned)
    sections = _sections(concerned)
    slugs = linked_slugs({d for ids in documents_by_site.values() for d in ids})
    routes = _routes()
    hosts_by_patterns = defaultdict(list)
    for site in concerned:
        if site.pk in whole_sites:
            hosts_by_patterns["/.*"].append(_host(site))
            continue
        patterns = ["/sitemap\\.xml"]
        section_path = sections.get(site.pk)
        if section_path is not None:
            patterns.append(re.escape(section_path + routes["search"]))
            if site.pk in page_sites or site.pk in sites:
                patterns += _page_patterns(section_path, routes)
            if documents_by_site.get(site.pk):
                wanted = set().union(*(slugs.get(d, set()) for d in documents_by_site[site.pk]))
                patterns += _document_patterns(section_path, routes, wanted)
        elif site.pk in page_sites or site.pk in sites:
            patterns.append("/")
        hosts_by_patterns["|".join(sorted(set(patterns)))].append(_host(site))
    answer = []
    for patterns, hosts in sorted(hosts_by_patterns.items()):
        hosts = sorted(set(hosts))
        for start in range(0, len(hosts), HOSTS_PER_PURGE):
            chunk = "|".join(hosts[start : start + HOSTS_PER_PURGE])
            answer.append(f"^({chunk})(:[0-9]+)?({patterns})(\\?.*)?$")
    return answer


def frontend_caches():
    return [url.rstrip("/") for url in settings.NEWS57_FRONTEND_CACHE if url]


def send(expressions_):
    """One PURGE per expression to each frontend cache; raises OSError when one does not answer 200."""
    for base in frontend_caches():
        for expression in expressions_:
            request = urllib.request.Request(base + "/", method="PURGE", headers={"X-Purge-Regex": expression})
            try:
                with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            if status != 200:
                raise OSError(f"{base} answered {status} to a purge of {expression[:200]}")
    return len(expressions_) * len(frontend_caches())
