"""Each agency site's section publishes RSS 2.0 and Atom feeds of its live documents and of its news."""

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from types import SimpleNamespace
from urllib.parse import urlsplit

import feedparser
import html5lib
import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page, PageLogEntry

from markup import parse
from module_data import module_transaction
from news57.demo.agencies import provision_demo_agencies
from news57.models import (
    ArticlePage,
    DirectiveDocument,
    DocumentAttachment,
    InfographicImage,
    InfographicPage,
    Publication,
    VideoPage,
)
from news57.models import PublicationStatus as Status
from news57.public.feeds import FEED_SIZE
from news57.republishing.actions import republish, withdraw

pytestmark = pytest.mark.django_db

LANGSON = "langson.localhost"
COMMUNE = "hoangvanthu.localhost"
DC = "http://purl.org/dc/elements/1.1/"
ATOM = "http://www.w3.org/2005/Atom"
NS = {"dc": DC, "atom": ATOM}
T0 = datetime(2025, 8, 12, 1, 0, tzinfo=timezone.utc)
PDF = b"%PDF-1.4\n% signed plan\n" + b"0" * 4_000 + b"\n%%EOF\n"
CLIP = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 500
HOSTILE_TITLE = 'Kế hoạch <script>alert("x")</script> & "trích dẫn" ]]> <![CDATA[ x'
HOSTILE_BODY = '<p>Nội dung</p><script>alert("body")</script>]]>&amp; <b>đậm</b>'


def document(issuer, code, title, **fields):
    return DirectiveDocument.objects.create(code=code, title=title, issuer=issuer, **fields)


def publication(doc, setup, status, at=None):
    return Publication.objects.create(document=doc, site=setup.site, status=status, published_at=at)


def attach(doc, name, content, **fields):
    file = Document.objects.create(title=name, file=ContentFile(content, name=name))
    return DocumentAttachment.objects.create(document=doc, file=file, **fields)


def publish_page(section, page):
    section.add_child(instance=page)
    page.save_revision().publish()
    return page


def build(platform):
    """Documents live, queued, declined and withdrawn on Lạng Sơn, one live on the commune only; news of both."""
    langson, commune = platform["langson"], platform["hoangvanthu"]
    province = langson.agency
    plan = document(
        province,
        "211/KH-UBND",
        "Kế hoạch số 211/KH-UBND ngày 12/8/2025 của UBND tỉnh Lạng Sơn",
        issued_on=date(2025, 8, 12),
        summary="Triển khai chuyển đổi số trên địa bàn tỉnh năm 2025.",
        body="<p>Mục tiêu: 100% hồ sơ được xử lý trực tuyến.</p>",
    )
    appendix = attach(plan, "phu-luc.docx", b"PK\x03\x04" + b"1" * 900, sort_order=0)
    signed = attach(plan, "kh-211-ky-so.pdf", PDF, is_signed=True, sort_order=1)
    resolution = document(
        platform["bo-chinh-tri"].agency,
        "57-NQ/TW",
        "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
        issued_on=date(2024, 12, 22),
        summary="Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia.",
    )
    undated = document(province, "", "Thông báo kết luận của UBND tỉnh về chuyển đổi số")
    hostile = document(province, "", HOSTILE_TITLE, body=HOSTILE_BODY)
    queued = document(province, "618/KH-VPUBND", "Kế hoạch số 618/KH-VPUBND ngày 01/9/2025")
    declined = document(province, "262/KH-TTr", "Kế hoạch số 262/KH-TTr ngày 02/9/2025")
    withdrawn = document(province, "150-CTr/TU", "Chương trình số 150-CTr/TU ngày 05/9/2025 của Tỉnh ủy")
    commune_only = document(commune.agency, "12/KH-UBND", "Kế hoạch số 12/KH-UBND ngày 01/9/2025 của UBND xã")

    publication(resolution, langson, Status.PUBLISHED, T0 - timedelta(days=3))
    publication(undated, langson, Status.PUBLISHED, T0 - timedelta(days=2))
    publication(hostile, langson, Status.PUBLISHED, T0 - timedelta(days=1))
    publication(plan, langson, Status.PUBLISHED, T0)
    publication(queued, langson, Status.QUEUED)
    publication(declined, langson, Status.DECLINED)
    withdraw(republish(withdrawn, langson.site, None, at=T0 - timedelta(hours=1)), None, "Ban hành nhầm.")
    publication(commune_only, commune, Status.PUBLISHED, T0)

    article = publish_page(
        langson.section,
        ArticlePage(
            title="Lạng Sơn triển khai Nghị quyết 57",
            lead="Tỉnh đặt mục tiêu 100% hồ sơ trực tuyến.",
            author="Nguyễn Văn An",
            date=T0,
        ),
    )
    clip = Document.objects.create(title="Video", file=ContentFile(CLIP, name="clip.mp4"))
    video = publish_page(
        langson.section, VideoPage(title="Video hội nghị chuyển đổi số", video_file=clip, date=T0 - timedelta(days=1))
    )
    draft = ArticlePage(title="Bản nháp chưa đăng", lead="Chưa duyệt", live=False, date=T0)
    langson.section.add_child(instance=draft)
    draft.save_revision()
    elsewhere = publish_page(commune.section, ArticlePage(title="Tin của xã Hoàng Văn Thụ", date=T0))
    # Everything was written "on T0", so whatever a test changes now is later to the second.
    DirectiveDocument.objects.update(updated_at=T0)
    Publication.objects.exclude(decided_at=None).update(decided_at=T0)
    Page.objects.exclude(last_published_at=None).update(last_published_at=T0)
    PageLogEntry.objects.update(timestamp=T0)
    return SimpleNamespace(
        platform=platform,
        langson=langson, commune=commune, plan=plan, resolution=resolution, undated=undated, hostile=hostile,
        queued=queued, declined=declined, withdrawn=withdrawn, commune_only=commune_only, signed=signed,
        appendix=appendix, article=article, video=video, clip=clip, draft=draft, elsewhere=elsewhere,
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The two sites' documents and news, built once; each test's own changes roll back after it."""
    with module_transaction(django_db_blocker, tmp_path_factory):
        with django_db_blocker.unblock():
            cache.clear()
            built = build(provision_demo_agencies(port=80))
        yield built
    # Wagtail caches site roots; they named rows that no longer exist.
    cache.clear()


def feed_url(setup, name, **kwargs):
    return setup.section.relative_url(setup.site) + setup.section.reverse_subpage(name, kwargs=kwargs or None)


def page_url(setup, name, **kwargs):
    return f"http://{setup.site.hostname}{feed_url(setup, name, **kwargs)}"


def get(setup, name, **headers):
    return Client().get(feed_url(setup, name), HTTP_HOST=setup.site.hostname, **headers)


def xml(response):
    return ET.fromstring(response.content)


def rss_items(response):
    return {item.findtext("title"): item for item in xml(response).iter("item")}


def atom_entries(response):
    return {entry.findtext(f"{{{ATOM}}}title"): entry for entry in xml(response).iter(f"{{{ATOM}}}entry")}


FEEDS = {"documents_rss": "rss20", "documents_atom": "atom10", "news_rss": "rss20", "news_atom": "atom10"}


@pytest.mark.parametrize("name, version", FEEDS.items())
def test_every_feed_parses_cleanly_in_its_format(world, name, version):
    parsed = feedparser.parse(get(world.langson, name).content)
    assert parsed.bozo == 0 and parsed.version == version and parsed.entries


@pytest.mark.parametrize(
    "name, content_type",
    [
        ("documents_rss", "application/rss+xml; charset=utf-8"),
        ("documents_atom", "application/atom+xml; charset=utf-8"),
        ("news_rss", "application/rss+xml; charset=utf-8"),
        ("news_atom", "application/atom+xml; charset=utf-8"),
    ],
)
def test_every_feed_is_served_as_utf8_with_its_own_media_type(world, name, content_type):
    response = get(world.langson, name)
    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')


def test_the_documents_feed_lists_only_this_sites_live_publications_newest_first(world):
    titles = [entry.title for entry in feedparser.parse(get(world.langson, "documents_rss").content).entries]
    assert titles == [world.plan.title, HOSTILE_TITLE, world.undated.title, world.resolution.title]


def test_the_commune_feed_lists_its_own_publication_and_not_the_provinces(world):
    titles = [entry.title for entry in feedparser.parse(get(world.commune, "documents_atom").content).entries]
    assert titles == [world.commune_only.title]


def test_the_documents_feed_keeps_the_50_most_recent_publications(world):
    for number in range(FEED_SIZE + 5):
        doc = document(world.langson.agency, f"{number + 1}/TB-UBND", f"Thông báo số {number + 1}/TB-UBND")
        publication(doc, world.langson, Status.PUBLISHED, T0 + timedelta(minutes=number + 1))
    entries = feedparser.parse(get(world.langson, "documents_rss").content).entries
    assert len(entries) == FEED_SIZE
    assert entries[0].title == f"Thông báo số {FEED_SIZE + 5}/TB-UBND" and entries[-1].title == "Thông báo số 6/TB-UBND"


def test_a_rss_item_carries_the_code_the_issuer_and_the_issue_date_in_dublin_core(world):
    item = rss_items(get(world.langson, "documents_rss"))[world.plan.title]
    dublin_core = {name: item.findtext(f"dc:{name}", namespaces=NS) for name in ("identifier", "creator", "date")}
    assert dublin_core == {
        "identifier": "211/KH-UBND",
        "creator": "Ủy ban nhân dân tỉnh Lạng Sơn",
        "date": "2025-08-12",
    }


def test_an_atom_entry_carries_the_same_dublin_core(world):
    entry = atom_entries(get(world.langson, "documents_atom"))[world.resolution.title]
    dublin_core = {name: entry.findtext(f"dc:{name}", namespaces=NS) for name in ("identifier", "creator", "date")}
    assert dublin_core == {"identifier": "57-NQ/TW", "creator": "Bộ Chính trị", "date": "2024-12-22"}


def test_feedparser_reads_the_dublin_core_fields(world):
    entry = feedparser.parse(get(world.langson, "documents_rss").content).entries[0]
    # feedparser reads dc:date as the entry's "updated"; pubDate stays its "published".
    assert (entry.dc_identifier, entry.author, entry.updated) == (
        "211/KH-UBND",
        "Ủy ban nhân dân tỉnh Lạng Sơn",
        "2025-08-12",
    )
    assert entry.published_parsed[:5] == T0.timetuple()[:5]


def test_a_document_without_code_or_issue_date_leaves_those_fields_out(world):
    item = rss_items(get(world.langson, "documents_rss"))[world.undated.title]
    assert item.find("dc:identifier", NS) is None and item.find("dc:date", NS) is None
    assert item.findtext("dc:creator", namespaces=NS) == "Ủy ban nhân dân tỉnh Lạng Sơn"


def test_the_dublin_core_namespace_is_declared_once_on_the_root(world):
    body = get(world.langson, "documents_rss").content.decode()
    assert body.count(f'xmlns:dc="{DC}"') == 1 and re.search(r"<rss [^>]*xmlns:dc=", body)


def test_the_guid_is_the_absolute_permalink_of_the_document_page_on_this_site(world):
    item = rss_items(get(world.langson, "documents_rss"))[world.plan.title]
    guid = item.find("guid")
    expected = page_url(world.langson, "document", slug=world.plan.slug)
    assert (guid.text, guid.get("isPermaLink"), item.findtext("link")) == (expected, "true", expected)
    assert Client().get(urlsplit(expected).path, HTTP_HOST=LANGSON).status_code == 200


def test_the_item_date_is_when_the_document_went_live_on_this_site(world):
    item = rss_items(get(world.langson, "documents_rss"))[world.plan.title]
    entry = atom_entries(get(world.langson, "documents_atom"))[world.plan.title]
    assert parsedate_to_datetime(item.findtext("pubDate")) == T0
    assert datetime.fromisoformat(entry.findtext(f"{{{ATOM}}}updated")) == T0


def test_the_description_is_the_document_body(world):
    entry = feedparser.parse(get(world.langson, "documents_rss").content).entries[0]
    assert entry.description == "<p>Mục tiêu: 100% hồ sơ được xử lý trực tuyến.</p>"


def test_a_document_without_body_is_described_by_its_summary(world):
    item = rss_items(get(world.langson, "documents_rss"))[world.resolution.title]
    assert item.findtext("description") == f"<p>{world.resolution.summary}</p>"


def test_the_rss_enclosure_is_the_signed_pdf_with_absolute_url_length_and_type(world):
    enclosures = rss_items(get(world.langson, "documents_rss"))[world.plan.title].findall("enclosure")
    assert [(e.get("url"), e.get("length"), e.get("type")) for e in enclosures] == [
        ("http://langson.localhost" + world.signed.file.url, str(len(PDF)), "application/pdf")
    ]


def test_the_enclosure_url_downloads_the_signed_pdf(world):
    url = rss_items(get(world.langson, "documents_rss"))[world.plan.title].find("enclosure").get("url")
    response = Client().get(urlsplit(url).path, HTTP_HOST=LANGSON)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200 and body == PDF


def test_the_atom_entry_links_the_signed_pdf_as_its_enclosure(world):
    entry = atom_entries(get(world.langson, "documents_atom"))[world.plan.title]
    links = [link for link in entry.findall("atom:link", NS) if link.get("rel") == "enclosure"]
    assert [(link.get("href"), link.get("length"), link.get("type")) for link in links] == [
        ("http://langson.localhost" + world.signed.file.url, str(len(PDF)), "application/pdf")
    ]


def test_without_a_signed_file_the_first_attachment_is_enclosed_with_its_own_type(world):
    DocumentAttachment.objects.filter(pk=world.signed.pk).delete()
    enclosure = rss_items(get(world.langson, "documents_rss"))[world.plan.title].find("enclosure")
    assert enclosure.get("url").endswith(world.appendix.file.url)
    assert enclosure.get("type") == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_the_channel_is_vietnamese_named_after_the_section_and_site_and_links_the_list(world):
    channel = xml(get(world.langson, "documents_rss")).find("channel")
    title = channel.findtext("title")
    assert "Chuyên mục Nghị quyết 57" in title and "Ủy ban nhân dân tỉnh Lạng Sơn" in title
    assert channel.findtext("language") == "vi"
    assert channel.findtext("link") == page_url(world.langson, "documents")


def test_the_channel_names_its_own_address_as_self(world):
    for name, find in [("documents_rss", "channel/atom:link"), ("news_atom", "atom:link[@rel='self']")]:
        assert xml(get(world.langson, name)).find(find, NS).get("href") == page_url(world.langson, name)


def test_a_conditional_get_with_the_etag_answers_304_without_a_body(world):
    etag = get(world.langson, "documents_rss")["ETag"]
    again = get(world.langson, "documents_rss", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag


def test_the_etag_is_strong(world):
    assert re.fullmatch(r'"[0-9a-f]{40}"', get(world.langson, "news_atom")["ETag"])


def test_a_conditional_get_with_last_modified_answers_304(world):
    last_modified = get(world.langson, "documents_atom")["Last-Modified"]
    again = get(world.langson, "documents_atom", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert again.status_code == 304 and again.content == b""


def test_the_news_feed_answers_a_conditional_get_too(world):
    first = get(world.langson, "news_rss")
    again = get(world.langson, "news_rss", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_a_new_publication_changes_the_etag_and_a_200_comes(world):
    first = get(world.langson, "documents_rss")
    republish(world.queued, world.langson.site, None)
    again = get(world.langson, "documents_rss", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    assert feedparser.parse(again.content).entries[0].title == world.queued.title


def test_a_withdrawal_moves_last_modified_so_a_date_only_client_gets_the_shorter_feed(world):
    first = get(world.langson, "documents_rss")
    withdraw(Publication.objects.get(document=world.resolution, site=world.langson.site), None, "Nhầm.")
    again = get(world.langson, "documents_rss", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200
    assert world.resolution.title not in [entry.title for entry in feedparser.parse(again.content).entries]


def test_an_empty_feed_keeps_its_etag_between_requests(world):
    inspectorate = world.platform["thanhtra-langson"]
    first, again = get(inspectorate, "documents_rss"), get(inspectorate, "documents_rss")
    assert first.status_code == 200 and first.content == again.content and first["ETag"] == again["ETag"]


def test_feeds_may_be_cached_for_a_minute(world):
    assert "max-age=60" in get(world.langson, "documents_rss")["Cache-Control"]


def test_a_post_to_a_feed_is_refused(world):
    response = Client().post(feed_url(world.langson, "documents_rss"), HTTP_HOST=LANGSON)
    assert response.status_code == 405


@pytest.mark.parametrize("name", ["documents_rss", "documents_atom"])
def test_a_hostile_title_and_body_come_out_as_text_in_a_well_formed_feed(world, name):
    response = get(world.langson, name)
    parsed = feedparser.parse(response.content)
    tree = xml(response)
    assert parsed.bozo == 0 and HOSTILE_TITLE in [entry.title for entry in parsed.entries]
    assert not [element for element in tree.iter() if element.tag.rsplit("}", 1)[-1] == "script"]
    assert b"<script>" not in response.content and b"&lt;script&gt;" in response.content


def test_the_hostile_body_reaches_the_reader_as_html_text_to_sanitise(world):
    item = rss_items(get(world.langson, "documents_rss"))[HOSTILE_TITLE]
    assert item.findtext("description") == HOSTILE_BODY


def test_control_characters_in_a_title_are_dropped_rather_than_breaking_the_feed(world):
    DirectiveDocument.objects.filter(pk=world.undated.pk).update(title="Thông báo\x0b kết luận\x1b")
    response = get(world.langson, "documents_rss")
    assert response.status_code == 200 and feedparser.parse(response.content).bozo == 0
    assert "Thông báo kết luận" in rss_items(response)


def test_the_news_feed_lists_the_sections_live_items_only(world):
    titles = [entry.title for entry in feedparser.parse(get(world.langson, "news_rss").content).entries]
    assert titles == [world.article.title, world.video.title]


def test_an_unpublished_article_leaves_the_news_feed_and_moves_last_modified(world):
    first = get(world.langson, "news_atom")
    world.article.unpublish()
    again = get(world.langson, "news_atom", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200
    assert [entry.title for entry in feedparser.parse(again.content).entries] == [world.video.title]


def test_a_news_item_links_its_page_and_is_summarised_by_its_lead(world):
    entry = feedparser.parse(get(world.langson, "news_rss").content).entries[0]
    expected = "http://langson.localhost" + world.article.relative_url(world.langson.site)
    assert (entry.link, entry.id, entry.summary) == (expected, expected, f"<p>{world.article.lead}</p>")
    assert entry.author == "Nguyễn Văn An"


def test_a_video_item_encloses_its_file(world):
    entry = atom_entries(get(world.langson, "news_atom"))[world.video.title]
    link = next(link for link in entry.findall("atom:link", NS) if link.get("rel") == "enclosure")
    assert (link.get("href"), link.get("type")) == ("http://langson.localhost" + world.clip.url, "video/mp4")
    assert link.get("length") == str(len(CLIP))


def test_an_infographic_appears_in_the_news_feed(world):
    image = Image.objects.create(title="Đồ họa", file=get_test_image_file(filename="do-hoa.png"))
    page = InfographicPage(title="Đồ họa: tiến độ chuyển đổi số", date=T0 + timedelta(hours=1))
    page.images = [InfographicImage(image=image, alt_text="Tiến độ", long_description="80% thủ tục trực tuyến.")]
    publish_page(world.langson.section, page)
    entries = feedparser.parse(get(world.langson, "news_rss").content).entries
    assert entries[0].title == page.title and entries[0].tags[0].term == "Đồ họa thông tin"


def feed_links(html):
    head = parse(html).find("head")
    return {
        (link.get("type"), link.get("href"))
        for link in head.iter("link")
        if link.get("rel") == "alternate" and link.get("title")
    }


def expected_links(setup):
    """The feeds' paths: the links are relative, so a page loads nothing from another host."""
    return {
        ("application/rss+xml", urlsplit(page_url(setup, "documents_rss")).path),
        ("application/atom+xml", urlsplit(page_url(setup, "documents_atom")).path),
        ("application/rss+xml", urlsplit(page_url(setup, "news_rss")).path),
        ("application/atom+xml", urlsplit(page_url(setup, "news_atom")).path),
    }


def test_the_section_page_announces_its_feeds_on_its_own_host(world):
    html = Client().get(world.langson.section.relative_url(world.langson.site), HTTP_HOST=LANGSON).content.decode()
    assert feed_links(html) == expected_links(world.langson)


def test_an_article_page_announces_its_sites_feeds(world):
    html = Client().get(world.article.relative_url(world.langson.site), HTTP_HOST=LANGSON).content.decode()
    assert feed_links(html) == expected_links(world.langson)


def test_the_commune_home_page_announces_the_communes_feeds(world):
    html = Client().get("/", HTTP_HOST=COMMUNE).content.decode()
    links = feed_links(html)
    assert links == expected_links(world.commune) and all(href.startswith("/") for _t, href in links)


def test_every_announced_feed_answers(world):
    html = Client().get("/", HTTP_HOST=LANGSON).content.decode()
    for _type, href in feed_links(html):
        assert Client().get(urlsplit(href).path, HTTP_HOST=LANGSON).status_code == 200


def test_a_page_announcing_its_feeds_is_still_strict_html5(world):
    html = Client().get(world.langson.section.relative_url(world.langson.site), HTTP_HOST=LANGSON).content.decode()
    html5lib.HTMLParser(strict=True).parse(html)


def test_a_not_found_page_of_a_site_still_announces_that_sites_feeds(world):
    response = Client().get("/khong-co-trang-nay/", HTTP_HOST=LANGSON)
    assert response.status_code == 404 and feed_links(response.content.decode()) == expected_links(world.langson)


def test_a_site_whose_section_is_not_live_announces_no_feeds(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world.commune.section.unpublish()
    assert feed_links(Client().get("/", HTTP_HOST=COMMUNE).content.decode()) == set()


def test_a_title_without_its_code_is_given_the_code_first_so_the_next_level_recognises_it(world):
    from news57.document_codes import own_and_cited
    from news57.public.feeds import item_title

    document = DirectiveDocument(code="618/KH-VPUBND", title="Kế hoạch truyền thông về chuyển đổi số năm 2025")
    document.derive_fields(with_slug=False)
    own, _cited = own_and_cited(item_title(document))
    assert own.key == "618/KH-VPUBND"
    titled = DirectiveDocument(code="211/KH-UBND", title="Kế hoạch số 211/KH-UBND ngày 12/8/2025 của UBND tỉnh")
    titled.derive_fields(with_slug=False)
    assert item_title(titled) == titled.title
