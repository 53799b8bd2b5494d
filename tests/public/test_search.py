"""A reader searches one site's section as a person would: without diacritics, by code however typed, in one
ranked list of news, infographics, videos and documents, narrowed by facets.

The fixture is built so that each ranking test fails under a naive order: the result
that must come first is always the oldest, or the one the backend's own score puts
lower. The PostgreSQL pass of CI runs the same tests on PostgreSQL's search.
"""

from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.rich_text import RichText

from markup import parse, text_of, visible_text
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
from news57.public.search import PAGE_SIZE

pytestmark = pytest.mark.django_db

LANGSON = "langson.localhost"
COMMUNE = "hoangvanthu.localhost"
T0 = datetime(2025, 9, 1, 2, 0, tzinfo=timezone.utc)
MEETINGS = PAGE_SIZE + 3


def day(n):
    return T0 + timedelta(days=n)


def publish(section, page):
    section.add_child(instance=page)
    page.save_revision().publish()
    return page


def article(section, title, when, lead="", body=None, topics=()):
    page = ArticlePage(title=title, lead=lead, date=when, body=body or [])
    page = publish(section, page)
    if topics:
        page.topics.set(topics)
        page.save_revision().publish()
    return page


def live(setup, issuer, code, title, issued_on, **fields):
    """A document carried live on the setup's site."""
    document = DirectiveDocument.objects.create(code=code, title=title, issuer=issuer, issued_on=issued_on, **fields)
    Publication.objects.create(document=document, site=setup.site, status=PublicationStatus.PUBLISHED, published_at=T0)
    return document


def build(platform):
    """One section's content for each test below; the commune's site holds look-alikes that must never show."""
    langson, commune = platform["langson"], platform["hoangvanthu"]
    section, province = langson.section, langson.agency
    cds = Topic.objects.create(name="Chuyển đổi số", slug="chuyen-doi-so")
    khcn = Topic.objects.create(name="Khoa học công nghệ", slug="khoa-hoc-cong-nghe")
    made = SimpleNamespace(section=section, site=langson.site)

    # Folding both ways, accents and syllables. The page that must come first is the oldest.
    made.storm = article(section, "Bão số 3 gây thiệt hại ở vùng cao", day(1), lead="Cơn bão đi qua tỉnh.")
    made.report = article(section, "Báo cáo kết quả giao ban tháng 9", day(20), lead="Báo cáo gửi Sở.")
    made.family = article(section, "Gia đình số ở Lạng Sơn", day(2), lead="Mỗi gia đình một tài khoản số.")
    made.posting = article(section, "Đăng tải văn bản đúng hạn", day(3), lead="Các cơ quan đăng tải kịp thời.")
    made.unaccented = article(section, "Chuyen doi so o xa vung cao", day(4), lead="Bai viet go khong dau.")

    # Chuyển đổi số across every kind, with topics, issuers and years for the facets.
    made.cds_article = article(
        section, "Chuyển đổi số trong cơ quan nhà nước", day(5), lead="Tin tức về chuyển đổi số.", topics=[cds]
    )
    made.cds_article2 = article(
        section, "Hội thảo chuyển đổi số cấp tỉnh", day(6), lead="Khoa học và chuyển đổi số.", topics=[cds, khcn]
    )
    infographic = InfographicPage(title="Infographic: chuyển đổi số năm 2025", lead="Số liệu", date=day(7))
    infographic.images.add(
        InfographicImage(image=_image(), alt_text="Biểu đồ", long_description="Tỷ lệ hồ sơ trực tuyến tăng.")
    )
    made.cds_infographic = publish(section, infographic)
    made.cds_video = publish(
        section,
        VideoPage(
            title="Video: chuyển đổi số ở xã",
            lead="Phóng sự",
            date=day(8),
            embed_url="https://www.youtube.com/watch?v=n57search01",
            transcript="Người dân dùng dịch vụ công trực tuyến.",
        ),
    )

    # Codes: the 2025 plan must come first although the inspectorate's newer plan cites its code in its title.
    made.plan = live(
        langson,
        province,
        "211/KH-UBND",
        "Kế hoạch thực hiện Nghị quyết 57 về chuyển đổi số năm 2025",
        date(2025, 8, 12),
        summary="Triển khai chuyển đổi số trên địa bàn tỉnh.",
    )
    made.plan_2024 = live(langson, province, "211/KH-UBND", "Kế hoạch cải cách hành chính năm 2024", date(2024, 5, 2))
    made.citing = live(
        langson,
        platform["thanhtra-langson"].agency,
        "262/KH-TTr",
        "Kế hoạch 262/KH-TTr kiểm tra việc thực hiện Kế hoạch 211/KH-UBND của UBND tỉnh năm 2025",
        date(2025, 10, 1),
    )
    made.decision = live(
        langson,
        platform["thu-tuong"].agency,
        "1169/QĐ-TTg",
        "Quyết định phê duyệt chương trình chuyển đổi số quốc gia",
        date(2024, 6, 14),
    )
    made.decision.topics.set([cds])
    made.decision.save()
    made.queued = DirectiveDocument.objects.create(
        code="300/KH-UBND", title="Kế hoạch chuyển đổi số chưa đăng", issuer=province, issued_on=date(2025, 11, 1)
    )
    Publication.objects.create(document=made.queued, site=langson.site, status=PublicationStatus.QUEUED)

    # Title above code above summary above body: the title match is the oldest, the body match the newest.
    made.in_title = live(langson, province, "15/TB-TTr", "Thông báo kết luận của UBND tỉnh về hạ tầng", date(2025, 1, 5))
    made.in_code = live(langson, province, "16/TB-UBND", "Thông báo lịch tiếp công dân", date(2025, 2, 5))
    made.in_summary = article(section, "Tin về hạ tầng viễn thông", day(30), lead="Làm việc với UBND tỉnh.")
    made.in_body = article(
        section,
        "Tin về cáp quang",
        day(40),
        lead="Tin ngắn.",
        body=[("paragraph", RichText("<p>Đề xuất gửi <b>UBND</b> tỉnh xem xét.</p>"))],
    )

    # Equal relevance: the newer first, though it was made first.
    made.newer = article(section, "Phiên chợ nông sản trực tuyến tháng 10", day(50))
    made.older = article(section, "Phiên chợ nông sản trực tuyến tháng 3", day(10))

    # Pagination: more meetings than a page holds, each a day apart.
    made.meetings = [article(section, f"Hội nghị sơ kết lần {n}", day(60 + n)) for n in range(MEETINGS)]

    # What must never show: a draft, and the commune's look-alike.
    draft = ArticlePage(title="Chuyển đổi số bản nháp", date=day(9), live=False)
    section.add_child(instance=draft)
    draft.save_revision()
    made.commune_lookalike = article(commune.section, "Chuyển đổi số ở xã Hoàng Văn Thụ", day(9))
    return made


def _image():
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    return Image.objects.create(title="Biểu đồ", file=get_test_image_file(filename="bieu-do.png"))


@pytest.fixture(scope="module")
def made(module_platform, django_db_blocker, tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")), django_db_blocker.unblock():
        built = build(module_platform.fresh())
        section_url = built.section.relative_url(built.site)
        yield SimpleNamespace(
            **{
                name: ([page.title for page in value] if isinstance(value, list) else value.title)
                for name, value in vars(built).items()
                if name != "site"
            },
            section_url=section_url,
            search_url=section_url + "tim-kiem/",
            documents_url=section_url + "van-ban/",
        )


def search(made, host=LANGSON, **params):
    response = Client().get(made.search_url, params, HTTP_HOST=host)
    assert response.status_code == 200
    return response


def shown_text(response):
    return visible_text(parse(response.content.decode()))


def joined(element):
    """The element's text as read: marks inside a word or code add no space."""
    return " ".join("".join(element.itertext()).split())


def titles(response):
    return [joined(a) for a in parse(response.content.decode()).findall(".//main//ol[@class='search-results']/li/h2/a")]


def facet_counts(response):
    """{facet title: {option label: count}} as the reader sees them."""
    counts = {}
    for group in parse(response.content.decode()).findall(".//aside[@class='facets']/section"):
        options = {}
        for link in group.findall(".//li/a"):
            label = text_of(link)
            if "(" in label:
                name, _, count = label.rpartition(" (")
                options[name] = int(count.rstrip(")"))
        counts[text_of(group.find("h2"))] = options
    return counts


def facet_link(response, group_title, label):
    for group in parse(response.content.decode()).findall(".//aside[@class='facets']/section"):
        if text_of(group.find("h2")) == group_title:
            for link in group.findall(".//li/a"):
                if text_of(link).startswith(label + " ("):
                    return link.get("href")
    raise AssertionError(f"no {label!r} under {group_title!r}")


class TestFolding:
    def test_a_query_without_diacritics_finds_the_accented_text(self, platform, made):
        found = titles(search(made, q="chuyen doi so"))
        assert made.cds_article in found
        assert made.plan in found

    def test_an_accented_query_finds_text_typed_without_diacritics(self, platform, made):
        assert made.unaccented in titles(search(made, q="chuyển đổi số"))

    def test_dang_tai_finds_dang_tai_with_its_marks(self, platform, made):
        assert titles(search(made, q="dang tai")) == [made.posting]

    def test_every_kind_is_found(self, platform, made):
        found = titles(search(made, q="chuyen doi so"))
        for title in (made.cds_article, made.cds_infographic, made.cds_video, made.plan, made.decision):
            assert title in found

    def test_an_infographics_image_descriptions_and_a_videos_transcript_are_searched(self, platform, made):
        assert titles(search(made, q="ho so truc tuyen")) == [made.cds_infographic]
        assert titles(search(made, q="dich vu cong")) == [made.cds_video]

    def test_drafts_queued_documents_and_other_sites_never_show(self, platform, made):
        found = titles(search(made, q="chuyen doi so"))
        assert "Chuyển đổi số bản nháp" not in found
        assert "Kế hoạch chuyển đổi số chưa đăng" not in found
        assert made.commune_lookalike not in found
        assert made.commune_lookalike in titles(search(made, host=COMMUNE, q="chuyen doi so"))


class TestRanking:
    def test_the_accented_word_typed_comes_before_its_folded_look_alike(self, platform, made):
        # "Báo cáo" is newer and the backend folds both to "bao": only the accents tell them apart.
        assert titles(search(made, q="bão"))[:2] == [made.storm, made.report]
        found = titles(search(made, q="báo"))
        assert found[0] == made.report
        # Every page with "báo" itself ("Thông báo …") comes before the storm.
        assert found.index(made.in_code) < found.index(made.storm)

    def test_without_diacritics_both_are_found(self, platform, made):
        assert set(titles(search(made, q="bao"))) >= {made.storm, made.report}

    def test_whole_syllables_only(self, platform, made):
        # "giao ban" holds "gia" as a prefix, not as a syllable.
        found = titles(search(made, q="gia"))
        assert found[0] == made.family
        assert made.decision in found  # "quốc gia"
        assert made.report not in found

    def test_title_above_code_above_summary_above_body(self, platform, made):
        found = titles(search(made, q="ubnd"))
        order = [made.in_title, made.in_code, made.in_summary, made.in_body]
        assert [title for title in found if title in order] == order

    def test_newer_above_older_at_equal_relevance(self, platform, made):
        assert titles(search(made, q="phien cho nong san")) == [made.newer, made.older]

    @pytest.mark.parametrize("typed", ["211/KH-UBND", "211 kh ubnd", "211-KH-UBND", "211/kh-ubnd 2025"])
    def test_a_code_however_typed_puts_its_document_first(self, platform, made, typed):
        assert titles(search(made, q=typed))[0] == made.plan

    def test_a_document_citing_the_code_follows_it(self, platform, made):
        found = titles(search(made, q="211/KH-UBND"))
        assert found.index(made.plan) < found.index(made.plan_2024) < found.index(made.citing)

    def test_the_year_typed_picks_that_years_document(self, platform, made):
        assert titles(search(made, q="211/KH-UBND 2024"))[0] == made.plan_2024

    def test_the_words_found_are_marked_in_title_and_snippet(self, platform, made):
        html = parse(search(made, q="chuyen doi so").content.decode())
        hit = next(li for li in html.findall(".//ol[@class='search-results']/li") if joined(li.find("h2")) == made.plan)
        assert [text_of(mark) for mark in hit.find("h2").iter("mark")] == ["chuyển", "đổi", "số"]
        assert "chuyển" in [text_of(mark) for mark in hit.find(".//p[@class='search-hit__snippet']").iter("mark")]


class TestFacets:
    def test_counts_per_kind_topic_issuer_and_year(self, platform, made):
        counts = facet_counts(search(made, q="chuyen doi so"))
        assert counts["Loại nội dung"] == {"Tin tức": 3, "Đồ họa thông tin": 1, "Video": 1, "Văn bản chỉ đạo": 2}
        assert counts["Chủ đề"] == {"Chuyển đổi số": 3, "Khoa học công nghệ": 1}
        assert counts["Cơ quan ban hành"] == {"Thủ tướng Chính phủ": 1, "Ủy ban nhân dân tỉnh Lạng Sơn": 1}
        assert counts["Năm"] == {"2025": 6, "2024": 1}

    def test_a_chosen_facet_narrows_the_list_and_the_other_facets_counts(self, platform, made):
        first = search(made, q="chuyen doi so")
        href = facet_link(first, "Loại nội dung", "Văn bản chỉ đạo")
        narrowed = search(made, **{key: values[0] for key, values in parse_qs(urlsplit(href).query).items()})
        assert titles(narrowed) == [made.plan, made.decision]
        counts = facet_counts(narrowed)
        # The kind facet still counts every kind, so the reader sees what switching would give.
        assert counts["Loại nội dung"]["Tin tức"] == 3
        assert counts["Chủ đề"] == {"Chuyển đổi số": 1}
        assert counts["Năm"] == {"2025": 1, "2024": 1}

    def test_two_facets_together(self, platform, made):
        narrowed = search(made, q="chuyen doi so", **{"chu-de": "chuyen-doi-so", "nam": "2025"})
        assert titles(narrowed) == [made.cds_article2, made.cds_article]

    @pytest.mark.parametrize(
        "params",
        [{"muc": "<script>"}, {"nam": "abc"}, {"chu-de": "khong-co"}, {"co-quan": "x" * 300}, {"trang": "-3"}],
    )
    def test_a_value_not_offered_is_ignored(self, platform, made, params):
        assert len(titles(search(made, q="chuyen doi so", **params))) == 7


class TestPagination:
    def test_pages_of_ten_newest_first_keeping_the_query(self, platform, made):
        first = search(made, q="hoi nghi so ket")
        newest_first = list(reversed(made.meetings))
        assert titles(first) == newest_first[:PAGE_SIZE]
        html = parse(first.content.decode())
        next_link = html.find(".//nav[@class='pagination']//a[@rel='next']").get("href")
        assert parse_qs(urlsplit(next_link).query) == {"q": ["hoi nghi so ket"], "trang": ["2"]}
        second = search(made, q="hoi nghi so ket", trang="2")
        assert titles(second) == newest_first[PAGE_SIZE:]
        assert f"{MEETINGS} kết quả" in shown_text(second)

    def test_a_page_past_the_end_shows_the_last(self, platform, made):
        assert titles(search(made, q="hoi nghi so ket", trang="99")) == list(reversed(made.meetings))[PAGE_SIZE:]


class TestNothingFound:
    def test_the_reader_is_told_the_folded_spelling_was_tried_and_shown_the_latest_documents(self, platform, made):
        text = shown_text(search(made, q="tuyết băng"))
        assert "Không tìm thấy kết quả nào cho “tuyết băng”" in text
        assert "không dấu “tuyet bang”" in text
        assert "Văn bản chỉ đạo mới nhất" in text
        assert made.in_code in text

    def test_some_of_the_words_when_none_holds_them_all(self, platform, made):
        response = search(made, q="hội nghị sơ kết ngoài trời")
        assert "chứa một phần" in shown_text(response)
        assert titles(response)[0] == made.meetings[-1]

    def test_an_empty_query_shows_the_box_and_no_results(self, platform, made):
        response = search(made, q="   ")
        assert titles(response) == []
        assert parse(response.content.decode()).find(".//main//input[@name='q']") is not None

    @pytest.mark.parametrize(
        "typed",
        ['"chuyen" OR (NEAR*', "chuyển\x00đổi", "a" * 5000, "<script>alert(1)</script>", "' OR 1=1 --", "***"],
    )
    def test_hostile_queries_answer_200_and_are_escaped(self, platform, made, typed):
        html = search(made, q=typed).content.decode()
        assert "<script>alert(1)" not in html


class TestEveryPage:
    def test_each_page_has_a_search_box_sent_to_the_sections_search(self, platform, made):
        client = Client()
        for url in ("/", made.section_url, made.documents_url, made.search_url):
            html = parse(client.get(url, HTTP_HOST=LANGSON).content.decode())
            form = html.find(".//header//form[@role='search']")
            assert form is not None, url
            assert form.get("action") == made.search_url
            assert form.find(".//input[@name='q']") is not None

    def test_words_typed_into_the_documents_list_go_to_the_search(self, platform, made):
        response = Client().get(made.documents_url, {"q": "211/KH-UBND"}, HTTP_HOST=LANGSON)
        assert response.status_code == 302
        target = urlsplit(response["Location"])
        assert target.path == made.search_url
        assert parse_qs(target.query) == {"q": ["211/KH-UBND"], "muc": ["van-ban"]}

    def test_results_are_not_indexed_by_search_engines(self, platform, made):
        meta = parse(search(made, q="chuyen doi so").content.decode()).find(".//head/meta[@name='robots']")
        assert meta.get("content") == "noindex, follow"


# A cache of this process alone: one that other modules filled may drop the site lookups between the two
# requests counted (CI's SQLite pass did), and on Redis another process's clear() empties every process's.
OWN_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-search-queries"}}


@override_settings(CACHES=OWN_CACHE)
def test_the_number_of_queries_does_not_grow_with_the_results_shown(platform, made):
    cache.clear()
    client = Client()
    client.get(made.search_url, {"q": "hoi nghi"}, HTTP_HOST=LANGSON)  # site roots cached, as after any first request
    counts = {}
    for query, shown in (("phien cho nong san", 2), ("hoi nghi so ket", PAGE_SIZE)):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(made.search_url, {"q": query}, HTTP_HOST=LANGSON)
        assert len(titles(response)) == shown
        counts[shown] = len(queries)
    assert counts[2] == counts[PAGE_SIZE]

