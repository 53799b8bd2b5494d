"""What a public page says about itself in its head: the canonical link, Open Graph and Twitter card
tags for previews on Zalo and Facebook, and schema.org JSON-LD (the item, and the breadcrumb trail).

Every address is absolute and built from the Wagtail site that serves it (Page.get_full_url), as
the sitemap builds them, so a preview, a search engine and the sitemap agree on one URL per item.
"""

import base64
import json
from urllib.parse import urlencode

from django import template
from django.templatetags.static import static
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.models import Site

from .. import vietnam_time
from ..models import ArticlePage, HomePage, InfographicPage, SectionPage, VideoPage
from ..models.canonical import canonical_sites
from ..models.documents import LegalStatus
from ..models.facets import ISSUER, TOPIC, TYPE, YEAR
from ..models.pages import SHARE_FILTER, descendants_of

register = template.Library()

# The platform's picture for a page with none of its own, on a site whose home names none (1200×630).
DEFAULT_SHARE_IMAGE = "news57/share-default.png"
SHARE_SIZE = (1200, 630)
DESCRIPTION_WORDS = 40
# Query parameters that make a listing another list (its filters, its page); anything else is left out of
# its canonical address.
LISTING_PARAMETERS = (TYPE, ISSUER, TOPIC, YEAR, "trang")
SEARCH_PARAMETERS = ("q", "muc", "trang")
# schema.org's LegalForceStatus for each legal status of a directive document.
LEGAL_FORCE = {
    LegalStatus.IN_FORCE: "https://schema.org/InForce",
    LegalStatus.AMENDED: "https://schema.org/PartiallyInForce",
    LegalStatus.REPLACED: "https://schema.org/NotInForce",
    LegalStatus.REPEALED: "https://schema.org/NotInForce",
}
FACEBOOK_SHARE = "https://www.facebook.com/sharer/sharer.php"
# The address Zalo's own share button opens, with the shared URL as base64 JSON: a plain link, so no
# script of Zalo's is loaded.
ZALO_SHARE = "https://button-share.zalo.me/share_external"
KIND_LABELS = {
    "articles": lambda: pgettext("public site", "News"),
    "infographics": lambda: pgettext("public site", "Infographics"),
    "videos": lambda: pgettext("public site", "Videos"),
    "search": lambda: pgettext("public site", "Search"),
    "documents": lambda: _("Directive documents"),
}


def _words(text, count=DESCRIPTION_WORDS):
    words = " ".join((text or "").split()).split(" ")
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


def _moment(value):
    return vietnam_time.local(value).isoformat(timespec="seconds") if value else None


class Described:
    """The facts about one served page that its head tags are made from."""

    def __init__(self, context):
        self.request = context.get("request")
        self.site = context.get("current_site")
        self.page = context.get("page")
        self.kind = context.get("kind") or ""
        self.document = context.get("document")
        self.publication = context.get("publication")
        self.topic = context.get("topic")
        self.root_url = self.site.root_url if self.site is not None else self.request.build_absolute_uri("/")[:-1]

    # ------------------------------------------------------------------ addresses

    def absolute(self, url):
        return url if "://" in url else self.root_url + url

    def page_url(self, page):
        return page.get_full_url(self.request)

    def section_route(self, name, **kwargs):
        return self.page_url(self.page) + self.page.reverse_subpage(name, kwargs=kwargs)

    def with_query(self, url, names):
        query = self.request.GET.copy()
        kept = [(name, query.get(name, "").strip()) for name in names]
        kept = [(name, value) for name, value in kept if value and not (name == "trang" and value == "1")]
        return url + "?" + urlencode(kept) if kept else url

    @cached_property
    def canonical(self):
        """The page's one address; a document's costs queries, so it is worked out once."""
        page = self.page
        if isinstance(page, SectionPage) and self.kind == "document" and self.document is not None:
            return self.document_canonical()
        if isinstance(page, SectionPage) and self.kind == "topic" and self.topic is not None:
            return self.section_route("topic", slug=self.topic.slug)
        if isinstance(page, SectionPage) and self.kind == "search":
            return self.with_query(self.section_route("search"), SEARCH_PARAMETERS)
        if isinstance(page, SectionPage) and self.kind in ("articles", "infographics", "videos", "documents"):
            return self.with_query(self.section_route(self.kind), LISTING_PARAMETERS)
        if getattr(page, "alias_of_id", None):
            # An alias shows its original's content: the original is the one address.
            return page.alias_of.specific.get_full_url(self.request)
        return self.page_url(page)

    def item_url(self, absolute=True):
        """The item's address on this site (an article's page, or the document's page in this section)."""
        return self._on_this_site("document", "", absolute)

    def print_url(self):
        """Where the item's print view is, as a link within this site."""
        return self._on_this_site("document_print", "print", absolute=False)

    def _on_this_site(self, document_route, item_route, absolute):
        base = self.page_url(self.page) if absolute else self.page.get_url(self.request)
        if isinstance(self.page, SectionPage) and self.document is not None:
            return base + self.page.reverse_subpage(document_route, kwargs={"slug": self.document.slug})
        return base + (self.page.reverse_subpage(item_route) if item_route else "")

    def document_canonical(self):
        site_id = canonical_sites([self.document]).get(self.document.pk)
        here = self.section_route("document", slug=self.document.slug)
        if site_id is None or self.site is None or site_id == self.site.pk:
            return here
        root = Site.objects.select_related("root_page").get(pk=site_id).root_page
        section = SectionPage.objects.live().filter(descendants_of(root)).first()
        if section is None:
            return here
        return section.get_full_url(self.request) + section.reverse_subpage("document", kwargs={"slug": self.document.slug})

    # ------------------------------------------------------------------ words and pictures

    def kind_label(self):
        """What the page's breadcrumb and title call a section's list, search or topic; None for the others."""
        if self.kind == "topic" and self.topic is not None:
            return _("Topic: %(name)s") % {"name": self.topic.name}
        label = KIND_LABELS.get(self.kind)
        return label() if label is not None else None

    def title(self):
        if self.document is not None:
            return self.document.title
        label = self.kind_label()
        if label is not None and isinstance(self.page, SectionPage):
            return f"{label} – {self.page.title}"
        return self.page.seo_title or self.page.title

    def description(self):
        if self.document is not None:
            return _words(self.document.summary or self.document.title)
        page = self.page
        text = page.search_description or getattr(page, "lead", "") or _plain(getattr(page, "intro", ""))
        return _words(text or (self.site.site_name if self.site else ""))

    def own_image(self):
        """The page's own picture and its alternative text, or (None, "")."""
        page = self.page
        if isinstance(page, ArticlePage) and page.hero_image_id:
            return page.hero_image, page.hero_caption or page.title
        if isinstance(page, VideoPage) and page.poster_id:
            return page.poster, page.title
        if isinstance(page, InfographicPage) and self.infographic_images:
            first = self.infographic_images[0]
            return first.image, first.alt_text
        return None, ""

    @cached_property
    def infographic_images(self):
        # Read once for the preview and the structured data (a related manager queries on every all()).
        return list(self.page.images.all()) if isinstance(self.page, InfographicPage) else []

    def image(self):
        """(absolute URL, width, height, alternative text) of the 1200×630 picture a preview shows."""
        image, alt = self.own_image()
        if image is None:
            image, alt = self.home_image(), self.site.site_name if self.site else ""
        if image is None:
            return self.absolute(static(DEFAULT_SHARE_IMAGE)), *SHARE_SIZE, alt
        rendition = image.get_rendition(SHARE_FILTER)
        return self.absolute(rendition.url), rendition.width, rendition.height, alt

    def home_image(self):
        """The picture the site's home page names for pages of the site that have none."""
        if self.site is None:
            return None
        home = self.page if isinstance(self.page, HomePage) else None
        ancestor = self.page
        # Routing left each page its parent: the home is found without a query.
        while home is None and getattr(ancestor, "_cached_parent_obj", None) is not None:
            ancestor = ancestor._cached_parent_obj
            home = ancestor if isinstance(ancestor, HomePage) else None
        if home is None:
            home = HomePage.objects.filter(pk=self.site.root_page_id).only("share_image").first()
        if home is None or not home.share_image_id:
            return None
        return home.share_image

    # ------------------------------------------------------------------ structured data

    def breadcrumbs(self):
        """[(name, URL)] as the page's breadcrumb trail shows them."""
        home_url = self.root_url + "/"
        trail = [(pgettext("public site", "Home"), home_url)]
        page = self.page
        if isinstance(page, HomePage):
            return trail
        if isinstance(page, SectionPage) and (self.kind in ("documents", "document")):
            trail.append((page.title, self.page_url(page)))
            trail.append((_("Directive documents"), self.section_route("documents")))
            if self.document is not None:
                trail.append((self.document.code or self.document.title, self.canonical))
            return trail
        root = self.site.root_page if self.site is not None else None
        for crumb in page.ancestors_below(root) if root is not None else []:
            trail.append((crumb.title, self.page_url(crumb)))
        listing = {ArticlePage: "articles", InfographicPage: "infographics", VideoPage: "videos"}.get(type(page))
        if listing:
            section = page.get_parent().specific
            trail.append((KIND_LABELS[listing](), self.page_url(section) + section.reverse_subpage(listing)))
        trail.append((page.title, self.page_url(page)))
        if isinstance(page, SectionPage) and self.kind_label() is not None:
            trail.append((self.kind_label(), self.canonical))
        return trail

    def publisher(self):
        # The site's name is its agency's (Agency.save keeps it so), read with the site: no query for the agency.
        return {
            "@type": "GovernmentOrganization",
            "name": self.site.site_name if self.site is not None else "",
            "url": self.root_url + "/",
            "logo": {"@type": "ImageObject", "url": self.absolute(static("news57/share-logo.png"))},
        }

    def item(self, url, image_url):
        page = self.page
        if self.document is not None:
            return self.legislation(url)
        common = {
            "url": url,
            "mainEntityOfPage": url,
            "inLanguage": "vi",
            "description": self.description(),
            "datePublished": _moment(getattr(page, "date", None) or page.first_published_at),
            "dateModified": _moment(page.last_published_at),
            "publisher": self.publisher(),
        }
        if isinstance(page, ArticlePage):
            author = {"@type": "Person", "name": page.author} if page.author else self.publisher()
            return {"@type": "NewsArticle", "headline": page.title[:110], "image": [image_url], "author": author, **common}
        if isinstance(page, VideoPage):
            video = {"@type": "VideoObject", "name": page.title, "thumbnailUrl": [image_url], "uploadDate": common["datePublished"]}
            if page.video_file_id:
                video["contentUrl"] = self.absolute(page.video_file.file.url)
            if page.embed_url:
                video["embedUrl"] = page.embed_url
            if page.transcript:
                video["transcript"] = page.transcript
            return {**video, **common}
        if isinstance(page, InfographicPage):
            picture = {"@type": "ImageObject", "name": page.title, "contentUrl": image_url, "creditText": self.publisher()["name"]}
            if self.infographic_images:
                first = self.infographic_images[0]
                picture.update(contentUrl=self.absolute(first.image.file.url), caption=first.caption or first.alt_text, thumbnailUrl=image_url)
            return {**picture, "author": self.publisher(), "copyrightNotice": self.publisher()["name"], **common}
        kind = "SearchResultsPage" if self.kind == "search" else "CollectionPage" if isinstance(page, SectionPage) else "WebPage"
        return {"@type": kind, "name": self.title(), **common}

    def legislation(self, url):
        document = self.document
        data = {
            "@type": "Legislation",
            "name": document.title,
            "url": url,
            "mainEntityOfPage": url,
            "inLanguage": "vi",
            "legislationIdentifier": document.code or document.slug,
            "legislationPassedBy": {"@type": "GovernmentOrganization", "name": document.issuer.name},
            "legislationLegalForce": LEGAL_FORCE.get(document.legal_status, LEGAL_FORCE[LegalStatus.IN_FORCE]),
            "legislationJurisdiction": "VN",
            "publisher": self.publisher(),
        }
        if document.issued_on:
            data["legislationDate"] = document.issued_on.isoformat()
        if document.effective_on:
            data["legislationDateVersion"] = document.effective_on.isoformat()
        if document.doc_type:
            data["legislationType"] = str(document.type_label)
        if document.summary:
            data["abstract"] = document.summary
        if self.publication is not None and self.publication.published_at:
            data["datePublished"] = _moment(self.publication.published_at)
        return data

    def json_ld(self, url, image_url):
        crumbs = {
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": n, "name": name, "item": address}
                for n, (name, address) in enumerate(self.breadcrumbs(), start=1)
            ],
        }
        return [{"@context": "https://schema.org", **self.item(url, image_url)}, {"@context": "https://schema.org", **crumbs}]


def _plain(html):
    return strip_tags(str(html or ""))


def _script(data):
    # As json_script escapes: no "</script>" or "<!--" can end the element early.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def described_page(context):
    """The served page's Described, made once a request: the head tags and the share links read one
    canonical address (a document's costs queries)."""
    request = context["request"]
    key = (context.get("page"), context.get("kind"), context.get("document"))
    found = getattr(request, "_news57_described", None)
    if found is None or found[0] != key:
        found = (key, Described(context))
        request._news57_described = found
    return found[1]


@register.simple_tag(takes_context=True)
def head_tags(context):
    """The canonical link, the preview tags and the JSON-LD of the page being served."""
    if context.get("page") is None or context.get("request") is None:
        return ""
    described = described_page(context)
    url = described.canonical
    title, description = described.title(), described.description()
    image_url, width, height, alt = described.image()
    is_item = described.document is not None or isinstance(described.page, (ArticlePage, InfographicPage, VideoPage))
    site_name = described.site.site_name if described.site is not None else ""
    properties = [
        ("og:type", "article" if is_item else "website"),
        ("og:site_name", site_name),
        ("og:locale", "vi_VN"),
        ("og:title", title),
        ("og:description", description),
        ("og:url", url),
        ("og:image", image_url),
        ("og:image:width", str(width)),
        ("og:image:height", str(height)),
        ("og:image:alt", alt),
    ]
    names = [
        ("twitter:card", "summary_large_image"),
        ("twitter:title", title),
        ("twitter:description", description),
        ("twitter:image", image_url),
        ("twitter:image:alt", alt),
    ]
    parts = [format_html('<link rel="canonical" href="{}">', url)]
    if described.kind == "search" or context.get("print_view"):
        # A search's results, and an item's print view, are not pages of their own to list.
        parts.append(format_html('<meta name="robots" content="{}">', "noindex, follow"))
    parts.append(format_html_join("\n  ", '<meta property="{}" content="{}">', [p for p in properties if p[1]]))
    parts.append(format_html_join("\n  ", '<meta name="{}" content="{}">', [n for n in names if n[1]]))
    parts.extend(_script(data) for data in described.json_ld(url, image_url))
    return mark_safe("\n  ".join(str(part) for part in parts))


@register.inclusion_tag("news57/includes/share.html", takes_context=True)
def share_links(context):
    """Links that share the item's canonical address on Zalo and Facebook or copy it, and its print view."""
    described = described_page(context)
    url = described.canonical
    zalo = base64.b64encode(json.dumps({"url": url}).encode()).decode()
    return {
        "url": url,
        "facebook": FACEBOOK_SHARE + "?" + urlencode({"u": url}),
        "zalo": ZALO_SHARE + "?" + urlencode({"layout": 1, "color": "blue", "customize": "false", "d": zalo, "shareType": 0}),
        "print_url": described.print_url(),
    }


@register.simple_tag(takes_context=True)
def item_address(context, absolute=True):
    """The address of the item a print view shows, on the site that serves it (absolute, as printed on paper)."""
    return described_page(context).item_url(absolute=absolute)
