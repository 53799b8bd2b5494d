"""Each site's sitemap lists exactly the live items whose canonical address is on that site; robots.txt
names it and favicon.ico answers.

The demo's authority: the central portal (trunguong) is authoritative for the Politburo, the Government
and the Prime Minister; Lạng Sơn's People's Committee for itself, the agencies below it and the provincial
Party Committee. A document's canonical page is on its authoritative site when that site carries it live.
"""

from datetime import date, datetime, timedelta, timezone
from xml.etree import ElementTree

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from news57.models import ArticlePage, DirectiveDocument, Publication, PublicationStatus
from news57.republishing.actions import republish, withdraw

pytestmark = pytest.mark.django_db

T0 = datetime(2025, 9, 1, 2, 0, tzinfo=timezone.utc)
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
LISTING_ENDINGS = ("/tin-tuc/", "/infographic/", "/video/", "/van-ban/")
HOSTS = {"trunguong": "trunguong.localhost", "langson": "langson.localhost", "hoangvanthu": "hoangvanthu.localhost"}


def document(platform, issuer, code, *sites, **fields):
    made = DirectiveDocument.objects.create(
        code=code, title=f"Văn bản {code}", issuer=platform[issuer].agency, issued_on=date(2025, 8, 1), **fields
    )
    for n, slug in enumerate(sites):
        republish(made, platform[slug].site, None, at=T0 + timedelta(hours=n))
    return made


def article(setup, title, *, live=True):
    page = ArticlePage(title=title, lead="Tóm tắt", date=T0, live=live)
    setup.section.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    return page


@pytest.fixture(scope="module")
def made(module_platform, django_db_blocker):
    with django_db_blocker.unblock():
        platform = module_platform.fresh()
        langson, commune = platform["langson"], platform["hoangvanthu"]
        docs = {
            # The Politburo's: canonical on the central portal, which carries it.
            "resolution": document(platform, "bo-chinh-tri", "57-NQ/TW", "trunguong", "langson", "hoangvanthu"),
            # The Prime Minister's, not carried by the central portal: each site's page is its own.
            "decision": document(platform, "thu-tuong", "1169/QĐ-TTg", "langson", "hoangvanthu"),
            # The province's: canonical on Lạng Sơn's site.
            "plan": document(platform, "langson", "211/KH-UBND", "langson", "hoangvanthu"),
            # The commune's own, carried by the province too: canonical on the commune's site.
            "commune_plan": document(platform, "hoangvanthu", "12/KH-UBND", "hoangvanthu", "langson"),
            # The inspectorate has a site but does not carry this one: Lạng Sơn's page is its own.
            "inspection": document(platform, "thanhtra-langson", "262/KH-TTr", "langson"),
            # The provincial Party Committee has no site; Lạng Sơn is named authoritative for it.
            "party": document(platform, "tinhuy-langson", "150-CTr/TU", "langson", "hoangvanthu"),
        }
        withdrawn = document(platform, "langson", "618/KH-UBND", "langson")
        withdraw(Publication.objects.get(document=withdrawn, site=langson.site), None, "Ban hành nhầm.")
        queued = DirectiveDocument.objects.create(code="71/KH-UBND", title="Chờ", issuer=langson.agency)
        Publication.objects.create(document=queued, site=langson.site, status=PublicationStatus.QUEUED)
        news = article(langson, "Tin chuyển đổi số")
        article(langson, "Bản nháp", live=False)
        private = article(langson, "Tin nội bộ")
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
        alias = news.create_alias(parent=commune.section, update_slug="tin-chuyen-doi-so-lang-son")
        yield platform, docs, news, alias


def locations(host):
    response = Client().get("/sitemap.xml", HTTP_HOST=host)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert not response.cookies
    root = ElementTree.fromstring(response.content)
    entries = root.findall("s:url", NS)
    # Every item says when it last changed; the listings, which change with every item, do not.
    items = [entry for entry in entries if not entry.find("s:loc", NS).text.endswith(LISTING_ENDINGS)]
    assert items and all(entry.find("s:lastmod", NS) is not None for entry in items)
    return {entry.find("s:loc", NS).text for entry in entries}


def site_pages(host):
    base = f"http://{host}/nghi-quyet-57/"
    listings = {base + path for path in ("tin-tuc/", "infographic/", "video/", "van-ban/")}
    return {f"http://{host}/", base} | listings


def document_url(host, doc):
    return f"http://{host}/nghi-quyet-57/van-ban/{doc.slug}/"


def test_the_central_portal_lists_the_politburos_resolution(made):
    platform, docs, news, alias = made
    host = HOSTS["trunguong"]
    assert locations(host) == site_pages(host) | {document_url(host, docs["resolution"])}


def test_the_province_lists_what_it_is_canonical_for_and_the_documents_no_authority_carries(made):
    platform, docs, news, alias = made
    host = HOSTS["langson"]
    expected = {document_url(host, docs[name]) for name in ("decision", "plan", "inspection", "party")}
    # Not the resolution (the central portal's), the commune's plan (the commune's), the withdrawn or queued
    # ones; not the draft or the private article.
    assert locations(host) == site_pages(host) | expected | {f"http://{host}/nghi-quyet-57/tin-chuyen-doi-so/"}


def test_the_commune_lists_its_own_plan_and_not_the_alias_of_the_provinces_article(made):
    platform, docs, news, alias = made
    host = HOSTS["hoangvanthu"]
    expected = {document_url(host, docs[name]) for name in ("decision", "commune_plan")}
    assert locations(host) == site_pages(host) | expected


def test_a_document_page_names_the_same_canonical_address_the_sitemaps_list(made):
    platform, docs, news, alias = made
    for host in HOSTS.values():
        listed = locations(host)
        for doc in docs.values():
            response = Client().get(f"/nghi-quyet-57/van-ban/{doc.slug}/", HTTP_HOST=host)
            if response.status_code == 404:
                continue
            canonical = canonical_of(response)
            assert (canonical == document_url(host, doc)) == (canonical in listed), (host, doc.code, canonical)
    resolution = Client().get(f"/nghi-quyet-57/van-ban/{docs['resolution'].slug}/", HTTP_HOST=HOSTS["langson"])
    assert canonical_of(resolution) == document_url(HOSTS["trunguong"], docs["resolution"])


def test_an_alias_names_its_original_as_canonical(made):
    platform, docs, news, alias = made
    response = Client().get("/nghi-quyet-57/tin-chuyen-doi-so-lang-son/", HTTP_HOST=HOSTS["hoangvanthu"])
    assert response.status_code == 200
    assert canonical_of(response) == "http://langson.localhost/nghi-quyet-57/tin-chuyen-doi-so/"


def canonical_of(response):
    import re

    found = re.findall(r'<link rel="canonical" href="([^"]+)">', response.content.decode())
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("host", HOSTS.values())
def test_robots_txt_names_the_sites_sitemap_and_keeps_crawlers_out_of_the_admin(made, host):
    response = Client().get("/robots.txt", HTTP_HOST=host)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert f"Sitemap: http://{host}/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /nghi-quyet-57/tim-kiem/" in lines
    assert not response.cookies


def test_favicon_ico_answers_with_an_icon_a_browser_may_keep(made):
    response = Client().get("/favicon.ico", HTTP_HOST=HOSTS["langson"])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"
    assert "max-age=604800" in response["Cache-Control"]

