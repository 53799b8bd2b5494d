"""What a site tells search engines: its sitemap, robots.txt, and favicon.ico.

Each site's sitemap lists exactly the live, public items whose canonical address is on that site
(news57.models.canonical): its home, section and listings, its articles, infographics and videos
(not aliases, whose original is the canonical page), and the documents it carries for which it is
the canonical site, or for which no authoritative site carries them. Built on
wagtail.contrib.sitemaps, so every address is the one the page's head names as canonical.
"""

from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Site

from ..models import Publication, PublicationStatus, SectionPage
from ..models.canonical import canonical_sites
from ..models.pages import descendants_of

FAVICON = "news57/favicon.ico"
FAVICON_MAX_AGE = 7 * 24 * 3600


class PageSitemap(Sitemap):
    """The site's live public pages, aliases left out."""

    def items(self):
        return super().items().filter(alias_of__isnull=True)


class DocumentSitemap(Sitemap):
    """The site's live documents whose canonical page is the site's own."""

    def items(self):
        site = self.get_wagtail_site()
        section = SectionPage.objects.live().public().filter(descendants_of(site.root_page)).first()
        if section is None:
            return []
        publications = list(
            Publication.objects.filter(site=site, status=PublicationStatus.PUBLISHED)
            .select_related("document")
            .only("published_at", "document", "document__slug", "document__issuer_id", "document__updated_at")
            .order_by("document__slug")
        )
        elsewhere = canonical_sites([publication.document for publication in publications])
        base = section.get_full_url(self.request)
        route = section.reverse_subpage("document", kwargs={"slug": "-"})[: -len("-/")]
        return [
            {
                "location": f"{base}{route}{publication.document.slug}/",
                "lastmod": max(filter(None, [publication.published_at, publication.document.updated_at])),
            }
            for publication in publications
            if elsewhere.get(publication.document_id, site.pk) == site.pk
        ]

    def _urls(self, page, protocol, domain):
        # Wagtail's asks each page for its URLs through a queryset's iterator(); these are made already.
        urls = list(self.paginator.page(page).object_list)
        if urls:
            self.latest_lastmod = max(url["lastmod"] for url in urls)
        return urls


SITEMAPS = {"pages": PageSitemap, "documents": DocumentSitemap}


@require_safe
def sitemap(request):
    if Site.find_for_request(request) is None:
        raise Http404
    return wagtail_sitemap(request, SITEMAPS)


@require_safe
def robots_txt(request):
    """Everything public may be read but the admin and the searches; the sitemap is named."""
    site = Site.find_for_request(request)
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /django-admin/"]
    section = SectionPage.objects.live().filter(descendants_of(site.root_page)).first() if site else None
    if section is not None:
        lines.append("Disallow: " + section.get_url(request) + section.reverse_subpage("search"))
    if site is not None:
        lines.append("Sitemap: " + site.root_url + reverse("news57_sitemap"))
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request):
    found = finders.find(FAVICON)
    if not found:
        raise Http404
    response = FileResponse(open(found, "rb"), content_type="image/vnd.microsoft.icon")
    patch_cache_control(response, public=True, max_age=FAVICON_MAX_AGE)
    return response
