"""Every public page says in its head what a preview on Zalo or Facebook and a search engine need: one canonical
address, Open Graph and Twitter card tags with a 1200×630 picture, and schema.org JSON-LD for the item and its
breadcrumb trail (the same trail the reader sees)."""

import json
from datetime import date, datetime, timezone
from types import SimpleNamespace
from urllib.parse import urljoin

import pytest
from django.test import Client, override_settings
from wagtail.rich_text import RichText

from items import picture, publish
from markup import parse, text_of
from news57.models import (
    ArticlePage,
    DirectiveDocument,
    InfographicImage,
    InfographicPage,
    LegalStatus,
    Publication,
    PublicationStatus,
    VideoPage,
)

pytestmark = pytest.mark.django_db

LANGSON, COMMUNE = "langson.localhost", "hoangvanthu.localhost"
T0 = datetime(2025, 9, 1, 2, 0, tzinfo=timezone.utc)
ITEM_TYPES = {"article": "NewsArticle", "infographic": "ImageObject", "video": "VideoObject", "document": "Legislation"}


@pytest.fixture(scope="module")
def site(module_platform, django_db_blocker, tmp_path_factory):
    """Lạng Sơn's pages of each kind (its home names a picture for sharing) and the commune's home (it names none)."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")), django_db_blocker.unblock():
        platform = module_platform.fresh()
        langson = platform["langson"]
        section = langson.section
        home = langson.home.specific
        home.share_image = picture("Ảnh chia sẻ của tỉnh")
        home.save_revision().publish()
        article = ArticlePage(
            title="Lạng Sơn đẩy mạnh chuyển đổi số", lead="Tỉnh đặt mục tiêu 100% hồ sơ trực tuyến.", date=T0,
            hero_image=picture("Ảnh hội nghị"), author="Nguyễn Văn An", body=[("paragraph", RichText("<p>Nội dung.</p>"))],
        )  # fmt: skip
        publish(section, article)
        infographic = InfographicPage(title="Chỉ số chuyển đổi số 2025", lead="Các con số chính.", date=T0)
        infographic.images.add(
            InfographicImage(image=picture("Biểu đồ"), alt_text="Biểu đồ chỉ số", long_description="Tỉnh tăng 12 bậc.")
        )
        publish(section, infographic)
        video = publish(section, VideoPage(
            title="Hội nghị trực tuyến", date=T0, poster=picture("Ảnh bìa"),
            embed_url="https://www.youtube.com/watch?v=n57head0001", transcript="Lời thoại.",
        ))  # fmt: skip
        replaced = DirectiveDocument.objects.create(
            code="56/KH-UBND", title="Kế hoạch số 56/KH-UBND", issuer=langson.agency, issued_on=date(2024, 3, 3),
            legal_status=LegalStatus.REPLACED,
        )  # fmt: skip
        plan = DirectiveDocument.objects.create(
            code="211/KH-UBND", title="Kế hoạch số 211/KH-UBND ngày 12/8/2025 của UBND tỉnh Lạng Sơn",
            issuer=langson.agency, issued_on=date(2025, 8, 12), doc_type="KH",
            summary="Triển khai chuyển đổi số trên địa bàn tỉnh năm 2025.",
        )  # fmt: skip
        for doc in (plan, replaced):
            Publication.objects.create(document=doc, site=langson.site, status=PublicationStatus.PUBLISHED, published_at=T0)
        base = section.relative_url(langson.site)
        urls = {
            "home": "/",
            "section": base,
            "articles": base + "tin-tuc/",
            "infographics": base + "infographic/",
            "videos": base + "video/",
            "documents": base + "van-ban/",
            "search": base + "tim-kiem/?q=chuyen+doi+so",
            "article": article.relative_url(langson.site),
            "infographic": infographic.relative_url(langson.site),
            "video": video.relative_url(langson.site),
            "document": base + f"van-ban/{plan.slug}/",
            "replaced": base + f"van-ban/{replaced.slug}/",
        }
        client = Client()
        answers = {name: client.get(url, HTTP_HOST=LANGSON) for name, url in urls.items()}
        answers["commune_home"] = client.get("/", HTTP_HOST=COMMUNE)
        yield SimpleNamespace(
            urls=urls, answers=answers, plan=plan, agency=langson.agency.name,
            share_rendition=home.share_image.get_rendition("fill-1200x630").url,
        )  # fmt: skip


class Head:
    def __init__(self, response):
        assert response.status_code == 200
        self.tree = parse(response.content.decode())
        head = self.tree.find("head")
        self.properties = {meta.get("property"): meta.get("content") for meta in head.iter("meta") if meta.get("property")}
        self.names = {meta.get("name"): meta.get("content") for meta in head.iter("meta") if meta.get("name")}
        self.canonicals = [link.get("href") for link in head.iter("link") if link.get("rel") == "canonical"]
        scripts = [script for script in self.tree.iter("script") if script.get("type") == "application/ld+json"]
        self.data = {item["@type"]: item for item in (json.loads(script.text) for script in scripts)}

    def visible_breadcrumbs(self, page_url):
        trail = self.tree.find(".//nav[@class='breadcrumbs']")
        crumbs = []
        for item in trail.iter("li"):
            link = item.find("a")
            crumbs.append((text_of(item), urljoin(page_url, link.get("href")) if link is not None else page_url))
        return crumbs


PAGES = ["home", "section", "articles", "infographics", "videos", "documents", "search", "article", "infographic",
         "video", "document"]  # fmt: skip


@pytest.fixture(params=PAGES)
def page(request, site):
    return SimpleNamespace(name=request.param, head=Head(site.answers[request.param]), url=site.urls[request.param])


def test_every_page_names_one_absolute_canonical_address_and_the_previews_use_it(page):
    head = page.head
    assert len(head.canonicals) == 1
    canonical = head.canonicals[0]
    assert canonical.startswith(f"http://{LANGSON}/")
    assert head.properties["og:url"] == canonical
    assert canonical == f"http://{LANGSON}{page.url}"


def test_every_page_has_open_graph_and_twitter_tags(page):
    properties, names = page.head.properties, page.head.names
    for tag in ("og:title", "og:description", "og:image", "og:image:alt", "og:site_name", "og:type", "og:locale"):
        assert properties.get(tag), tag
    assert properties["og:type"] == ("article" if page.name in ITEM_TYPES else "website")
    assert properties["og:locale"] == "vi_VN"
    assert names["twitter:card"] == "summary_large_image"
    assert names["twitter:title"] == properties["og:title"]
    assert names["twitter:image"] == properties["og:image"]
    assert (properties["og:image:width"], properties["og:image:height"]) == ("1200", "630")
    assert properties["og:image"].startswith("http://")


@pytest.mark.parametrize("name", ["article", "infographic", "video"])
def test_an_item_is_previewed_with_a_1200_by_630_rendition_of_its_own_picture(site, name):
    image = Head(site.answers[name]).properties["og:image"]
    assert ".fill-1200x630." in image and image != f"http://{LANGSON}{site.share_rendition}"


@pytest.mark.parametrize("name", ["home", "section", "articles", "documents", "document"])
def test_a_page_without_a_picture_is_previewed_with_the_one_its_sites_home_names(site, name):
    assert Head(site.answers[name]).properties["og:image"] == f"http://{LANGSON}{site.share_rendition}"


def test_a_site_whose_home_names_no_picture_is_previewed_with_the_platforms(site):
    assert Head(site.answers["commune_home"]).properties["og:image"] == f"http://{COMMUNE}/static/news57/share-default.png"


def test_every_page_has_a_breadcrumb_list_that_matches_the_trail_shown(page):
    crumbs = page.head.data["BreadcrumbList"]["itemListElement"]
    assert [crumb["position"] for crumb in crumbs] == list(range(1, len(crumbs) + 1))
    listed = [(crumb["name"], crumb["item"]) for crumb in crumbs]
    if page.name == "home":
        assert listed == [("Trang chủ", f"http://{LANGSON}/")]
        return
    assert listed == page.head.visible_breadcrumbs(page.head.canonicals[0])


@pytest.mark.parametrize("name, schema_type", ITEM_TYPES.items())
def test_each_item_is_described_by_its_schema_org_type(site, name, schema_type):
    item = Head(site.answers[name]).data[schema_type]
    assert item["@context"] == "https://schema.org"
    assert item["url"] == item["mainEntityOfPage"] == f"http://{LANGSON}{site.urls[name]}"
    assert item["publisher"]["name"] == site.agency
    assert item["inLanguage"] == "vi"


def test_an_article_is_a_news_article_with_headline_picture_dates_and_author(site):
    item = Head(site.answers["article"]).data["NewsArticle"]
    assert item["headline"] == "Lạng Sơn đẩy mạnh chuyển đổi số"
    assert item["image"][0].startswith("http://") and ".fill-1200x630." in item["image"][0]
    assert item["datePublished"] == "2025-09-01T09:00:00+07:00"
    assert item["dateModified"]
    assert item["author"] == {"@type": "Person", "name": "Nguyễn Văn An"}


def test_a_video_is_a_video_object_with_its_thumbnail_date_and_embed(site):
    item = Head(site.answers["video"]).data["VideoObject"]
    assert item["name"] == "Hội nghị trực tuyến"
    assert item["thumbnailUrl"][0].startswith("http://")
    assert item["uploadDate"] == "2025-09-01T09:00:00+07:00"
    assert item["embedUrl"] == "https://www.youtube.com/watch?v=n57head0001"
    assert item["transcript"] == "Lời thoại."


def test_an_infographic_is_an_image_object_with_the_full_image_and_its_caption(site):
    item = Head(site.answers["infographic"]).data["ImageObject"]
    assert item["contentUrl"].startswith(f"http://{LANGSON}/media/original_images/")
    assert item["caption"] == "Biểu đồ chỉ số"


def test_a_directive_document_is_legislation_with_its_number_date_issuer_and_force(site):
    item = Head(site.answers["document"]).data["Legislation"]
    assert item["legislationIdentifier"] == "211/KH-UBND"
    assert item["legislationDate"] == "2025-08-12"
    assert item["legislationPassedBy"] == {"@type": "GovernmentOrganization", "name": site.agency}
    assert item["legislationLegalForce"] == "https://schema.org/InForce"
    assert item["legislationType"] == "Kế hoạch"
    assert item["name"] == site.plan.title
    replaced = Head(site.answers["replaced"]).data["Legislation"]
    assert replaced["legislationLegalForce"] == "https://schema.org/NotInForce"


def test_search_results_ask_not_to_be_indexed_and_other_pages_do_not(site):
    assert Head(site.answers["search"]).names["robots"] == "noindex, follow"
    assert "robots" not in Head(site.answers["article"]).names


def test_a_listings_canonical_address_keeps_its_filters_and_page_and_drops_the_rest(site):
    response = Client().get(site.urls["documents"] + "?utm_source=zalo&nam=2025&trang=1&loai=KH", HTTP_HOST=LANGSON)
    assert Head(response).canonicals == [f"http://{LANGSON}{site.urls['documents']}?loai=KH&nam=2025"]


@pytest.mark.parametrize("name", PAGES)
def test_no_public_page_sets_a_cookie(site, name):
    assert not site.answers[name].cookies
