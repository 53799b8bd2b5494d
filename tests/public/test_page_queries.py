"""Public pages render with a small fixed number of queries, however many items a section holds.

Measured with Django's cache off (DummyCache), renditions made by a first render,
and Wagtail's site roots read once, as after any first request to a running server.
"""

from datetime import date, datetime, timedelta, timezone

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.rich_text import RichText

from news57.models import (
    ArticlePage,
    DirectiveDocument,
    InfographicImage,
    InfographicPage,
    Publication,
    PublicationStatus,
    Topic,
    VideoPage,
)

pytestmark = pytest.mark.django_db

SIZES = {"langson": 5, "thanhtra-langson": 50}
HOSTS = {"langson": "langson.localhost", "thanhtra-langson": "thanhtra-langson.localhost"}
T0 = datetime(2025, 9, 1, 2, 0, tzinfo=timezone.utc)
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def publish(section, page):
    section.add_child(instance=page)
    page.save_revision().publish()
    return page


def fill(setup, n, topics):
    """n of each kind on the setup's section, each with its own image, topics and a live document."""
    section, made = setup.section, {}
    for i in range(n):
        when = T0 + timedelta(hours=i)
        image = Image.objects.create(title=f"Ảnh {i}", file=get_test_image_file(filename=f"anh-{i}.png"))
        article = ArticlePage(
            title=f"Tin chuyển đổi số {i}",
            lead="Tóm tắt",
            date=when,
            hero_image=image,
            body=[("paragraph", RichText("<p>Nội dung.</p>"))],
        )
        article.topics = topics
        made["article"] = publish(section, article)
        infographic = InfographicPage(title=f"Đồ họa {i}", date=when)
        infographic.images.add(InfographicImage(image=image, alt_text="Biểu đồ", long_description="Mô tả"))
        infographic.topics = topics
        made["infographic"] = publish(section, infographic)
        video = VideoPage(title=f"Video {i}", date=when, poster=image, embed_url=f"https://www.youtube.com/watch?v=n57q{i:07d}")
        video.topics = topics
        made["video"] = publish(section, video)
        document = DirectiveDocument.objects.create(
            code=f"{i + 1}/KH-UBND", title=f"Kế hoạch số {i + 1}", issuer=setup.agency, issued_on=date(2025, 8, 1)
        )
        document.topics = topics
        document.save()
        Publication.objects.create(document=document, site=setup.site, status=PublicationStatus.PUBLISHED, published_at=when)
        made["document"] = document
    return made


@pytest.fixture(scope="module")
def urls(module_platform, django_db_blocker, tmp_path_factory):
    """For each site: the URL of each page measured, after a first render of each made its renditions."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")), django_db_blocker.unblock():
        platform = module_platform.fresh()
        topics = [Topic.objects.create(name="Chuyển đổi số"), Topic.objects.create(name="Khoa học công nghệ")]
        answer = {}
        for slug, n in SIZES.items():
            setup = platform[slug]
            made = fill(setup, n, topics)
            section = setup.section.relative_url(setup.site)
            answer[slug] = {
                "section": section,
                "articles": section + "tin-tuc/",
                "infographics": section + "infographic/",
                "videos": section + "video/",
                "documents": section + "van-ban/",
                "article": made["article"].relative_url(setup.site),
                "infographic": made["infographic"].relative_url(setup.site),
                "video": made["video"].relative_url(setup.site),
                "document": section + f"van-ban/{made['document'].slug}/",
                "topic": section + f"chu-de/{topics[0].slug}/",
                "filtered_articles": section + f"tin-tuc/?chu-de={topics[0].slug}&nam=2025",
                "filtered_documents": section + f"van-ban/?chu-de={topics[0].slug}&nam=2025",
            }
            client = Client()
            for url in answer[slug].values():
                assert client.get(url, HTTP_HOST=HOSTS[slug]).status_code == 200, url
        yield answer


def captured(slug, url):
    client = Client()
    client.get(url, HTTP_HOST=HOSTS[slug])
    with override_settings(CACHES=NO_CACHE), CaptureQueriesContext(connection) as captured:
        response = client.get(url, HTTP_HOST=HOSTS[slug])
    assert response.status_code == 200
    return [query["sql"] for query in captured]


def queries(slug, url):
    return len(captured(slug, url))


@pytest.mark.parametrize(
    "name",
    [
        "section", "articles", "infographics", "videos", "documents", "article", "infographic", "video", "document",
        "topic", "filtered_articles", "filtered_documents",
    ],  # fmt: skip
)
def test_the_same_number_of_queries_with_5_and_with_50_items(platform, urls, name):
    counts = {slug: queries(slug, urls[slug][name]) for slug in SIZES}
    assert counts["langson"] == counts["thanhtra-langson"], counts


@pytest.mark.parametrize("name", ["section", "articles", "videos"])
def test_cards_leave_an_articles_body_and_a_videos_transcript_unread(platform, urls, name):
    read = "\n".join(captured("thanhtra-langson", urls["thanhtra-langson"][name]))
    assert '"news57_articlepage"."body"' not in read
    assert '"news57_videopage"."transcript"' not in read
    # The cards were read all the same.
    assert '"news57_videopage"."poster_id"' in read or name == "articles"

def test_the_section_page_takes_at_most_ten_queries(platform, urls):
    # The site, its home page, the section, its view restrictions, the site roots for its links,
    # the documents, the three lists of cards and their pictures.
    counts = {slug: queries(slug, urls[slug]["section"]) for slug in SIZES}
    assert max(counts.values()) <= 10, counts
