"""A reader narrows news, infographics, videos and documents by topic and year (documents also by type and
issuer), sees how many each choice leaves, keeps the address, follows the RSS feed of the filtered list, and
reaches a topic's page from every item that carries the topic."""

from datetime import date, datetime, timezone
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlsplit

import feedparser
import pytest
from django.test import Client

from markup import parse, text_of
from news57.models import ArticlePage, DirectiveDocument, Publication, PublicationStatus, Topic, VideoPage

pytestmark = pytest.mark.django_db

LANGSON = "langson.localhost"


def when(year, month=6):
    return datetime(year, month, 1, 3, 0, tzinfo=timezone.utc)


def publish(section, page, topics=()):
    section.add_child(instance=page)
    page.topics = list(topics)
    page.save_revision().publish()
    return page


@pytest.fixture(scope="module")
def made(module_platform, django_db_blocker):
    """Lạng Sơn's news: 3 on digital transformation (2 of 2025, 1 of 2024), 1 on science in 2025 and 1 of
    2025 with no topic; a video on digital transformation; 2 documents on digital transformation, 1 without."""
    with django_db_blocker.unblock():
        platform = module_platform.fresh()
        langson = platform["langson"]
        section = langson.section
        digital = Topic.objects.create(name="Chuyển đổi số")
        science = Topic.objects.create(name="Khoa học công nghệ")
        Topic.objects.create(name="Đổi mới sáng tạo")  # nothing carries it
        titles = {}
        for n, (year, topics) in enumerate([(2025, [digital]), (2025, [digital, science]), (2024, [digital]),
                                            (2025, [science]), (2025, [])]):  # fmt: skip
            page = publish(section, ArticlePage(title=f"Tin {n}", lead="Tóm tắt", date=when(year, 1 + n)), topics)
            titles[n] = page.title
        video = publish(
            section, VideoPage(title="Video chuyển đổi số", date=when(2025), embed_url="https://www.youtube.com/watch?v=n57list001"),
            [digital],
        )  # fmt: skip
        docs = []
        for n, topics in enumerate([[digital], [digital], []]):
            doc = DirectiveDocument.objects.create(
                code=f"{n + 1}/KH-UBND", title=f"Kế hoạch số {n + 1}", issuer=langson.agency, issued_on=date(2025, 3, 1)
            )
            doc.topics = topics
            doc.save()
            Publication.objects.create(document=doc, site=langson.site, status=PublicationStatus.PUBLISHED, published_at=when(2025))
            docs.append(doc)
        base = section.relative_url(langson.site)
        yield SimpleNamespace(base=base, digital=digital, science=science, titles=titles, video=video, docs=docs,
                              article=ArticlePage.objects.get(title="Tin 1"))  # fmt: skip


def get(url):
    response = Client().get(url, HTTP_HOST=LANGSON)
    assert response.status_code == 200, url
    return parse(response.content.decode())


def card_titles(tree):
    return [text_of(heading) for heading in tree.findall(".//main//ul[@class='cards cards--wide']//h2")]


def options(tree, name):
    select = tree.find(f".//main//form[@class='filters']//select[@name='{name}']")
    return {option.get("value"): text_of(option) for option in select.iter("option")}


def selected(tree, name):
    return [o.get("value") for o in tree.findall(f".//main//form[@class='filters']//select[@name='{name}']/option[@selected]")]


def test_the_news_list_offers_each_topic_and_year_it_holds_with_how_many(made):
    tree = get(made.base + "tin-tuc/")
    assert options(tree, "chu-de") == {
        "": "Tất cả chủ đề", "chuyen-doi-so": "Chuyển đổi số (3)", "khoa-hoc-cong-nghe": "Khoa học công nghệ (2)",
    }  # fmt: skip
    assert options(tree, "nam") == {"": "Tất cả các năm", "2025": "2025 (4)", "2024": "2024 (1)"}


def test_a_topic_narrows_the_list_and_the_years_count_within_it(made):
    tree = get(made.base + "tin-tuc/?chu-de=chuyen-doi-so")
    assert sorted(card_titles(tree)) == ["Tin 0", "Tin 1", "Tin 2"]
    assert selected(tree, "chu-de") == ["chuyen-doi-so"]
    assert options(tree, "nam") == {"": "Tất cả các năm", "2025": "2025 (2)", "2024": "2024 (1)"}
    # The topics count within the year chosen, and the topic within the other choices.
    tree = get(made.base + "tin-tuc/?chu-de=chuyen-doi-so&nam=2025")
    assert sorted(card_titles(tree)) == ["Tin 0", "Tin 1"]
    assert options(tree, "chu-de")["khoa-hoc-cong-nghe"] == "Khoa học công nghệ (2)"


@pytest.mark.parametrize(
    "query", ["?chu-de=khong-co", "?nam=1800", "?nam=abc", "?chu-de=%3Cscript%3E&nam=99999", "?chu-de=%00", "?chu-de=" + "a" * 5000]
)
def test_a_value_the_list_does_not_hold_is_ignored(made, query):
    tree = get(made.base + "tin-tuc/" + query)
    assert len(card_titles(tree)) == 5
    assert options(tree, "chu-de")["chuyen-doi-so"] == "Chuyển đổi số (3)"


def test_the_filtered_lists_rss_feed_lists_what_the_filtered_list_shows(made):
    tree = get(made.base + "tin-tuc/?chu-de=chuyen-doi-so&nam=2025")
    link = tree.find(".//main//form[@class='filters']//a[@class='filters__feed']")
    url = link.get("href")
    assert urlsplit(url).path == made.base + "tin-tuc/rss/"
    assert dict(parse_qsl(urlsplit(url).query)) == {"muc": "tin-tuc", "chu-de": "chuyen-doi-so", "nam": "2025"}
    feed = feedparser.parse(Client().get(url, HTTP_HOST=LANGSON).content)
    assert sorted(entry.title for entry in feed.entries) == ["Tin 0", "Tin 1"]
    # The same feed without the kind also carries the video of the topic and year.
    feed = feedparser.parse(Client().get(made.base + "tin-tuc/rss/?chu-de=chuyen-doi-so&nam=2025", HTTP_HOST=LANGSON).content)
    assert sorted(entry.title for entry in feed.entries) == ["Tin 0", "Tin 1", "Video chuyển đổi số"]


@pytest.mark.parametrize("path", ["tin-tuc/rss/?chu-de=chuyen%00-doi-so", "van-ban/rss/?co-quan=%00&loai=%00&chu-de=%00"])
def test_a_feed_given_a_control_character_lists_everything_as_if_it_had_no_filter(made, path):
    # PostgreSQL refuses a NUL in a query: it must never reach the database.
    feed = feedparser.parse(Client().get(made.base + path, HTTP_HOST=LANGSON).content)
    assert len(feed.entries) == (6 if path.startswith("tin-tuc") else 3)


def test_the_documents_list_filters_by_topic_and_its_feed_follows(made):
    tree = get(made.base + "van-ban/?chu-de=chuyen-doi-so")
    assert options(tree, "chu-de")["chuyen-doi-so"] == "Chuyển đổi số (2)"
    listed = [text_of(link) for link in tree.findall(".//main//ul[@class='doc-list']//h2/a")]
    assert len(listed) == 2
    url = tree.find(".//main//a[@class='filters__feed']").get("href")
    assert url == made.base + "van-ban/rss/?chu-de=chuyen-doi-so"
    feed = feedparser.parse(Client().get(url, HTTP_HOST=LANGSON).content)
    assert len(feed.entries) == 2


def test_a_second_page_keeps_the_filters_in_its_links(made, module_platform):
    tree = get(made.base + "tin-tuc/?chu-de=chuyen-doi-so")
    # One page holds them all: no pagination, and the unfiltered feed link is offered.
    assert tree.find(".//nav[@class='pagination']") is None
    assert get(made.base + "tin-tuc/").find(".//main//a[@class='filters__feed']").get("href") == made.base + "tin-tuc/rss/?muc=tin-tuc"


def test_an_item_links_each_of_its_topics_to_the_topics_page(made):
    tree = get(made.article.relative_url(made.article.get_site()))
    links = {text_of(a): a.get("href") for a in tree.findall(".//main//ul[@class='topics']//a")}
    assert links == {
        "Chuyển đổi số": made.base + "chu-de/chuyen-doi-so/",
        "Khoa học công nghệ": made.base + "chu-de/khoa-hoc-cong-nghe/",
    }


def test_a_document_links_its_topics_too(made):
    tree = get(made.base + f"van-ban/{made.docs[0].slug}/")
    links = [a.get("href") for a in tree.findall(".//main//ul[@class='topics']//a")]
    assert links == [made.base + "chu-de/chuyen-doi-so/"]


def test_a_topic_page_shows_the_newest_of_each_kind_of_that_topic_and_links_to_each_filtered_list(made):
    tree = get(made.base + "chu-de/chuyen-doi-so/")
    assert text_of(tree.find(".//main//h1")) == "Chủ đề: Chuyển đổi số"
    headings = [text_of(h) for h in tree.findall(".//main//section//h3")]
    assert sorted(h for h in headings if h.startswith("Tin")) == ["Tin 0", "Tin 1", "Tin 2"]
    assert "Video chuyển đổi số" in headings
    assert "Tin 3" not in headings and "Tin 4" not in headings
    more = {a.get("href") for a in tree.findall(".//main//a[@class='block__more']")}
    assert {made.base + path + "?chu-de=chuyen-doi-so" for path in ("tin-tuc/", "video/", "van-ban/")} <= more


def test_a_topic_nothing_carries_has_a_page_that_says_so_and_an_unknown_one_is_404(made):
    tree = get(made.base + "chu-de/doi-moi-sang-tao/")
    assert tree.find(".//main//a[@class='block__more']") is None
    assert Client().get(made.base + "chu-de/khong-co/", HTTP_HOST=LANGSON).status_code == 404


def test_a_card_names_its_kind_and_its_date_in_vietnam_time(made):
    tree = get(made.base + "tin-tuc/")
    card = next(li for li in tree.findall(".//main//ul[@class='cards cards--wide']/li") if text_of(li.find(".//h2")) == "Tin 0")
    # 03:00 UTC on 1 January is 10:00 in Hà Nội.
    assert text_of(card.find(".//p[@class='card__meta']")) == "Tin tức · 01/01/2025 10:00"
    assert card.find(".//time").get("datetime") == "2025-01-01T10:00:00+07:00"
    videos = get(made.base + "video/")
    assert text_of(videos.find(".//main//p[@class='card__meta']")).startswith("Video · ")


def test_a_document_line_gives_its_issue_date_as_a_day(made):
    line = get(made.base + "van-ban/").find(".//main//p[@class='doc-item__meta']")
    time = line.find(".//time")
    assert text_of(time) == "01/03/2025" and time.get("datetime") == "2025-03-01"
