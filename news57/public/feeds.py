"""RSS 2.0 and Atom 1.0 feeds of a section: this site's live directive documents, and its news.

RSS 2.0 is what the state IT standards require; Atom is there for readers
that prefer it. Both carry Dublin Core so the next level's importer reads the
document code, the issuing agency and the issue date without guessing.

A feed takes its listing's filters (news57.models.facets), so each filtered list has a feed:
`van-ban/rss/?loai=KH&nam=2025`, `tin-tuc/rss/?muc=video&chu-de=chuyen-doi-so`. A value no item
holds leaves the feed empty rather than whole.
"""

import hashlib
import re
from urllib.parse import urljoin

from django.db.models import Max, Prefetch
from django.http import HttpResponse, HttpResponseNotAllowed
from django.utils import feedgenerator
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.models import PageLogEntry, Site
from wagtail.rich_text import expand_db_html

from ..document_codes import own_and_cited
from ..models import ArticlePage, DocumentAttachment, InfographicPage, Publication, PublicationStatus, VideoPage
from ..models.facets import KIND, KIND_VALUES, document_facets, item_facets, narrowed, raw_choices, with_year
from ..vietnam_time import local

DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"
FEED_SIZE = 50
MAX_AGE = 60
# XML 1.0 forbids these; one in a title would make the whole feed unreadable.
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value):
    return _CONTROL_CHARACTERS.sub("", str(value)) if value is not None else None


class DublinCoreMixin:
    """dc:identifier, dc:creator and dc:date per item, declared once on the root element."""

    def add_dublin_core(self, handler, item):
        for name in ("identifier", "creator", "date"):
            if item.get(f"dc_{name}"):
                handler.addQuickElement(f"dc:{name}", item[f"dc_{name}"])

    def latest_post_date(self):
        # An empty feed would say "now", changing its bytes (and ETag) on every request.
        if not self.items and self.feed.get("empty_updated"):
            return self.feed["empty_updated"]
        return super().latest_post_date()


class RssFeed(DublinCoreMixin, feedgenerator.Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DC_NAMESPACE}

    def add_item_elements(self, handler, item):
        # Django would write the author as a second, locally declared dc:creator.
        super().add_item_elements(handler, {**item, "author_name": None})
        self.add_dublin_core(handler, item)


class AtomFeed(DublinCoreMixin, feedgenerator.Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:dc": DC_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        self.add_dublin_core(handler, item)


FORMATS = {"rss": RssFeed, "atom": AtomFeed}


class Where:
    """The site that answered and the section's address on it, for building absolute URLs."""

    def __init__(self, section, request):
        self.section, self.request = section, request
        # Never the default site: a feed lists what the site that answered carries.
        self.site = Site.find_for_request(request) or section.get_site()
        _site_id, self.root, self.section_path = section.get_url_parts(request)

    def absolute(self, url):
        return urljoin(self.root.rstrip("/") + "/", url)

    def route(self, name, **kwargs):
        return self.absolute(self.section_path + self.section.reverse_subpage(name, kwargs=kwargs or None))

    def page(self, page):
        _site_id, root, path = page.get_url_parts(self.request)
        return urljoin(root.rstrip("/") + "/", path)

    def enclosure(self, file, size=None):
        length = size if size is not None else file.file_size
        if length is None:
            # Wagtail records the size only for uploads through its form; the storage knows it without a write.
            try:
                length = file.file.size
            except (OSError, ValueError):
                length = 0  # RSS wants a length; 0 is the convention when it is unknown.
        return feedgenerator.Enclosure(self.absolute(file.url), str(length), file.content_type)


def item_title(document):
    """The title as the next level's importer needs it: naming the document's own code first."""
    own, _cited = own_and_cited(document.title)
    if not document.code_key or (own is not None and own.key == document.code_key):
        return document.title
    return f"{document.code} – {document.title}"


def first_file(document):
    """The attachment offered as the enclosure: the signed original first, then the editor's order."""
    attachments = sorted(document.attachments.all(), key=lambda a: (not a.is_signed, a.sort_order or 0, a.pk))
    return attachments[0] if attachments else None


def document_items(where):
    """The newest live publications of the site that answered, and the time the list last changed."""
    facets = document_facets()
    live = Publication.objects.filter(site=where.site, status=PublicationStatus.PUBLISHED)
    publications = list(
        narrowed(live, facets, raw_choices(where.request.GET, facets))
        .select_related("document", "document__issuer")
        .prefetch_related(
            Prefetch("document__attachments", queryset=DocumentAttachment.objects.select_related("file"))
        )
        .order_by("-published_at", "-pk")[:FEED_SIZE]
    )
    items = []
    for publication in publications:
        document = publication.document
        link = where.route("document", slug=document.slug)
        if document.body:
            description = expand_db_html(document.body)
        else:
            description = f"<p>{escape(document.summary)}</p>" if document.summary else None
        attachment = first_file(document)
        items.append(
            {
                "title": xml_text(item_title(document)),
                "link": link,
                "description": xml_text(description),
                "unique_id": link,
                "unique_id_is_permalink": True,
                "pubdate": local(publication.published_at),
                "updateddate": local(publication.published_at),
                "author_name": xml_text(document.issuer.name),
                "categories": [document.type_label] if document.doc_type else [],
                "enclosures": [where.enclosure(attachment.file, attachment.size)] if attachment else [],
                "dc_identifier": xml_text(document.code),
                "dc_creator": xml_text(document.issuer.name),
                "dc_date": document.issued_on.isoformat() if document.issued_on else None,
            }
        )
    # A withdrawal removes an item without adding a newer one; its time must still move Last-Modified.
    withdrawn = Publication.objects.filter(
        site=where.site, status=PublicationStatus.WITHDRAWN, published_at__isnull=False
    ).aggregate(latest=Max("decided_at"))["latest"]
    changed = [p.published_at for p in publications] + [p.document.updated_at for p in publications]
    return items, max(filter(None, [*changed, withdrawn]), default=None)


def news_items(where):
    """The section's newest live, public articles, infographics and videos, and when that last changed."""
    kinds = {
        ArticlePage: pgettext("public site", "News"),
        InfographicPage: pgettext("public site", "Infographics"),
        VideoPage: pgettext("public site", "Videos"),
    }
    models = {KIND_VALUES["articles"]: ArticlePage, KIND_VALUES["infographics"]: InfographicPage, KIND_VALUES["videos"]: VideoPage}
    only = models.get(where.request.GET.get(KIND, ""))
    facets = item_facets()
    chosen = raw_choices(where.request.GET, facets)
    pages = []
    for model in [only] if only else kinds:
        queryset = narrowed(with_year(where.section.items_of(model)), facets, chosen)
        if model is VideoPage:
            queryset = queryset.select_related("video_file")
        pages += list(queryset[:FEED_SIZE])
    pages = sorted(pages, key=lambda page: (page.date, page.pk), reverse=True)[:FEED_SIZE]
    items = []
    for page in pages:
        link = where.page(page)
        author = xml_text(getattr(page, "author", "")) or None
        video = getattr(page, "video_file", None)
        items.append(
            {
                "title": xml_text(page.title),
                "link": link,
                "description": xml_text(f"<p>{escape(page.lead)}</p>") if page.lead else None,
                "unique_id": link,
                "unique_id_is_permalink": True,
                "pubdate": local(page.date),
                "updateddate": local(page.last_published_at or page.date),
                "author_name": author,
                "categories": [kinds[type(page)]],
                "enclosures": [where.enclosure(video)] if video else [],
                "dc_creator": author,
            }
        )
    # Unpublishing or restricting a page leaves a log entry, not a newer item.
    logged = PageLogEntry.objects.filter(page__in=where.section.get_children()).aggregate(latest=Max("timestamp"))[
        "latest"
    ]
    changed = [page.last_published_at for page in pages]
    return items, max(filter(None, [*changed, logged]), default=None)


def channel(where, kind, fmt):
    """Title, links and description of one feed, in Vietnamese, named after the section and its site."""
    section = where.section
    agency = getattr(where.site, "agency", None)
    site_name = agency.name if agency else where.site.site_name or section.title
    names = {"section": section.title, "site": site_name}
    if kind == "documents":
        title = _("Directive documents – %(section)s – %(site)s") % names
        description = _("Directive documents on Resolution 57 published by %(site)s, newest first.") % names
        list_name = "documents"
    else:
        title = _("News – %(section)s – %(site)s") % names
        description = _("News, infographics and videos on Resolution 57 from %(site)s, newest first.") % names
        list_name = "articles"
    feed_url = where.route(f"{kind}_{fmt}")
    return {
        "title": xml_text(title),
        "link": where.route(list_name),
        "description": xml_text(description),
        "language": "vi",
        "feed_url": feed_url,
        "feed_guid": feed_url,
        "author_name": xml_text(site_name),
        "empty_updated": local(section.last_published_at or section.first_published_at),
    }


def serve_feed(section, request, kind, fmt):
    """One feed (kind "documents" or "news", fmt "rss" or "atom"); an unchanged one costs a reader a bodiless 304."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    where = Where(section, request)
    items, last_modified = (document_items if kind == "documents" else news_items)(where)
    feed = FORMATS[fmt](**channel(where, kind, fmt))
    for item in items:
        feed.add_item(**item)
    body = feed.writeString("utf-8").encode("utf-8")
    response = HttpResponse(body, content_type=feed.content_type)
    # A hash of the bytes themselves: a strong validator by construction.
    response["ETag"] = '"%s"' % hashlib.sha256(body).hexdigest()[:40]
    if last_modified:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    patch_cache_control(response, max_age=MAX_AGE)
    return get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=int(last_modified.timestamp()) if last_modified else None,
        response=response,
    )
