"""Each agency site lists and serves its own live publications of the shared directive documents."""

import json
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import html5lib
import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.test import Client, override_settings
from wagtail.documents.models import Document

from markup import parse, text_of, untranslated_message_ids, visible_text
from news57.demo.agencies import provision_demo_agencies
from news57.models import (
    DirectiveDocument,
    DocumentAttachment,
    LegalStatus,
    Publication,
    PublicationStatus,
    Topic,
)
from news57.models.pages import DOCUMENT_PAGE_SIZE
from news57.republishing.actions import republish, withdraw

LANGSON = "langson.localhost"
COMMUNE = "hoangvanthu.localhost"
HOSTILE_TITLE = 'Kế hoạch <script>alert("x")</script> <img src=x onerror=alert(1)> & "trích dẫn"'
PDF = b"%PDF-1.4\n% signed plan\n" + b"0" * 1_300_000 + b"\n%%EOF\n"
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
T0 = datetime(2025, 8, 12, 1, 0, tzinfo=timezone.utc)

pytestmark = pytest.mark.django_db


def document(issuer, code, title, **fields):
    return DirectiveDocument.objects.create(code=code, title=title, issuer=issuer, **fields)


def publication(doc, setup, status, at=None):
    return Publication.objects.create(
        document=doc, site=setup.site, status=status, published_at=at if status != PublicationStatus.QUEUED else None
    )


def attach(doc, name, content, **fields):
    file = Document.objects.create(title=name, file=ContentFile(content, name=name))
    return DocumentAttachment.objects.create(document=doc, file=file, **fields)


def build(platform):
    """Documents of central, provincial and commune level, published, queued, declined and withdrawn."""
    langson, commune = platform["langson"], platform["hoangvanthu"]
    editor = None
    live = PublicationStatus.PUBLISHED
    resolution = document(
        platform["bo-chinh-tri"].agency,
        "57-NQ/TW",
        "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, "
        "đổi mới sáng tạo và chuyển đổi số quốc gia",
        issued_on=date(2024, 12, 22),
    )
    decision = document(
        platform["thu-tuong"].agency,
        "1169/QĐ-TTg",
        "Quyết định số 1169/QĐ-TTg ngày 14/6/2025 của Thủ tướng Chính phủ",
        issued_on=date(2025, 6, 14),
    )
    plan = document(
        langson.agency,
        "211/KH-UBND",
        "Kế hoạch số 211/KH-UBND ngày 12/8/2025 của UBND tỉnh Lạng Sơn thực hiện Quyết định số 1169/QĐ-TTg "
        "và Nghị quyết số 03/NQ-CP",
        issued_on=date(2025, 8, 12),
        effective_on=date(2025, 8, 15),
        signer="Nguyễn Văn Bình",
        summary="Triển khai chuyển đổi số trên địa bàn tỉnh năm 2025.",
        body="<p>Mục tiêu: 100% hồ sơ được xử lý trực tuyến.</p>",
        source_url="https://langson.gov.vn/van-ban/211-kh-ubnd",
    )
    plan.topics.add(Topic.objects.get_or_create(name="Chuyển đổi số")[0])
    plan.save()  # a cluster's many-to-many is written on save
    signed = attach(plan, "kh-211-ky-so.pdf", PDF, label="Bản ký số", is_signed=True)
    appendix = attach(plan, "phu-luc.pdf", b"%PDF-1.4\n" + b"1" * 2_000 + b"\n%%EOF\n")
    old_plan = document(
        langson.agency,
        "56/KH-UBND",
        "Kế hoạch số 56/KH-UBND ngày 03/3/2024 của UBND tỉnh Lạng Sơn",
        issued_on=date(2024, 3, 3),
        legal_status=LegalStatus.REPLACED,
        replaced_by=plan,
    )
    amended = document(
        langson.agency, "33/KH-UBND", "Kế hoạch số 33/KH-UBND ngày 10/2/2025 của UBND tỉnh Lạng Sơn",
        issued_on=date(2025, 2, 10), legal_status=LegalStatus.AMENDED,
    )
    amendment = document(
        langson.agency, "2653/KH-UBND", "Kế hoạch số 2653/KH-UBND ngày 20/5/2025 của UBND tỉnh Lạng Sơn",
        issued_on=date(2025, 5, 20),
    )
    amended.amended_by.add(amendment)
    amended.save()
    queued = document(langson.agency, "618/KH-VPUBND", "Kế hoạch số 618/KH-VPUBND ngày 01/9/2025")
    declined = document(langson.agency, "262/KH-TTr", "Kế hoạch số 262/KH-TTr ngày 02/9/2025")
    withdrawn = document(langson.agency, "150-CTr/TU", "Chương trình số 150-CTr/TU ngày 05/9/2025 của Tỉnh ủy")
    never_live = document(langson.agency, "71/NQ-CP", "Nghị quyết số 71/NQ-CP ngày 06/9/2025")
    hostile = document(langson.agency, "", HOSTILE_TITLE, issued_on=date(2025, 9, 7))

    for offset, doc in enumerate([resolution, decision, old_plan, amended, hostile]):
        publication(doc, langson, live, T0 - timedelta(days=10 - offset))
    publication(plan, langson, live, T0)
    republish(plan, commune.site, editor, at=T0 + timedelta(hours=3))
    publication(queued, langson, PublicationStatus.QUEUED)
    publication(declined, langson, PublicationStatus.DECLINED)
    withdraw(republish(withdrawn, langson.site, editor, at=T0), editor, "Văn bản ban hành nhầm, đã thay thế.")
    publication(never_live, langson, PublicationStatus.WITHDRAWN)
    return SimpleNamespace(
        plan=plan, decision=decision, resolution=resolution, old_plan=old_plan, amended=amended,
        amendment=amendment, queued=queued, declined=declined, withdrawn=withdrawn, never_live=never_live,
        hostile=hostile, signed=signed, appendix=appendix, langson=langson, commune=commune,
    )


def list_url(setup, query=""):
    section = setup.section
    return section.relative_url(setup.site) + section.reverse_subpage("documents") + query


def detail_url(setup, doc):
    section = setup.section
    return section.relative_url(setup.site) + section.reverse_subpage("document", kwargs={"slug": doc.slug})


QUERIES = {
    "type_decision": "?loai=QĐ",
    "issuer_langson": "?co-quan=langson",
    "year_2024": "?nam=2024",
    "type_and_year": "?loai=KH&nam=2025",
    "bogus_type": "?loai=XYZ",
    "bogus_year": "?nam=abc",
    "bogus_year_number": "?nam=1800",
    "bogus_issuer": "?co-quan=%3Cscript%3E",
    "bogus_everything": "?loai=%00&co-quan[]=x&nam=99999999999999999999&trang=-3",
}


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker, tmp_path_factory):
    """The document pages of both sites, rendered once; the data is rolled back afterwards."""
    client = Client()
    answers = {}

    def fetch(name, url, host=LANGSON):
        response = client.get(url, HTTP_HOST=host)
        answers[name] = SimpleNamespace(status=response.status_code, html=response.content.decode())

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        with transaction.atomic():
            world = build(provision_demo_agencies(port=80))
            langson, commune = world.langson, world.commune
            fetch("list", list_url(langson))
            fetch("section", langson.section.relative_url(langson.site))
            fetch("plan", detail_url(langson, world.plan))
            fetch("plan_on_commune", detail_url(commune, world.plan), host=COMMUNE)
            fetch("commune_list", list_url(commune), host=COMMUNE)
            for name in ("decision", "old_plan", "amended", "hostile", "queued", "declined", "withdrawn", "never_live"):
                fetch(name, detail_url(langson, getattr(world, name)))
            fetch("decision_on_commune", detail_url(commune, world.decision), host=COMMUNE)
            fetch("unknown", list_url(langson) + "khong-co-van-ban-nay/")
            for name, query in QUERIES.items():
                fetch(name, list_url(langson, query))
            facts = SimpleNamespace(
                plan_title=world.plan.title,
                decision_title=world.decision.title,
                plan_urls={"langson": detail_url(langson, world.plan), "commune": detail_url(commune, world.plan)},
                decision_url=detail_url(langson, world.decision),
                list_url=list_url(langson),
                signed_url=world.signed.file.url,
                signed_sha256=world.signed.sha256,
                plan_documents=DirectiveDocument.objects.filter(code_key="211/KH-UBND").count(),
                live_titles_newest_first=[
                    p.document.title
                    for p in Publication.objects.filter(site=langson.site, status="published").order_by("-published_at")
                ],
            )
            transaction.set_rollback(True)
    # Wagtail caches site roots; they named rows that no longer exist.
    cache.clear()
    return SimpleNamespace(answers=answers, **vars(facts))


def listed_titles(html):
    return [text_of(a) for a in parse(html).findall(".//main//article//h2/a")]


def metadata(html):
    """The detail page's table as {row heading: cell element}."""
    rows = parse(html).findall(".//main//table//tr")
    return {text_of(row.find("th")): row.find("td") for row in rows}


PAGES = ["list", "section", "plan", "plan_on_commune", "commune_list", "old_plan", "amended", "hostile", "withdrawn"]


@pytest.fixture(params=PAGES + list(QUERIES))
def answer(request, rendered):
    return rendered.answers[request.param]


def test_one_document_published_on_two_sites_gives_two_live_pages(rendered):
    assert rendered.answers["plan"].status == 200 and rendered.answers["plan_on_commune"].status == 200
    for name in ("plan", "plan_on_commune"):
        assert text_of(parse(rendered.answers[name].html).find(".//h1")) == rendered.plan_title


def test_one_document_published_on_two_sites_stays_one_document(rendered):
    assert rendered.plan_documents == 1


def test_a_second_publication_on_the_same_site_is_refused_by_the_database(platform):
    doc = document(platform["langson"].agency, "211/KH-UBND", "Kế hoạch số 211/KH-UBND ngày 12/8/2025")
    Publication.objects.create(document=doc, site=platform["langson"].site)
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.create(document=doc, site=platform["langson"].site, status=PublicationStatus.PUBLISHED)
    assert Publication.objects.filter(document=doc).count() == 1


@pytest.mark.parametrize("name", ["queued", "declined", "never_live", "unknown"])
def test_a_publication_that_is_not_live_answers_404(rendered, name):
    assert rendered.answers[name].status == 404


def test_a_document_live_on_the_province_answers_404_on_the_commune_site(rendered):
    assert rendered.answers["decision"].status == 200
    assert rendered.answers["decision_on_commune"].status == 404


def test_a_withdrawn_publication_answers_404_with_its_notice_and_reason(rendered):
    withdrawn = rendered.answers["withdrawn"]
    assert withdrawn.status == 404
    notice = text_of(parse(withdrawn.html).find(".//main"))
    assert "Văn bản này đã được gỡ khỏi trang ngày" in notice and "Văn bản ban hành nhầm, đã thay thế." in notice


def test_a_withdrawn_publication_never_live_gives_a_plain_404(rendered):
    html = rendered.answers["never_live"].html
    assert text_of(parse(html).find(".//h1")) == "Không tìm thấy trang" and "đã được gỡ" not in html


def test_the_list_shows_only_this_sites_live_publications_newest_first(rendered):
    assert listed_titles(rendered.answers["list"].html) == rendered.live_titles_newest_first
    assert rendered.answers["list"].status == 200


def test_the_commune_list_shows_the_republished_plan_only(rendered):
    assert listed_titles(rendered.answers["commune_list"].html) == [rendered.plan_title]


@pytest.mark.parametrize(
    "name, expected",
    [("type_decision", 1), ("issuer_langson", 4), ("year_2024", 2), ("type_and_year", 2)],
)
def test_filters_narrow_the_list(rendered, name, expected):
    titles = listed_titles(rendered.answers[name].html)
    assert len(titles) == expected and set(titles) < set(rendered.live_titles_newest_first)


def test_the_type_filter_keeps_only_that_type(rendered):
    assert listed_titles(rendered.answers["type_decision"].html) == [rendered.decision_title]


@pytest.mark.parametrize("name", [name for name in QUERIES if name.startswith("bogus")])
def test_a_bogus_filter_value_is_ignored(rendered, name):
    assert rendered.answers[name].status == 200
    assert listed_titles(rendered.answers[name].html) == rendered.live_titles_newest_first


def test_the_filters_are_labelled_and_offer_what_the_site_carries_in_vietnamese(rendered):
    form = parse(rendered.answers["list"].html).find(".//main//form")
    labels = {label.get("for"): text_of(label) for label in form.iter("label")}
    selects = {select.get("id"): select for select in form.iter("select")}
    assert set(labels) == set(selects) and len(selects) == 4
    assert labels["id_chu-de"] == "Chủ đề"
    # Each choice says how many live documents it leaves, with no other filter chosen: of the six live here,
    # three plans (56, 33 and 211/KH-UBND), two of 2024 (57-NQ/TW, 56/KH-UBND), four of the province's.
    options = {text_of(option) for select in selects.values() for option in select.iter("option")}
    assert {"Quyết định (1)", "Nghị quyết (1)", "Kế hoạch (3)", "Bộ Chính trị (1)", "2024 (2)", "2025 (4)"} <= options
    assert "Ủy ban nhân dân tỉnh Lạng Sơn (4)" in options
    assert "Chuyển đổi số (1)" in options
    assert not [option for option in options if option.startswith(("Ủy ban nhân dân xã Hoàng Văn Thụ", "Thông tư"))]


def test_the_chosen_filter_stays_selected(rendered):
    selected = parse(rendered.answers["year_2024"].html).findall(".//select[@name='nam']/option[@selected]")
    assert [option.get("value") for option in selected] == ["2024"]


def test_the_detail_page_shows_the_metadata_a_portal_must_show(rendered):
    rows = metadata(rendered.answers["plan"].html)
    expected = {
        "Số ký hiệu": "211/KH-UBND",
        "Loại văn bản": "Kế hoạch",
        "Cơ quan ban hành": "Ủy ban nhân dân tỉnh Lạng Sơn",
        "Ngày ban hành": "12/08/2025",
        "Ngày hiệu lực": "15/08/2025",
        "Người ký": "Nguyễn Văn Bình",
        "Trích yếu": "Triển khai chuyển đổi số trên địa bàn tỉnh năm 2025.",
        "Tình trạng hiệu lực": "Còn hiệu lực",
        "Lĩnh vực, chủ đề": "Chuyển đổi số",
    }
    assert {heading: text_of(rows[heading]) for heading in expected if heading in rows} == expected


def test_the_metadata_table_heads_its_rows(rendered):
    headers = parse(rendered.answers["plan"].html).findall(".//main//table//th")
    assert headers and all(th.get("scope") == "row" for th in headers)


def test_the_detail_page_links_to_its_source(rendered):
    links = [a.get("href") for a in parse(rendered.answers["plan"].html).findall(".//main//a")]
    assert "https://langson.gov.vn/van-ban/211-kh-ubnd" in links


def test_the_detail_page_shows_the_body(rendered):
    assert "100% hồ sơ được xử lý trực tuyến." in text_of(parse(rendered.answers["plan"].html).find(".//main"))


def test_the_download_link_gives_the_file_its_type_and_size(rendered):
    tree = parse(rendered.answers["plan"].html)
    link = next(a for a in tree.findall(".//main//a") if a.get("href") == rendered.signed_url)
    assert text_of(link) == "Bản ký số (PDF, 1,2 MB)"


def test_a_small_file_shows_its_size_in_kilobytes(rendered):
    links = [text_of(a) for a in parse(rendered.answers["plan"].html).findall(".//main//a")]
    assert "phu-luc.pdf (PDF, 2,0 KB)" in links


def test_the_signed_file_shows_its_sha256(rendered):
    codes = [text_of(code) for code in parse(rendered.answers["plan"].html).findall(".//main//code")]
    assert rendered.signed_sha256 in codes and len(rendered.signed_sha256) == 64


def test_a_cited_document_live_on_this_site_is_linked(rendered):
    links = {a.get("href"): text_of(a) for a in parse(rendered.answers["plan"].html).findall(".//main//a")}
    assert links.get(rendered.decision_url) == "1169/QĐ-TTg"


def test_a_cited_document_not_live_on_this_site_is_plain_code(rendered):
    cited = parse(rendered.answers["plan_on_commune"].html).find(".//main//section[@class='document__cited']")
    assert "1169/QĐ-TTg" in text_of(cited) and cited.find(".//a") is None


def test_a_cited_code_we_do_not_hold_is_shown_as_text(rendered):
    cited = parse(rendered.answers["plan"].html).find(".//main//section[@class='document__cited']")
    assert [text_of(li) for li in cited.iter("li") if li.find("a") is None] == ["03/NQ-CP"]


def test_a_replaced_document_links_to_its_replacement_on_this_site(rendered):
    status = metadata(rendered.answers["old_plan"].html)["Tình trạng hiệu lực"]
    assert "Đã bị thay thế" in text_of(status)
    assert [a.get("href") for a in status.iter("a")] == [rendered.plan_urls["langson"]]


def test_an_amending_document_not_carried_here_is_named_by_its_code(rendered):
    status = metadata(rendered.answers["amended"].html)["Tình trạng hiệu lực"]
    assert "2653/KH-UBND" in text_of(status) and status.find(".//a") is None


def test_dates_are_shown_in_vietnam_time(rendered):
    published = parse(rendered.answers["plan"].html).find(".//main//header//time")
    # 01:00 UTC is 08:00 in Hà Nội.
    assert text_of(published) == "12/08/2025 08:00"


def test_the_section_overview_lists_the_latest_documents_and_links_to_the_list(rendered):
    tree = parse(rendered.answers["section"].html)
    block = tree.find(".//main//section[@aria-labelledby='documents-heading']")
    titles = [text_of(a) for a in block.findall(".//h3/a")]
    assert titles == rendered.live_titles_newest_first[:5]
    assert rendered.list_url in [a.get("href") for a in block.iter("a")]


def test_the_navigation_links_to_the_document_list_and_marks_it_current(rendered):
    nav = parse(rendered.answers["list"].html).find(".//nav[@class='site-nav']")
    current = [a for a in nav.iter("a") if a.get("aria-current") == "page"]
    assert [(a.get("href"), text_of(a)) for a in current] == [(rendered.list_url, "Văn bản chỉ đạo")]


def test_every_document_page_parses_as_strict_html5(answer):
    html5lib.HTMLParser(strict=True).parse(answer.html)


def test_every_document_page_has_exactly_one_h1(answer):
    assert len(parse(answer.html).findall(".//h1")) == 1


def test_document_page_headings_never_skip_a_level(answer):
    levels = [int(element.tag[1]) for element in parse(answer.html).iter() if element.tag in HEADINGS]
    assert levels[0] == 1
    for previous, current in zip(levels, levels[1:]):
        assert current <= previous + 1, levels


@pytest.mark.parametrize("name", ["list", "hostile"])
def test_markup_in_a_document_title_is_shown_as_text_not_run(rendered, name):
    tree = parse(rendered.answers[name].html)
    # Inline, the only scripts are structured data, which a browser never runs, and which hold the title as
    # data; the one script run is the site's own file.
    assert [script.get("src") for script in tree.iter("script") if script.get("src")] == ["/static/news57/js/share.js"]
    scripts = [script for script in tree.iter("script") if not script.get("src")]
    assert {script.get("type") for script in scripts} <= {"application/ld+json"}
    assert all(json.loads(script.text) for script in scripts)
    assert not [img for img in tree.iter("img") if img.get("onerror")]
    assert HOSTILE_TITLE in [text_of(a) for a in tree.iter("a")] + [text_of(h) for h in tree.iter("h1")]


def test_the_second_list_page_keeps_the_filters(platform):
    langson = platform["langson"]
    for number in range(DOCUMENT_PAGE_SIZE + 1):
        doc = document(langson.agency, f"{number + 1}/KH-UBND", f"Kế hoạch số {number + 1}/KH-UBND ngày 01/3/2025")
        publication(doc, langson, PublicationStatus.PUBLISHED, T0 + timedelta(minutes=number))
    response = Client().get(list_url(langson, "?loai=KH&nam=2025"), HTTP_HOST=LANGSON)
    next_link = parse(response.content.decode()).find(".//nav[@class='pagination']//a[@rel='next']")
    assert next_link.get("href") == "?loai=KH&nam=2025&trang=2"


def test_no_message_id_of_the_project_is_shown_untranslated(answer):
    assert untranslated_message_ids(visible_text(parse(answer.html))) == []
