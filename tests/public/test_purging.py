"""A change purges exactly the cached URLs that show it, in few requests however many sites carry it."""

import re
from datetime import date

import pytest
from wagtail.models import Site

from news57.models import ArticlePage, DirectiveDocument
from news57.public.purging import HOSTS_PER_PURGE, expressions, send

pytestmark = pytest.mark.django_db

SECTION = "/nghi-quyet-57/"


def covered(found, url):
    return any(re.search(expression, url) for expression in found)


def article(platform, slug="langson"):
    page = ArticlePage(title="Tin chuyển đổi số", lead="Tóm tắt")
    platform[slug].section.add_child(instance=page)
    return page


def documents(platform):
    issuer = platform["langson"].agency
    shown = DirectiveDocument.objects.create(code="211/QĐ-UBND", title="Quyết định số 211/QĐ-UBND", issuer=issuer)
    citing = DirectiveDocument.objects.create(
        code="15/KH-UBND", title="Kế hoạch số 15/KH-UBND thực hiện Quyết định số 211/QĐ-UBND", issuer=issuer,
        issued_on=date(2025, 9, 1),
    )
    DirectiveDocument.objects.create(
        code="7/QĐ-UBND", title="Quyết định số 7/QĐ-UBND (đã được thay thế)", issuer=issuer, replaced_by=shown
    )
    other = DirectiveDocument.objects.create(code="99/QĐ-UBND", title="Quyết định số 99/QĐ-UBND", issuer=issuer)
    return shown, citing, other


def test_an_article_purges_its_page_the_section_listings_feeds_home_search_and_sitemap(platform):
    page, site = article(platform), platform["langson"].site
    found = expressions(pages=[(site.pk, page.pk)])
    host = "langson.localhost"
    for path in [
        "/", SECTION, f"{SECTION}{page.slug}/", f"{SECTION}{page.slug}/ban-in/", f"{SECTION}tin-tuc/", f"{SECTION}tin-tuc/?trang=3", f"{SECTION}infographic/",
        f"{SECTION}tin-tuc/rss/", f"{SECTION}tin-tuc/atom/", f"{SECTION}tim-kiem/?q=chuyen+doi+so", "/sitemap.xml",
    ]:
        assert covered(found, host + path), path
        assert covered(found, f"{host}:6081{path}"), path
    for url in [
        f"{host}{SECTION}van-ban/211-kh-ubnd/",  # a document's page does not show articles
        f"hoangvanthu.localhost{SECTION}",  # another site
        f"xlangson.localhost{SECTION}", f"langson.localhost.example{SECTION}",
    ]:
        assert not covered(found, url), url


def test_a_publication_purges_the_documents_page_those_linking_to_it_and_the_lists(platform):
    shown, citing, other = documents(platform)
    site = platform["hoangvanthu"].site
    found = expressions(publications=[(site.pk, shown.pk)])
    host = "hoangvanthu.localhost"
    for path in [
        SECTION, f"{SECTION}van-ban/", f"{SECTION}van-ban/?loai=ke-hoach&trang=2", f"{SECTION}van-ban/rss/",
        f"{SECTION}van-ban/{shown.slug}/", f"{SECTION}van-ban/{shown.slug}/ban-in/", f"{SECTION}van-ban/{citing.slug}/",
        f"{SECTION}tim-kiem/?q=211", "/sitemap.xml",
        f"{SECTION}van-ban/{DirectiveDocument.objects.get(code='7/QĐ-UBND').slug}/",
    ]:
        assert covered(found, host + path), path
    for path in [f"{SECTION}van-ban/{other.slug}/", f"{SECTION}van-ban/{other.slug}/ban-in/", f"{SECTION}tin-tuc/", "/"]:
        assert not covered(found, host + path), path
    assert not covered(found, f"langson.localhost{SECTION}van-ban/{shown.slug}/")


def test_a_fan_out_to_500_sites_is_purged_in_a_handful_of_requests(platform):
    shown, _citing, _other = documents(platform)
    home = platform["langson"].site.root_page
    # 500 sites on one home page: the purge needs only their hosts and their section's path.
    Site.objects.bulk_create(
        [Site(hostname=f"xa-{number:03}.langson.localhost", port=80, root_page=home) for number in range(500)]
    )
    sites = Site.objects.filter(hostname__startswith="xa-")
    found = expressions(publications=[(site.pk, shown.pk) for site in sites])
    assert len(found) == 500 // HOSTS_PER_PURGE
    # Each fits in one request header (Varnish's limit is 8 KB).
    assert max(len(expression) for expression in found) < 6000
    for number in (0, 250, 499):
        assert covered(found, f"xa-{number:03}.langson.localhost{SECTION}van-ban/{shown.slug}/")
    assert not covered(found, f"langson.localhost{SECTION}van-ban/{shown.slug}/")


def test_the_default_site_is_purged_under_whatever_host_reached_it(platform):
    site = Site.objects.get(is_default_site=True)
    page = ArticlePage(title="Tin ở cổng mặc định", lead="Tóm tắt")
    site.root_page.get_children().first().add_child(instance=page)
    found = expressions(pages=[(site.pk, page.pk)])
    assert covered(found, f"127.0.0.1:8000{page.relative_url(site)}")


def test_a_whole_site_is_purged_at_every_path_and_no_other_site(platform):
    found = expressions(whole_sites=[platform["langson"].site.pk], pages=[(platform["hoangvanthu"].site.pk, 1)])
    for path in ["/", f"{SECTION}van-ban/211-kh-ubnd/", f"{SECTION}tin-tuc/?trang=2", "/sitemap.xml"]:
        assert covered(found, "langson.localhost" + path), path
    assert not covered(found, f"thanhtra-langson.localhost{SECTION}van-ban/211-kh-ubnd/")
    assert not covered(found, f"hoangvanthu.localhost{SECTION}van-ban/211-kh-ubnd/")


def test_a_rename_seen_everywhere_purges_everything():
    assert expressions(everything=True) == ["."]


def test_each_expression_is_sent_as_one_purge_to_each_frontend_cache(httpserver, settings):
    settings.NEWS57_FRONTEND_CACHE = [httpserver.url_for("/"), httpserver.url_for("/").rstrip("/")]
    for expression in ("^(a\\.localhost)(/)$", "^(b\\.localhost)(/)$"):
        httpserver.expect_request("/", method="PURGE", headers={"X-Purge-Regex": expression}).respond_with_data("Purged")
    assert send(["^(a\\.localhost)(/)$", "^(b\\.localhost)(/)$"]) == 4
    assert len(httpserver.log) == 4


def test_a_cache_that_refuses_a_purge_is_an_error_the_worker_retries(httpserver, settings):
    settings.NEWS57_FRONTEND_CACHE = [httpserver.url_for("/")]
    httpserver.expect_request("/", method="PURGE").respond_with_data("Forbidden", status=403)
    with pytest.raises(OSError, match="answered 403"):
        send(["."])


def test_a_cache_that_is_down_is_an_error_the_worker_retries(settings):
    settings.NEWS57_FRONTEND_CACHE = ["http://127.0.0.1:9"]
    with pytest.raises(OSError):
        send(["."])
