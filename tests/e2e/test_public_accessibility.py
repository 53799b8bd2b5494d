"""Every kind of public page a reader meets passes axe-core at 360 px and 1280 px: Headless Chromium runs the
axe-core that package-lock.json pins (`make test-e2e` installs it with npm ci), with no rule turned off, and no
violation of serious or critical impact may remain; nor may a page scroll sideways.

Lạng Sơn's section is filled once and every page walked once for the module (the live server needs committed
rows, which a transactional test's flush removes); each page × width is then a test of its own, reading its
visit. A full-page screenshot of each is kept under var/test-output/screenshots/ (NEWS57_TEST_OUTPUT moves it).
"""

import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.rich_text import RichText

from news57.models import (
    ArticlePage,
    DirectiveDocument,
    DocumentAttachment,
    InfographicImage,
    InfographicPage,
    Publication,
    PublicationStatus,
    Topic,
    VideoPage,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = [360, 1280]
SCREENS = [
    "home", "section", "articles", "infographics", "videos", "documents",
    "article", "infographic", "video", "document", "topic", "search", "article_print", "document_print",
]  # fmt: skip
BLOCKING = ("serious", "critical")
T0 = datetime(2025, 9, 1, 2, 0, tzinfo=timezone.utc)
LONG_TITLE = (
    "Kế hoạch triển khai thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển "
    "khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia trên địa bàn tỉnh Lạng Sơn giai đoạn 2025–2030"
)

# The elements reaching past the right edge of the viewport, widest first, each named as a selector would.
OVERFLOW = """() => {
  const root = document.documentElement, width = root.clientWidth;
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + [...el.classList].slice(0, 2).map(c => "." + c).join("");
  const path = el => [el.parentElement, el].filter(e => e && e !== document.body).map(name).join(" > ");
  const wide = [...document.body.querySelectorAll("*")]
    .map(el => ({element: path(el), right: Math.round(el.getBoundingClientRect().right)}))
    .filter(box => box.right > width)
    .sort((a, b) => b.right - a.right)
    .slice(0, 8);
  return {scrollWidth: root.scrollWidth, clientWidth: width, wide};
}"""


def output_dir():
    folder = Path(os.environ.get("NEWS57_TEST_OUTPUT", Path(settings.BASE_DIR) / "var" / "test-output")) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def publish(section, page, topics=()):
    section.add_child(instance=page)
    page.topics = list(topics)
    page.save_revision().publish()
    return page


def picture(title, size=(1600, 900)):
    return get_image_model().objects.create(title=title, file=get_test_image_file(filename="anh.png", size=size))


def file_of(title, name, content):
    return get_document_model().objects.create(title=title, file=ContentFile(content, name=name))


def build(setup):
    """Lạng Sơn's section with an item of each kind in full (pictures, topics, a table, attached files), enough
    news for a second page of the list and of the search results, and two live documents: {screen: path}."""
    section, site = setup.section, setup.site
    digital = Topic.objects.create(name="Chuyển đổi số")
    science = Topic.objects.create(name="Khoa học công nghệ")
    photo = picture("Hội nghị triển khai Nghị quyết 57 của tỉnh")
    article = publish(section, ArticlePage(
        title="Lạng Sơn đẩy mạnh chuyển đổi số trong cơ quan nhà nước", date=T0,
        lead="Tỉnh đặt mục tiêu 100% hồ sơ công việc được xử lý trên môi trường mạng.",
        hero_image=photo, hero_caption="Quang cảnh hội nghị", author="Nguyễn Văn An",
        source_name="Báo Lạng Sơn", source_url="https://baolangson.vn/bai-viet",
        body=[
            ("heading", "Mục tiêu đến năm 2030"),
            ("paragraph", RichText("<p>Tỉnh đặt mục tiêu <b>100%</b> hồ sơ được xử lý trực tuyến.</p>")),
            ("image", {"image": photo, "alt_text": "Bảng tiến độ chuyển đổi số", "caption": "Tiến độ quý III"}),
            ("quote", {"text": "Chuyển đổi số là nhiệm vụ của cả hệ thống chính trị.", "attribution": "Chủ tịch tỉnh"}),
            ("table", {
                "data": [["Chỉ tiêu", "Kết quả"], ["Hồ sơ trực tuyến", "85%"]],
                "first_row_is_table_header": True, "first_col_is_header": False, "table_caption": "Kết quả năm 2025",
            }),
        ],
    ), [digital, science])  # fmt: skip
    for n in range(12):
        publish(section, ArticlePage(
            title=f"Chuyển đổi số ở huyện thứ {n + 1}", lead=f"Tóm tắt tin chuyển đổi số số {n + 1}.",
            date=T0 - timedelta(days=n + 1), hero_image=photo if n % 2 else None,
        ), [digital])  # fmt: skip
    infographic = InfographicPage(title="Chỉ số chuyển đổi số năm 2025", lead="Các con số chính của năm.", date=T0)
    infographic.images = [
        InfographicImage(
            image=picture(f"Đồ họa {n}", size=(1200, 1800)), alt_text=f"Biểu đồ chỉ số chuyển đổi số, phần {n}",
            long_description="Năm 2025 tỉnh tăng 12 bậc; 85% hồ sơ được xử lý trực tuyến.", caption="Nguồn: Sở KH&CN",
        )
        for n in (1, 2)
    ]
    infographic = publish(section, infographic, [digital])
    publish(section, InfographicPage(title="Dịch vụ công trực tuyến toàn trình", date=T0 - timedelta(days=3)))
    video = publish(section, VideoPage(
        title="Phóng sự: chuyển đổi số ở vùng cao", lead="Người dân làm thủ tục trên điện thoại.", date=T0,
        video_file=file_of("Phóng sự", "phong-su.mp4", b"\x00\x00\x00\x18ftypmp42"), poster=picture("Ảnh bìa"),
        transcript="Xin chào bà con.\nHôm nay xã triển khai dịch vụ công trực tuyến.",
    ), [digital])  # fmt: skip
    publish(section, VideoPage(
        title="Hội nghị trực tuyến toàn tỉnh", date=T0 - timedelta(days=2), poster=photo,
        video_file=file_of("Hội nghị", "hoi-nghi.mp4", b"\x00\x00\x00\x18ftypmp42"),
    ))  # fmt: skip
    plan = DirectiveDocument.objects.create(
        code="211/KH-UBND", title=LONG_TITLE, issuer=setup.agency, issued_on=date(2025, 8, 12), doc_type="KH",
        effective_on=date(2025, 8, 12), signer="Chủ tịch UBND tỉnh",
        summary="Triển khai chuyển đổi số trên địa bàn tỉnh năm 2025.", source_url="https://langson.gov.vn/van-ban/211",
    )  # fmt: skip
    plan.topics = [digital, science]
    plan.save()
    DocumentAttachment.objects.create(
        document=plan, file=file_of("Kế hoạch 211", "ke-hoach-211.pdf", b"%PDF-1.4\n%%EOF\n"), is_signed=True
    )
    other = DirectiveDocument.objects.create(
        code="56/QĐ-UBND", title="Quyết định ban hành Chương trình chuyển đổi số", issuer=setup.agency,
        issued_on=date(2025, 3, 3), doc_type="QĐ",
    )  # fmt: skip
    for doc in (plan, other):
        Publication.objects.create(document=doc, site=site, status=PublicationStatus.PUBLISHED, published_at=T0)
    base = section.relative_url(site)
    return {
        "home": "/",
        "section": base,
        "articles": base + "tin-tuc/",
        "infographics": base + "infographic/",
        "videos": base + "video/",
        "documents": base + "van-ban/",
        "article": article.relative_url(site),
        "infographic": infographic.relative_url(site),
        "video": video.relative_url(site),
        "document": base + f"van-ban/{plan.slug}/",
        "topic": base + f"chu-de/{digital.slug}/",
        "search": base + "tim-kiem/?q=chuyen+doi+so",
        "article_print": article.relative_url(site) + "ban-in/",
        "document_print": base + f"van-ban/{plan.slug}/ban-in/",
    }


@dataclass
class Visit:
    url: str
    width: int
    status: int = 0
    violations: list = field(default_factory=list)
    scroll_width: int = 0
    client_width: int = 0
    wide: list = field(default_factory=list)
    error: str = ""

    def violations_report(self):
        count = len(self.violations)
        rules = f"{count} axe-core rule{'s' * (count != 1)}"
        lines = [f"{self.url} at {self.width} px: {rules} violated with serious or critical impact"]
        for violation in self.violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
            for node in violation["nodes"]:
                lines.append(f"    at {' '.join(map(str, node['target']))}: {shortened(node['html'])}")
                lines += [f"      {line}" for line in node["failureSummary"].splitlines() if line.strip()]
        return "\n".join(lines)

    def overflow_report(self):
        lines = [
            f"{self.url} at {self.width} px scrolls sideways: "
            f"{self.scroll_width} px wide in a {self.client_width} px viewport; what reaches past its edge:"
        ]
        lines += [f"- {box['element']} ends at {box['right']} px" for box in self.wide]
        return "\n".join(lines)


def shortened(html, length=160):
    html = " ".join(html.split())
    return html if len(html) <= length else html[: length - 1] + "…"


def look(context, url, width, screenshot):
    """One page at one width: axe-core's serious and critical violations, and how wide the page is."""
    seen = Visit(url=url, width=width)
    page = context.new_page()
    try:
        page.set_viewport_size({"width": width, "height": 800})
        response = page.goto(url, wait_until="load")
        seen.status = response.status
        if seen.status != 200:
            seen.error = f"{url} answered {seen.status} (the captured log says why)"
            return seen
        page.evaluate("() => document.fonts.ready.then(() => true)")
        page.add_script_tag(path=str(AXE))
        results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        seen.violations = [violation for violation in results["violations"] if violation["impact"] in BLOCKING]
        measured = page.evaluate(OVERFLOW)
        seen.scroll_width, seen.client_width = measured["scrollWidth"], measured["clientWidth"]
        seen.wide = measured["wide"]
        page.screenshot(path=str(screenshot), full_page=True)
    except Exception as error:  # noqa: BLE001 - the case's own test reports it; the walk goes on
        seen.error = f"{url} at {width} px could not be checked: {error}"
    finally:
        page.close()
    return seen


def local_only(route):
    """Nothing leaves this machine: a page asking for a third party's file gets nothing."""
    host = urlsplit(route.request.url).hostname or ""
    if host in ("localhost", "127.0.0.1") or host.endswith(".localhost") or route.request.url.startswith("data:"):
        route.continue_()
    else:
        route.abort()


def wanted(request):
    """The cases of this module this run selected: a run of one case walks one page."""
    return {
        (item.callspec.params["screen"], item.callspec.params["width"])
        for item in request.session.items
        if item.module is request.module and hasattr(item, "callspec")
    }


@pytest.fixture(scope="session")
def axe():
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} is missing: `make test-e2e` installs axe-core as package-lock.json pins it (npm ci)")
        pytest.skip(f"{AXE} is missing: run `make test-e2e`, which installs axe-core with npm ci")
    return AXE


VISITS = {}


@pytest.fixture
def visits(request, browser, axe):
    """The walk, once for the module: every case reads its own visit (a case run alone walks its page itself)."""
    if not VISITS:
        platform = request.getfixturevalue("platform")
        live_server = request.getfixturevalue("live_server")
        # Uploaded files go to a folder of the test's own, not the project's media/.
        request.getfixturevalue("settings").MEDIA_ROOT = str(request.getfixturevalue("tmp_path") / "media")
        paths = build(platform["langson"])
        # Chromium sends *.localhost to loopback, and the host names the site.
        origin = f"http://langson.localhost:{urlsplit(live_server.url).port}"
        context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        context.route("**/*", local_only)
        context.set_default_timeout(15_000)
        try:
            for screen, width in sorted(wanted(request)):
                screenshot = output_dir() / f"accessibility-{screen}-{width}.png"
                VISITS[screen, width] = look(context, origin + paths[screen], width, screenshot)
        finally:
            context.close()
    return VISITS


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("screen", SCREENS)
def test_the_page_has_no_serious_or_critical_accessibility_violation(visits, screen, width):
    seen = visits[screen, width]
    assert not seen.error, seen.error
    passes = not seen.violations
    assert passes, seen.violations_report()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("screen", SCREENS)
def test_the_page_does_not_scroll_sideways(visits, screen, width):
    seen = visits[screen, width]
    assert not seen.error, seen.error
    fits = seen.scroll_width <= seen.client_width
    assert fits, seen.overflow_report()
