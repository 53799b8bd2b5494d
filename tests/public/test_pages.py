"""The public pages render as Vietnamese, accessible, well-formed HTML on each agency's own site."""

import json
import re
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import html5lib
import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import get_template
from django.test import Client, override_settings
from wagtail.documents.models import Document
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.rich_text import RichText

from markup import parse, text_of, untranslated_message_ids, visible_text
from news57.demo.agencies import provision_demo_agencies
from news57.models import ArticlePage, InfographicImage, InfographicPage, Topic, VideoPage
from news57.models.pages import PAGE_SIZE

HOST = "hoangvanthu.localhost"
COMMUNE = "Ủy ban nhân dân xã Hoàng Văn Thụ"
OTHER_AGENCIES = [
    "Ủy ban nhân dân tỉnh Lạng Sơn",
    "Thanh tra tỉnh Lạng Sơn",
    "Cổng thông tin Nghị quyết 57",
    "Văn phòng UBND tỉnh Lai Châu",
]
HOSTILE_TITLE = 'Tin <script>alert("x")</script> <img src=x onerror=alert(1)> & "trích dẫn"'
EMBED_URL = "https://www.youtube.com/watch?v=n57demo0001"
ENGLISH_UI_WORDS = [
    "Home", "Next", "Previous", "Page", "Read more", "Search", "Related", "Download", "Skip to content",
]
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
LOADED_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "manifest"}

# Marks the module as using the test database, so pytest-django creates it before `rendered`.
pytestmark = pytest.mark.django_db


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_image(title):
    return Image.objects.create(title=title, file=get_test_image_file(filename="anh.png"))


def article(section, title, **fields):
    return publish(section, ArticlePage(title=title, lead=f"Tóm tắt: {title}", **fields))


def infographic(section, title, image):
    page = InfographicPage(title=title, lead=f"Tóm tắt: {title}")
    page.images = [
        InfographicImage(
            image=image,
            alt_text=f"Đồ họa: {title}",
            long_description="Năm 2025, 100% văn bản chỉ đạo được đăng tải đúng hạn; 80% thủ tục trực tuyến.",
            caption="Nguồn: Văn phòng UBND xã",
        )
    ]
    return publish(section, page)


def video(section, title, document=None, poster=None, embed_url=""):
    return publish(
        section,
        VideoPage(
            title=title,
            lead=f"Tóm tắt: {title}",
            video_file=document,
            poster=poster,
            embed_url=embed_url,
            transcript="Xin chào bà con.\nHôm nay xã triển khai dịch vụ công trực tuyến.",
        ),
    )


def build_commune(setup):
    """The commune's site with one full item of each kind, plus a sibling of each for 'related'."""
    section = setup.section
    topic = Topic.objects.create(name="Chuyển đổi số")
    image = make_image("Người dân làm thủ tục trên điện thoại")
    clip = Document.objects.create(
        title="Video giới thiệu", file=ContentFile(b"\x00\x00\x00\x18ftypmp42", name="clip.mp4")
    )
    Embed.objects.create(
        url=EMBED_URL,
        hash=get_embed_hash(EMBED_URL),
        type="video",
        html=(
            '<iframe title="Hội nghị chuyển đổi số" width="560" height="315"'
            ' src="https://www.youtube-nocookie.com/embed/n57demo0001"></iframe>'
        ),
    )
    main = article(
        section,
        "Xã Hoàng Văn Thụ triển khai Nghị quyết 57",
        date=datetime(2026, 11, 23, 7, 5, tzinfo=timezone.utc),
        hero_image=image,
        hero_caption="Cán bộ xã hướng dẫn người dân",
        author="Nguyễn Văn An",
        source_name="Báo Lạng Sơn",
        source_url="https://baolangson.vn/bai-viet",
        body=[
            ("heading", "Mục tiêu đến năm 2030"),
            ("paragraph", RichText("<p>Xã đặt mục tiêu <b>100%</b> hồ sơ được xử lý trực tuyến.</p>")),
            ("image", {"image": image, "alt_text": "Bảng tiến độ chuyển đổi số", "caption": "Tiến độ quý IV"}),
            (
                "quote",
                {"text": "Chuyển đổi số là nhiệm vụ của cả hệ thống chính trị.", "attribution": "Chủ tịch UBND xã"},
            ),
            (
                "table",
                {
                    "data": [["Chỉ tiêu", "Kết quả"], ["Hồ sơ trực tuyến", "85%"]],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": "Kết quả năm 2026",
                },
            ),
        ],
    )
    main.topics.add(topic)
    main.save_revision().publish()
    sibling = article(section, "Tập huấn kỹ năng số cho cán bộ xã")
    hostile = article(section, HOSTILE_TITLE)
    graphic = infographic(section, "Chỉ số chuyển đổi số năm 2026", image)
    infographic(section, "Dịch vụ công trực tuyến toàn trình", image)
    clip_page = video(section, "Phóng sự: xã chuyển đổi số", document=clip, poster=image)
    embedded = video(section, "Hội nghị chuyển đổi số", embed_url=EMBED_URL)
    draft = ArticlePage(title="Bản nháp chưa duyệt", live=False)
    section.add_child(instance=draft)
    draft.save_revision()
    return SimpleNamespace(
        site=setup.site, section=section, article=main, sibling=sibling, infographic=graphic,
        video=clip_page, embed_video=embedded, draft=draft, image=image, hostile=hostile,
    )


def url_of(page, site, route=None):
    url = page.relative_url(site)
    return url + page.reverse_subpage(route) if route else url


def public_urls(commune):
    site, section = commune.site, commune.section
    return {
        "home": "/",
        "section": url_of(section, site),
        "articles": url_of(section, site, "articles"),
        "infographics": url_of(section, site, "infographics"),
        "videos": url_of(section, site, "videos"),
        "article": url_of(commune.article, site),
        "infographic": url_of(commune.infographic, site),
        "video": url_of(commune.video, site),
        "embed_video": url_of(commune.embed_video, site),
    }


PAGES = ["home", "section", "articles", "infographics", "videos", "article", "infographic", "video", "embed_video"]
SECOND_PAGES = ["articles_2", "infographics_2", "videos_2"]
BAD_PAGE_NUMBERS = ["abc", "999", "-1", "0", "2%00"]


def add_many(commune):
    """Enough items of every kind for a second listing page."""
    section = commune.section
    for number in range(PAGE_SIZE):
        section.add_child(instance=ArticlePage(title=f"Tin số {number}"))
        page = InfographicPage(title=f"Đồ họa số {number}")
        page.images = [InfographicImage(image=commune.image, alt_text=f"Đồ họa số {number}", long_description="Mô tả")]
        section.add_child(instance=page)
        section.add_child(instance=VideoPage(title=f"Video số {number}", embed_url=EMBED_URL))


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every public page of the commune's site, rendered once; the data is rolled back afterwards.

    Building the platform and its pages takes seconds, so the module builds it once
    and its tests read the stored answers.
    """
    client = Client()
    answers = {}

    def fetch(name, url, host=HOST):
        response = client.get(url, HTTP_HOST=host)
        answers[name] = SimpleNamespace(status=response.status_code, html=response.content.decode())

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        with transaction.atomic():
            commune = build_commune(provision_demo_agencies(port=80)["hoangvanthu"])
            urls = public_urls(commune)
            for name in PAGES:
                fetch(name, urls[name])
            fetch("hostile", url_of(commune.hostile, commune.site))
            fetch("not_found", "/khong-co-trang-nay/")
            fetch("draft", url_of(commune.draft, commune.site))
            fetch("langson_home", "/", host="langson.localhost")
            add_many(commune)
            # Never committed, so the site's content version is not bumped: drop the listings cached above.
            cache.clear()
            fetch("articles_1", urls["articles"])
            for kind in ("articles", "infographics", "videos"):
                fetch(f"{kind}_2", urls[kind] + "?trang=2")
            for value in BAD_PAGE_NUMBERS:
                fetch(f"bad_{value}", urls["articles"] + f"?trang={value}")
            facts = SimpleNamespace(
                urls=urls,
                article_title=commune.article.title,
                sibling_title=commune.sibling.title,
                video_title=commune.video.title,
                embed_video_title=commune.embed_video.title,
                image_url=commune.image.file.url,
                video_url=commune.video.video_file.file.url,
            )
            transaction.set_rollback(True)
    # Wagtail caches site roots; they named rows that no longer exist.
    cache.clear()
    return SimpleNamespace(answers=answers, **vars(facts))


def site_header(tree):
    return tree.find(".//body/header")


@pytest.fixture(params=PAGES + SECOND_PAGES + ["not_found"])
def answer(request, rendered):
    return rendered.answers[request.param]


def test_every_public_page_answers_200(rendered):
    statuses = {name: rendered.answers[name].status for name in PAGES + SECOND_PAGES}
    assert {name: status for name, status in statuses.items() if status != 200} == {}


def test_an_unknown_address_answers_404(rendered):
    assert rendered.answers["not_found"].status == 404


def test_a_draft_page_answers_404(rendered):
    assert rendered.answers["draft"].status == 404


def test_every_page_parses_as_strict_html5(answer):
    html5lib.HTMLParser(strict=True).parse(answer.html)


def test_every_page_has_exactly_one_h1(answer):
    assert len(parse(answer.html).findall(".//h1")) == 1


def test_headings_never_skip_a_level(answer):
    levels = [int(element.tag[1]) for element in parse(answer.html).iter() if element.tag in HEADINGS]
    assert levels[0] == 1
    for previous, current in zip(levels, levels[1:]):
        assert current <= previous + 1, levels


def test_every_image_has_alt_text(answer):
    images = parse(answer.html).findall(".//img")
    assert all(image.get("alt", "").strip() for image in images)


def test_every_page_has_landmarks_and_a_skip_link_to_main(answer):
    tree = parse(answer.html)
    for landmark in ("header", "nav", "main", "footer"):
        assert tree.find(f".//{landmark}") is not None, landmark
    skip = tree.find("./body/a")
    assert skip.get("href") == "#main" and tree.find(".//main").get("id") == "main"


def test_the_html_element_says_vietnamese(answer):
    assert parse(answer.html).get("lang") == "vi"


def test_the_header_carries_the_commune_name(answer):
    assert COMMUNE in text_of(site_header(parse(answer.html)))


def test_the_commune_site_names_no_other_agency(answer):
    assert not [name for name in OTHER_AGENCIES if name in answer.html]


def test_each_site_carries_its_own_agency_name(rendered):
    html = rendered.answers["langson_home"].html
    assert "Ủy ban nhân dân tỉnh Lạng Sơn" in text_of(site_header(parse(html)))
    assert COMMUNE not in html


def test_no_english_interface_words_are_shown(answer):
    text = visible_text(parse(answer.html))
    assert not [word for word in ENGLISH_UI_WORDS if re.search(rf"\b{re.escape(word)}\b", text)]


def test_no_message_id_of_the_project_is_shown_untranslated(answer):
    assert untranslated_message_ids(visible_text(parse(answer.html))) == []


def test_pages_load_nothing_from_other_hosts(answer):
    for element in parse(answer.html).iter():
        if element.tag == "iframe":
            continue  # an embed is the editor's choice of content, not our interface
        # A link the browser fetches (a style sheet, an icon, a font), not one that names an address (canonical).
        fetched = element.tag == "link" and set(element.get("rel", "").split()) & LOADED_LINKS
        for attribute in ("src", "srcset", "poster") + (("href",) if fetched else ()):
            assert not re.search(r"(^|[\s,])(https?:)?//", element.get(attribute, "")), (element.tag, attribute)


@pytest.mark.parametrize("name", ["hostile", "home", "articles"])
def test_markup_in_a_title_is_shown_as_text_not_run(rendered, name):
    tree = parse(rendered.answers[name].html)
    # Inline, the only scripts are structured data, which a browser never runs, and which hold the title as
    # data; the one script run is the site's own file.
    assert [script.get("src") for script in tree.iter("script") if script.get("src")] == ["/static/news57/js/share.js"]
    scripts = [script for script in tree.iter("script") if not script.get("src")]
    assert {script.get("type") for script in scripts} <= {"application/ld+json"}
    assert all(json.loads(script.text) for script in scripts)
    assert not [img for img in tree.iter("img") if img.get("onerror")]
    assert HOSTILE_TITLE in [text_of(link) for link in tree.iter("a")] + [text_of(h) for h in tree.iter("h1")]


def test_the_500_page_is_vietnamese_without_a_request():
    html = get_template("500.html").render()
    html5lib.HTMLParser(strict=True).parse(html)
    assert 'lang="vi"' in html and "Lỗi máy chủ" in html


def test_the_404_page_is_vietnamese(rendered):
    assert "Không tìm thấy trang" in text_of(parse(rendered.answers["not_found"].html).find(".//h1"))


def test_dates_are_shown_in_vietnam_time_in_vietnamese_order(rendered):
    time = parse(rendered.answers["article"].html).find(".//main//time")
    assert text_of(time) == "23/11/2026 14:05"
    assert time.get("datetime") == "2026-11-23T14:05:00+07:00"


def test_article_shows_its_author_source_and_topics(rendered):
    meta = text_of(parse(rendered.answers["article"].html).find(".//dl"))
    assert "Nguyễn Văn An" in meta and "Báo Lạng Sơn" in meta and "Chuyển đổi số" in meta


def test_article_body_renders_every_block(rendered):
    tree = parse(rendered.answers["article"].html)
    assert text_of(tree.find(".//main//h2")) == "Mục tiêu đến năm 2030"
    assert "100%" in text_of(tree.find(".//main//b"))
    assert tree.find(".//blockquote") is not None
    assert text_of(tree.find(".//table/caption")) == "Kết quả năm 2026"
    assert tree.find(".//img[@alt='Bảng tiến độ chuyển đổi số']") is not None


def test_article_lists_related_items(rendered):
    related = parse(rendered.answers["article"].html).find(".//section[@class='related']")
    assert rendered.sibling_title in text_of(related)


def test_images_are_renditions_not_originals(rendered):
    sources = [image.get("src") for image in parse(rendered.answers["article"].html).findall(".//main//img")]
    assert sources and all("/images/" in src and src != rendered.image_url for src in sources)


def test_infographic_images_describe_themselves_to_screen_readers(rendered):
    tree = parse(rendered.answers["infographic"].html)
    image = tree.find(".//figure[@class='infographic']/img")
    assert image.get("alt") == "Đồ họa: Chỉ số chuyển đổi số năm 2026"
    description = tree.find(f".//*[@id='{image.get('aria-describedby')}']")
    assert "100% văn bản chỉ đạo" in text_of(description)


def test_infographic_links_to_the_full_size_original(rendered):
    tree = parse(rendered.answers["infographic"].html)
    assert rendered.image_url in [a.get("href") for a in tree.findall(".//figure[@class='infographic']//a")]


def test_uploaded_video_plays_in_the_page_on_phones(rendered):
    player = parse(rendered.answers["video"].html).find(".//video")
    assert player.get("controls") is not None and player.get("playsinline") is not None
    assert player.get("preload") == "metadata" and "/images/" in player.get("poster")
    source = player.find("source")
    assert source.get("src") == rendered.video_url and source.get("type") == "video/mp4"


def test_video_transcript_is_on_the_page(rendered):
    assert "Hôm nay xã triển khai dịch vụ công trực tuyến." in rendered.answers["video"].html


def test_embedded_video_shows_the_stored_embed(rendered):
    assert parse(rendered.answers["embed_video"].html).find(".//iframe").get("title") == "Hội nghị chuyển đổi số"


def test_section_overview_links_to_each_listing(rendered):
    links = {a.get("href") for a in parse(rendered.answers["section"].html).findall(".//main//a")}
    assert {rendered.urls["articles"], rendered.urls["infographics"], rendered.urls["videos"]} <= links


def test_home_lists_the_latest_items(rendered):
    titles = [text_of(h) for h in parse(rendered.answers["home"].html).iter("h3")]
    assert titles[:2] == [rendered.embed_video_title, rendered.video_title]


def test_breadcrumbs_lead_from_home_to_the_current_page(rendered):
    items = parse(rendered.answers["article"].html).findall(".//nav[@class='breadcrumbs']//li")
    assert items[0].find("a").get("href") == "/"
    assert [a.get("href") for a in items[1].iter("a")] == [rendered.urls["section"]]
    assert items[-1].find("span").get("aria-current") == "page"
    assert text_of(items[-1]) == rendered.article_title


def test_the_navigation_marks_the_current_listing(rendered):
    nav = parse(rendered.answers["videos"].html).find(".//nav[@class='site-nav']")
    assert [a.get("href") for a in nav.iter("a") if a.get("aria-current") == "page"] == [rendered.urls["videos"]]


@pytest.mark.parametrize("kind", ["articles", "infographics", "videos"])
def test_second_listing_page_marks_itself_current_and_links_back(rendered, kind):
    pagination = parse(rendered.answers[f"{kind}_2"].html).find(".//nav[@class='pagination']")
    current = [a for a in pagination.iter("a") if a.get("aria-current") == "page"]
    assert len(current) == 1 and text_of(current[0]).endswith("2")
    assert pagination.find(".//a[@rel='prev']").get("href") == rendered.urls[kind]
    assert pagination.find(".//a[@rel='next']") is None


def test_first_listing_page_links_to_the_next(rendered):
    tree = parse(rendered.answers["articles_1"].html)
    pagination = tree.find(".//nav[@class='pagination']")
    assert pagination.find(".//a[@rel='next']").get("href") == "?trang=2"
    assert pagination.find(".//a[@rel='prev']") is None
    assert len(tree.findall(".//main//article")) == PAGE_SIZE


@pytest.mark.parametrize("value", BAD_PAGE_NUMBERS)
def test_a_bad_page_number_still_answers_a_listing(rendered, value):
    assert rendered.answers[f"bad_{value}"].status == 200


def static_file(*parts):
    return Path(django_settings.BASE_DIR, "static", "news57", *parts)


def test_fonts_are_served_locally_with_the_vietnamese_subset():
    css = static_file("css", "site.css").read_text()
    fonts = re.findall(r'url\("\.\./fonts/([^"]+)"\)', css)
    assert "be-vietnam-pro-vietnamese-400-normal.woff2" in fonts and "U+1EA0-1EF9" in css
    assert all(static_file("fonts", name).is_file() for name in fonts)
    assert static_file("fonts", "OFL.txt").is_file()


def test_the_stylesheet_fetches_nothing_from_other_hosts():
    urls = re.findall(r"url\(\s*[\"']?([^\"')]+)", static_file("css", "site.css").read_text())
    assert not [url for url in urls if not url.startswith("data:") and re.match(r"(https?:)?//", url)]
    assert "@import" not in static_file("css", "site.css").read_text()


def test_print_stylesheet_hides_navigation_and_shows_link_addresses():
    css = static_file("css", "site.css").read_text()
    printed = css[css.index("@media print") :]
    assert ".site-nav" in printed and ".site-footer" in printed and "attr(href)" in printed


@pytest.mark.django_db
def test_a_renamed_agency_heads_its_pages_with_the_new_name(platform):
    agency = platform["hoangvanthu"].agency
    agency.name = "Ủy ban nhân dân phường Hoàng Văn Thụ"
    agency.save()
    html = Client().get("/", HTTP_HOST=HOST).content.decode()
    header = re.search(r'class="site-header__name".*?</a>', html, re.S).group(0)
    assert "Ủy ban nhân dân phường Hoàng Văn Thụ" in header and COMMUNE not in header
    assert re.search(r"<title>[^<]* – Ủy ban nhân dân phường Hoàng Văn Thụ</title>", html)


def test_a_page_moved_while_a_request_is_served_is_linked_at_its_new_address(platform):
    # A page's address is worked out once a request: moving it (as the admin does, purging both addresses
    # in the same request) gives it another.
    from django.test import RequestFactory

    langson, inspectorate = platform["langson"], platform["thanhtra-langson"]
    page = article(langson.section, "Tin sẽ chuyển sang trang khác")
    request = RequestFactory().get("/", HTTP_HOST="langson.localhost")
    before = page.get_url(request)
    page.move(inspectorate.section, pos="last-child")
    after = ArticlePage.objects.get(pk=page.pk).get_url(request)
    assert before == langson.section.get_url(request) + page.slug + "/"
    assert after == inspectorate.section.get_url(request) + page.slug + "/"
