"""The slug an editor sees while typing a title is the one the server stores."""

import pytest
from playwright.sync_api import expect
from django.contrib.auth import get_user_model
from django.urls import reverse

from news57.models import ArticlePage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def logged_in_leader(page, live_server, platform):
    user = get_user_model().objects.create_user("langson-leader", password="mat-khau-thu-nghiem-57")
    user.groups.add(platform["langson"].leaders)
    page.goto(live_server.url + reverse("wagtailadmin_login"))
    page.fill("input[name=username]", "langson-leader")
    page.fill("input[name=password]", "mat-khau-thu-nghiem-57")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    return platform["langson"].section


def test_typing_a_vietnamese_title_fills_an_ascii_slug_with_d_for_dj(page, live_server, logged_in_leader):
    section = logged_in_leader
    page.goto(live_server.url + reverse("wagtailadmin_pages:add", args=("news57", "articlepage", section.pk)))
    page.locator("#id_title").press_sequentially("Chuyển đổi số đột phá")
    page.locator("#id_title").blur()
    expect(page.locator("#id_slug")).to_have_value("chuyen-doi-so-dot-pha")


def test_a_slug_typed_with_diacritics_is_folded_in_the_browser(page, live_server, logged_in_leader):
    section = logged_in_leader
    page.goto(live_server.url + reverse("wagtailadmin_pages:add", args=("news57", "articlepage", section.pk)))
    page.locator("#id_title").fill("Tin mới")
    # Leaving the title syncs the slug from it; let that happen before typing one over it.
    page.locator("#id_title").blur()
    expect(page.locator("#id_slug")).to_have_value("tin-moi")
    page.evaluate("() => document.querySelector('#id_slug').closest('[hidden]')?.removeAttribute('hidden')")
    page.locator("#id_slug").fill("Đổi mới sáng tạo")
    page.locator("#id_slug").blur()
    expect(page.locator("#id_slug")).to_have_value("doi-moi-sang-tao")


def test_the_page_saved_from_the_browser_keeps_that_slug(page, live_server, logged_in_leader):
    section = logged_in_leader
    page.goto(live_server.url + reverse("wagtailadmin_pages:add", args=("news57", "articlepage", section.pk)))
    page.locator("#id_title").press_sequentially("Đổi mới sáng tạo ở Lạng Sơn")
    page.locator("#id_title").blur()
    expect(page.locator("#id_slug")).to_have_value("doi-moi-sang-tao-o-lang-son")
    page.click("button.action-save")
    page.wait_for_url("**/edit/")
    assert ArticlePage.objects.child_of(section).get().slug == "doi-moi-sang-tao-o-lang-son"
