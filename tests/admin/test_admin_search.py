"""Editors find their own pages and documents in the admin's searches without typing diacritics,
and the document whose code they typed comes first."""

from datetime import date

import html5lib
import pytest
from django.urls import reverse

from news57.models import ArticlePage, DirectiveDocument

pytestmark = pytest.mark.django_db

CDS_TITLES = [
    "Chuyển đổi số trong cơ quan nhà nước",
    "Hội thảo chuyển đổi số cấp tỉnh",
    "Tuần lễ chuyển đổi số",
    "Chuyển đổi số ở xã vùng cao",
]


@pytest.fixture
def content(platform):
    section = platform["langson"].section
    for title in CDS_TITLES + ["Báo cáo giao ban"]:
        page = section.add_child(instance=ArticlePage(title=title, live=False))
        page.save_revision()
    platform["thanhtra-langson"].section.add_child(instance=ArticlePage(title="Chuyển đổi số ở Thanh tra"))
    plan = DirectiveDocument.objects.create(
        code="211/KH-UBND",
        title="Kế hoạch thực hiện chuyển đổi số năm 2025",
        issuer=platform["langson"].agency,
        issued_on=date(2025, 8, 12),
    )
    # Newer, and it names 211/KH-UBND in its title: a plain text search lists it first.
    citing = DirectiveDocument.objects.create(
        code="262/KH-TTr",
        title="Kế hoạch kiểm tra việc thực hiện Kế hoạch 211/KH-UBND",
        issuer=platform["thanhtra-langson"].agency,
        issued_on=date(2025, 10, 1),
    )
    return plan, citing


@pytest.fixture
def editor(client, editor_of):
    client.force_login(editor_of("langson"))
    return client


def parse(html):
    return html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)


def text_of(element):
    return " ".join(" ".join(element.itertext()).split())


def page_titles(response):
    html = parse(response.content.decode())
    return [text_of(a) for a in html.findall(".//table//td//a") if text_of(a)]


def document_rows(response):
    """The documents listed, in order, by the code each row shows first."""
    html = parse(response.content.decode())
    listing = next(table for table in html.iter("table") if "listing" in table.get("class", "").split())
    return [text_of(row) for row in listing.findall("./tbody/tr")]


def test_the_page_search_finds_chuyen_doi_so_pages_from_chuyen_doi_so(editor, content):
    response = editor.get("/admin/pages/search/", {"q": "chuyen doi so"})
    assert response.status_code == 200
    found = page_titles(response)
    for title in CDS_TITLES:
        assert title in found
    assert "Báo cáo giao ban" not in found
    assert "Chuyển đổi số ở Thanh tra" not in found


def test_the_page_search_completes_a_word_being_typed_without_diacritics(editor, content):
    found = page_titles(editor.get("/admin/pages/search/", {"q": "chuyen do"}))
    assert set(CDS_TITLES) <= set(found)


def test_the_explorers_search_finds_them_too(editor, content, platform):
    section = platform["langson"].section
    found = page_titles(editor.get(reverse("wagtailadmin_explore", args=[section.pk]), {"q": "chuyen doi so"}))
    assert set(CDS_TITLES) <= set(found)


@pytest.mark.parametrize("typed", ["211/KH-UBND", "211 kh ubnd", "211-kh-ubnd"])
def test_the_document_search_lists_the_document_of_the_code_typed_first(editor, content, typed):
    rows = document_rows(editor.get("/admin/snippets/news57/directivedocument/", {"q": typed}))
    assert len(rows) == 2
    assert "211/KH-UBND" in rows[0] and "262/KH-TTr" in rows[1]


def test_the_document_search_finds_chuyen_doi_so_without_diacritics(editor, content):
    rows = document_rows(editor.get("/admin/snippets/news57/directivedocument/", {"q": "chuyen doi so"}))
    assert len(rows) == 1 and "Kế hoạch thực hiện chuyển đổi số năm 2025" in rows[0]


def test_the_document_chooser_finds_them_without_diacritics(editor, content):
    response = editor.get("/admin/snippets/choose/news57/directivedocument/results/", {"q": "chuyen doi so"})
    assert response.status_code == 200
    assert "Kế hoạch thực hiện chuyển đổi số năm 2025" in response.content.decode()
