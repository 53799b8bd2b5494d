from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils.cache import patch_cache_control

from .site_lookup import site_for_request
from .text import nfc


def _normalized(querydict):
    normalized = QueryDict(mutable=True, encoding=querydict.encoding)
    for key, values in querydict.lists():
        normalized.setlist(nfc(key), [nfc(value) for value in values])
    normalized._mutable = False
    return normalized


class NormalizeUnicodeMiddleware:
    """Every submitted form value and query reaches the views in NFC.

    Text pasted from Word or typed on a Mac arrives decomposed (NFD); doing it
    here covers the admin's forms, StreamField JSON and search queries alike.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = _normalized(request.GET)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request.POST = _normalized(request.POST)
        return self.get_response(request)


# A reader's page may be this old in a browser, which no purge reaches: a published change shows within
# a minute there. The frontend cache, which changes purge, keeps it longer (NEWS57_SHARED_MAX_AGE);
# a filtered or paginated list, whose URLs are too many to follow, no longer than a browser.
PUBLIC_MAX_AGE = 60
# The views whose answers are public: Wagtail's pages, and the sitemap and robots.txt beside them.
PUBLIC_URL_NAMES = {"wagtail_serve", "news57_sitemap", "news57_robots"}


class PublicCacheMiddleware:
    """Public pages say a cache may keep them; a signed-in person's never.

    Only Wagtail's page serving, the sitemap and robots.txt are public here (the admin, the health
    check, the favicon and media decide for themselves). A request with a session cookie, or a response
    that sets a cookie or says otherwise, is left private.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = request.resolver_match
        if match is None or match.url_name not in PUBLIC_URL_NAMES or request.method not in ("GET", "HEAD"):
            return response
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            patch_cache_control(response, private=True)
        elif response.status_code == 200 and not response.cookies and not response.has_header("Cache-Control"):
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE, s_maxage=self.shared_max_age(request))
        return response

    @staticmethod
    def shared_max_age(request):
        if not settings.NEWS57_FRONTEND_CACHE or request.GET:
            return PUBLIC_MAX_AGE
        return settings.NEWS57_SHARED_MAX_AGE


class CachedSiteMiddleware:
    """The site answering each request, from Django's cache rather than two queries (news57.site_lookup).

    Wagtail's Site.find_for_request reads what this leaves on the request. The admin is left
    to find it as Wagtail does, if a screen asks: its script catalogue and autocompletes never do.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        if self.admin_prefix is None:
            # With the script prefix, as request.path has it.
            self.admin_prefix = reverse("wagtailadmin_home")
        if not hasattr(request, "_wagtail_site") and not request.path.startswith(self.admin_prefix):
            request._wagtail_site = site_for_request(request)
        return self.get_response(request)
