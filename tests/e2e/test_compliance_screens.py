"""The compliance view, an agency's drill-down and the printed report fit a phone and a desktop: no page scrolls
sideways (a wide table scrolls inside its own box), the charts are drawn, and a screenshot of each is kept under
var/test-output/screenshots/ (NEWS57_TEST_OUTPUT moves it)."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from signing_in import sign_in
from playwright.sync_api import expect

from june_2025 import add_june

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-nghiem-57"
JUNE = "?period=2025-06"
SCREENS = {
    "compliance": reverse("news57_compliance") + JUNE,
    "agency": reverse("news57_compliance_agency", args=["hoangvanthu"]) + JUNE,
    "report": reverse("news57_compliance_report") + JUNE,
    "agency-report": reverse("news57_compliance_report") + JUNE + "&agency=hoangvanthu",
}


def output_dir():
    folder = Path(os.environ.get("NEWS57_TEST_OUTPUT", Path(settings.BASE_DIR) / "var" / "test-output")) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def supervisor(page, live_server, platform):
    """Lạng Sơn's supervisor, with June 2025 counted by hand, signed in."""
    add_june(platform)
    user = get_user_model().objects.create_user("langson-supervisor", password=PASSWORD)
    user.groups.add(platform["langson"].supervisors)
    sign_in(page, live_server, "langson-supervisor", PASSWORD)
    return user


def overflow(page):
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def right_edge(page, selector):
    """Where the screen's own boxes end: the admin's main area clips what pokes out sideways, so look at them."""
    return page.evaluate(
        "selector => Math.max(0, ...[...document.querySelectorAll(selector)].map(b => b.getBoundingClientRect().right))",
        selector,
    )


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_screen_fits_the_width(page, live_server, supervisor, screen, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + SCREENS[screen])
    if screen == "compliance":
        expect(page.locator("svg[data-chart=weeks] rect.bar")).to_have_count(6)
        expect(page.locator("svg[data-chart=margins]")).to_be_visible()
        assert page.locator("svg[data-chart=weeks]").bounding_box()["width"] <= width
    if screen.endswith("report"):
        expect(page.get_by_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")).to_be_visible()
        expect(page.get_by_text("Độc lập - Tự do - Hạnh phúc")).to_be_visible()
    else:
        expect(page.get_by_text("Ủy ban nhân dân xã Hoàng Văn Thụ").first).to_be_visible()
    page.screenshot(path=str(output_dir() / f"{screen}-{width}.png"), full_page=True)
    assert overflow(page) <= 0
    assert right_edge(page, ".news57-scroll, .news57-compliance, .report-scroll, .report-heading, .news57-chart") <= width
