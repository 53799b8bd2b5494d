"""Pages made through Wagtail's own admin views: slugs and NFC."""

import unicodedata

from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from news57.models import ArticlePage, SectionPage


def article_form(title, slug="", lead=""):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "lead": lead,
            "hero_caption": "",
            "body": streamfield([("paragraph", rich_text("<p>Nội dung</p>"))]),
            "date": "2026-11-23 09:00",
            "author": "",
            "source_name": "",
            "source_url": "",
        }
    )


def add_article_url(section):
    return reverse("wagtailadmin_pages:add", args=("news57", "articlepage", section.pk))


def test_admin_form_folds_the_slug_of_a_vietnamese_title(client, platform, leader_of):
    section = platform["langson"].section
    client.force_login(leader_of("langson"))
    response = client.post(add_article_url(section), article_form("Chuyển đổi số đột phá"))
    assert response.status_code == 302, response.content[:2000]
    assert ArticlePage.objects.child_of(section).get().slug == "chuyen-doi-so-dot-pha"


def test_admin_form_folds_a_slug_typed_with_diacritics(client, platform, leader_of):
    section = platform["langson"].section
    client.force_login(leader_of("langson"))
    response = client.post(add_article_url(section), article_form("Tin mới", slug="chuyển-đổi-số"))
    assert response.status_code == 302
    assert ArticlePage.objects.child_of(section).get().slug == "chuyen-doi-so"


def test_admin_form_stores_decomposed_input_composed(client, platform, leader_of):
    section = platform["langson"].section
    title = unicodedata.normalize("NFD", "Đẩy mạnh chuyển đổi số")
    lead = unicodedata.normalize("NFD", "Sở Khoa học và Công nghệ tổ chức hội nghị")
    client.force_login(leader_of("langson"))
    client.post(add_article_url(section), article_form(title, lead=lead))
    page = ArticlePage.objects.child_of(section).get()
    assert page.title == "Đẩy mạnh chuyển đổi số" and unicodedata.is_normalized("NFC", page.title)
    assert page.lead == "Sở Khoa học và Công nghệ tổ chức hội nghị"
    assert page.slug == "day-manh-chuyen-doi-so"


def test_pages_made_in_code_get_folded_slugs_and_nfc_text(platform):
    section = platform["hoangvanthu"].section
    page = section.add_child(instance=ArticlePage(title=unicodedata.normalize("NFD", "Chuyển đổi số đột phá")))
    page.refresh_from_db()
    assert page.slug == "chuyen-doi-so-dot-pha"
    assert page.title == "Chuyển đổi số đột phá"


def test_a_second_page_with_the_same_title_gets_a_distinct_slug(platform):
    section = platform["hoangvanthu"].section
    first = section.add_child(instance=ArticlePage(title="Chuyển đổi số"))
    second = section.add_child(instance=ArticlePage(title="Chuyển đổi số"))
    assert first.slug == "chuyen-doi-so" and second.slug == "chuyen-doi-so-2"


def test_the_admin_slug_widget_replaces_d_before_wagtails_own_transliteration(client, platform, leader_of):
    section = platform["langson"].section
    client.force_login(leader_of("langson"))
    html = client.get(add_article_url(section)).content.decode()
    assert "data-w-slug-formatters-value" in html
    assert isinstance(Page.objects.get(pk=section.pk).specific, SectionPage)
