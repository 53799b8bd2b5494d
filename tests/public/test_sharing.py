"""Every item (article, infographic, video, document) offers plain links that share its canonical address on
Zalo and Facebook or copy it, with no script of theirs on the page, and a print view: the item alone, with the
agency above it and the item's address below."""

import base64
import json
from datetime import date, datetime, timezone
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

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
    Publication,
    PublicationStatus,
    VideoPage,
)

pytestmark = pytest.mark.django_db

LANGSON, COMMUNE = "langson.localhost", "hoangvanthu.localhost"
T0 = datetime(2025, 9, 1, 2, 0, tzinfo=timezone.utc)
ITEMS = ["article", "infographic", "video", "document"]


@pytest.fixture(scope="module")
def made(module_platform, django_db_blocker, tmp_path_factory):
    """Lạng Sơn's items of each kind; its plan is also carried by the commune, whose page of it names Lạng Sơn's
    as canonical (the province is authoritative for its own documents)."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")), django_db_blocker.unblock():
        platform = module_platform.fresh()
        langson, commune = platform["langson"], platform["hoangvanthu"]
        section = langson.section
        article = publish(section, ArticlePage(
            title="Lạng Sơn đẩy mạnh chuyển đổi số", lead="Tỉnh đặt mục tiêu 100% hồ sơ trực tuyến.", date=T0,
            hero_image=picture("Ảnh hội nghị"), body=[("paragraph", RichText("<p>Nội dung bài viết.</p>"))],
        ))  # fmt: skip
        # A sibling, so that the article's page lists a related item (its print view must not).
        publish(section, ArticlePage(title="Tin liên quan", lead="Tóm tắt", date=T0))
        infographic = InfographicPage(title="Chỉ số chuyển đổi số 2025", lead="Các con số chính.", date=T0)
        infographic.images.add(
            InfographicImage(image=picture("Biểu đồ"), alt_text="Biểu đồ chỉ số", long_description="Tỉnh tăng 12 bậc.")
        )
        publish(section, infographic)
        video = publish(section, VideoPage(
            title="Hội nghị trực tuyến", date=T0, embed_url="https://www.youtube.com/watch?v=n57share001",
            transcript="Lời thoại của hội nghị.",
        ))  # fmt: skip
        draft = ArticlePage(title="Bản nháp chưa xuất bản", date=T0, live=False)
        section.add_child(instance=draft)
        plan = DirectiveDocument.objects.create(
            code="211/KH-UBND", title="Kế hoạch số 211/KH-UBND về chuyển đổi số", issuer=langson.agency,
            issued_on=date(2025, 8, 12), doc_type="KH", body="<p>Toàn văn kế hoạch.</p>",
        )  # fmt: skip
        withdrawn = DirectiveDocument.objects.create(
            code="12/KH-UBND", title="Kế hoạch số 12/KH-UBND đã gỡ", issuer=langson.agency, issued_on=date(2025, 1, 2)
        )
        for site in (langson.site, commune.site):
            Publication.objects.create(document=plan, site=site, status=PublicationStatus.PUBLISHED, published_at=T0)
        Publication.objects.create(
            document=withdrawn, site=langson.site, status=PublicationStatus.WITHDRAWN, published_at=T0
        )
        base, commune_base = section.relative_url(langson.site), commune.section.relative_url(commune.site)
        yield SimpleNamespace(
            urls={
                "article": article.relative_url(langson.site),
                "infographic": infographic.relative_url(langson.site),
                "video": video.relative_url(langson.site),
                "document": base + f"van-ban/{plan.slug}/",
            },
            base=base, commune_document=commune_base + f"van-ban/{plan.slug}/", plan=plan, withdrawn=withdrawn,
            draft_slug=draft.slug,
            agency=langson.site.site_name,
        )  # fmt: skip


def get(url, host=LANGSON):
    response = Client().get(url, HTTP_HOST=host)
    assert response.status_code == 200, url
    return response


class Shared:
    """The share bar of a page, and the canonical address its head names."""

    def __init__(self, response):
        self.tree = parse(response.content.decode())
        self.canonical = next(link.get("href") for link in self.tree.iter("link") if link.get("rel") == "canonical")
        bar = self.tree.find(".//main//div[@class='share']")
        assert bar is not None, "no share bar"
        self.links = {
            link.get("class").split("--")[-1]: link for link in bar.iter("a") if "share__link" in link.get("class", "")
        }


@pytest.mark.parametrize("name", ITEMS)
def test_each_item_shares_its_canonical_address_on_zalo_and_facebook_and_copies_it(made, name):
    shared = Shared(get(made.urls[name]))
    assert shared.canonical == f"http://{LANGSON}{made.urls[name]}"
    zalo = urlsplit(shared.links["zalo"].get("href"))
    assert (zalo.scheme, zalo.netloc, zalo.path) == ("https", "button-share.zalo.me", "/share_external")
    assert json.loads(base64.b64decode(parse_qs(zalo.query)["d"][0])) == {"url": shared.canonical}
    facebook = urlsplit(shared.links["facebook"].get("href"))
    assert (facebook.netloc, facebook.path) == ("www.facebook.com", "/sharer/sharer.php")
    assert parse_qs(facebook.query)["u"] == [shared.canonical]
    for network in ("zalo", "facebook"):
        link = shared.links[network]
        assert link.get("target") == "_blank" and set(link.get("rel").split()) >= {"noopener", "noreferrer"}
        assert text_of(link) == {"zalo": "Chia sẻ qua Zalo (mở trong thẻ mới)", "facebook": "Chia sẻ qua Facebook (mở trong thẻ mới)"}[network]
    # Without a script the copy link is the address itself, to press and hold.
    copy = shared.links["copy"]
    assert copy.get("href") == shared.canonical and text_of(copy) == "Sao chép liên kết"
    assert copy.get("data-copied") == "Đã sao chép liên kết."
    assert text_of(shared.links["print"]) == "Bản in"
    assert shared.links["print"].get("href") == made.urls[name] + "ban-in/"


@pytest.mark.parametrize("name", ITEMS)
def test_no_script_of_another_site_is_loaded(made, name):
    tree = parse(get(made.urls[name]).content.decode())
    sources = [script.get("src") for script in tree.iter("script") if script.get("src")]
    assert sources == ["/static/news57/js/share.js"]
    assert not [frame for frame in tree.iter("iframe") if "zalo" in (frame.get("src") or "") or "facebook" in (frame.get("src") or "")]


def test_a_document_carried_by_the_commune_shares_the_authoritative_sites_page_and_prints_the_communes(made):
    shared = Shared(get(made.commune_document, host=COMMUNE))
    province_page = f"http://{LANGSON}{made.urls['document']}"
    assert shared.canonical == province_page
    assert shared.links["copy"].get("href") == province_page
    assert parse_qs(urlsplit(shared.links["facebook"].get("href")).query)["u"] == [province_page]
    assert shared.links["print"].get("href") == f"{made.commune_document}ban-in/"
    printed = parse(get(made.commune_document + "ban-in/", host=COMMUNE).content.decode())
    assert printed.find(".//footer[@class='print-footer']//a").get("href") == f"http://{COMMUNE}{made.commune_document}"


def test_a_listing_has_no_share_bar(made):
    tree = parse(get(made.base + "tin-tuc/").content.decode())
    assert tree.find(".//div[@class='share']") is None


@pytest.fixture(scope="module")
def printed(made, django_db_blocker):
    with django_db_blocker.unblock():
        return {name: get(made.urls[name] + "ban-in/") for name in ITEMS}


@pytest.mark.parametrize("name", ITEMS)
def test_the_print_view_is_the_item_alone_with_the_agency_above_and_its_address_below(made, printed, name):
    tree = parse(printed[name].content.decode())
    assert "print-view" in tree.find("body").get("class").split()
    assert text_of(tree.find(".//header[@class='print-header']//p[@class='print-header__name']")) == made.agency
    main = tree.find(".//main")
    title = {"article": "Lạng Sơn đẩy mạnh chuyển đổi số", "infographic": "Chỉ số chuyển đổi số 2025",
             "video": "Hội nghị trực tuyến", "document": made.plan.title}[name]  # fmt: skip
    assert text_of(main.find(".//h1")) == title
    if name == "article":
        assert parse(get(made.urls[name]).content.decode()).find(".//section[@class='related']") is not None
    # None of the site around the item: no navigation, search, breadcrumbs, share bar, related items or footer.
    for path in (".//nav", ".//form", ".//div[@class='share']", ".//section[@class='related']", ".//footer[@class='site-footer']"):
        assert tree.find(path) is None, path
    item_url = f"http://{LANGSON}{made.urls[name]}"
    footer = tree.find(".//footer[@class='print-footer']")
    assert text_of(footer) == f"In từ địa chỉ: {item_url}"
    back = tree.find(".//p[@class='print-header__actions']/a")
    assert back.get("href") == made.urls[name] and text_of(back) == "Quay lại trang tin"
    # The print button needs the script: hidden until it runs.
    button = tree.find(".//button[@data-print]")
    assert button.get("hidden") is not None and text_of(button) == "In trang này"


@pytest.mark.parametrize("name", ITEMS)
def test_the_print_view_names_the_item_as_canonical_is_not_indexed_and_may_be_cached(made, printed, name):
    response = printed[name]
    tree = parse(response.content.decode())
    canonical = [link.get("href") for link in tree.iter("link") if link.get("rel") == "canonical"]
    assert canonical == [f"http://{LANGSON}{made.urls[name]}"]
    robots = [meta.get("content") for meta in tree.iter("meta") if meta.get("name") == "robots"]
    assert robots == ["noindex, follow"]
    assert "public" in response["Cache-Control"] and not response.cookies


def test_the_print_view_shows_what_a_reader_would_open_on_screen(printed):
    body = {name: text_of(parse(printed[name].content.decode()).find(".//main")) for name in ITEMS}
    assert "Nội dung bài viết." in body["article"]
    assert "Tỉnh tăng 12 bậc." in body["infographic"]
    assert "Lời thoại của hội nghị." in body["video"]
    assert "Toàn văn kế hoạch." in body["document"]
    infographic = parse(printed["infographic"].content.decode())
    assert all(details.get("open") is not None for details in infographic.iter("details"))
    video = parse(printed["video"].content.decode())
    # A player does not print: the video's address does.
    assert video.find(".//iframe") is None
    assert "Xem video tại" in body["video"]


def test_an_item_page_is_not_shown_in_print_view_when_it_is_not_live_or_not_carried(made):
    client = Client()
    for url in [
        made.base + made.draft_slug + "/ban-in/",
        made.base + f"van-ban/{made.withdrawn.slug}/ban-in/",
        made.base + "van-ban/khong-co/ban-in/",
        made.urls["article"] + "ban-in/khac/",
    ]:
        assert client.get(url, HTTP_HOST=LANGSON).status_code == 404, url
