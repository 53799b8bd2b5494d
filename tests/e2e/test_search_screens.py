"""A reader on a phone types without diacritics into the box every page carries and reads the results;
the results page fits 360 px and 1280 px. Screenshots go to var/test-output/screenshots/
(NEWS57_TEST_OUTPUT moves it)."""

import os
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import expect

from news57.models import ArticlePage, DirectiveDocument, Publication, PublicationStatus

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG_TITLE = (
    "Kế hoạch triển khai thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển "
    "khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia trên địa bàn tỉnh Lạng Sơn giai đoạn 2025–2030"
)
UNBROKEN = "Chuyểnđổisốtoàndiện" * 6


@pytest.fixture
def section_url(live_server, platform):
    setup = platform["langson"]
    for n in range(14):
        page = ArticlePage(title=f"Chuyển đổi số: tin số {n}", lead=f"{UNBROKEN} chuyển đổi số {n}")
        setup.section.add_child(instance=page)
        page.save_revision().publish()
    document = DirectiveDocument.objects.create(
        code="211/KH-UBND", title=LONG_TITLE, issuer=setup.agency, issued_on=date(2025, 8, 12)
    )
    Publication.objects.create(document=document, site=setup.site, status=PublicationStatus.PUBLISHED)
    port = urlsplit(live_server.url).port
    # Chromium sends *.localhost to loopback, and the host names the site.
    return f"http://langson.localhost:{port}{setup.section.relative_url(setup.site)}"


def screenshots():
    folder = Path(os.environ.get("NEWS57_TEST_OUTPUT", Path(settings.BASE_DIR) / "var" / "test-output")) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def overflow(page):
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("width", [360, 1280])
def test_the_header_box_finds_without_diacritics_and_the_results_fit(page, section_url, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(section_url)
    box = page.locator("header input[name=q]")
    box.fill("211 kh ubnd chuyen doi so")
    box.press("Enter")
    expect(page.locator("h1")).to_have_text("Tìm kiếm")
    first = page.locator(".search-results > li").first
    expect(first.locator("h2")).to_contain_text("Kế hoạch triển khai thực hiện")
    expect(first.locator("mark").first).to_be_visible()
    assert overflow(page) <= 0
    page.screenshot(path=str(screenshots() / f"search-{width}.png"), full_page=True)

    page.goto(section_url + "tim-kiem/?q=chuyen+doi+so")
    page.get_by_role("link", name="Tin tức (14)").click()
    expect(page.locator(".page-intro__count")).to_contain_text("14 kết quả")
    page.locator(".pagination").get_by_role("link", name="Trang 2").click()
    expect(page.locator(".search-results > li")).to_have_count(4)
    assert overflow(page) <= 0
