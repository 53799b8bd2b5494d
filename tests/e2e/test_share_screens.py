"""A reader on a phone copies an article's address with one tap and sees it said; the print view's button
prints, and the share bar fits 360 px. Screenshots go to var/test-output/screenshots/."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from news57.models import ArticlePage
from test_search_screens import overflow, screenshots

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def article_url(live_server, platform):
    setup = platform["langson"]
    page = ArticlePage(title="Lạng Sơn đẩy mạnh chuyển đổi số", lead="Tỉnh đặt mục tiêu 100% hồ sơ trực tuyến.")
    setup.section.add_child(instance=page)
    page.save_revision().publish()
    port = urlsplit(live_server.url).port
    return f"http://langson.localhost:{port}{page.relative_url(setup.site)}"


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_the_copy_link_copies_the_address_and_says_so(phone, article_url):
    phone.goto(article_url)
    phone.get_by_role("link", name="Sao chép liên kết").click()
    expect(phone.get_by_role("status")).to_have_text("Đã sao chép liên kết.")
    # Copying is not following: the reader stays on the page.
    assert phone.url == article_url
    # What is copied is the canonical address, which names the site as it is known (without the test's port).
    canonical = phone.locator("link[rel=canonical]").get_attribute("href")
    assert canonical == phone.get_by_role("link", name="Sao chép liên kết").get_attribute("href")
    assert phone.evaluate("() => navigator.clipboard.readText()") == canonical
    assert overflow(phone) <= 0
    phone.screenshot(path=str(screenshots() / "share-360.png"), full_page=True)


def test_the_print_views_button_prints(phone, article_url):
    phone.goto(article_url)
    phone.get_by_role("link", name="Bản in").click()
    expect(phone).to_have_url(article_url + "ban-in/")
    # window.print() blocks a headless page: count the calls instead.
    phone.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    phone.get_by_role("button", name="In trang này").click()
    assert phone.evaluate("() => window.printed") == 1
    assert overflow(phone) <= 0
    phone.screenshot(path=str(screenshots() / "print-view-360.png"), full_page=True)
