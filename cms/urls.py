from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from news57.admin import choosers, guards, media_listings, reports
from news57.public import health, media, sitemaps

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("sitemap.xml", sitemaps.sitemap, name="news57_sitemap"),
    path("robots.txt", sitemaps.robots_txt, name="news57_robots"),
    path("favicon.ico", sitemaps.favicon, name="news57_favicon"),
    # The page chooser, guarded so no agency browses another's pages (see news57/admin/choosers.py).
    path("admin/", include(choosers.chooser_urlpatterns)),
    # Wagtail views that check no permission of their own, guarded (see news57/admin/guards.py).
    path("admin/", include(guards.guarded_urlpatterns)),
    # Image and document listings and the image chooser, offering only the user's own tags.
    path("admin/", include(media_listings.media_urlpatterns)),
    # The admin's reports, each narrowed to the user's own agencies (see news57/admin/reports.py).
    path("admin/", include(reports.report_urlpatterns)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.NEWS57_SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^%s(?P<path>.+)$" % settings.MEDIA_URL.lstrip("/"), media.serve_media, name="media"),
    ]

urlpatterns += [
    path("", include(wagtail_urls)),
]

handler404 = "news57.public.errors.page_not_found"
handler500 = "news57.public.errors.server_error"
