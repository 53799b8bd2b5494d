"""The inbox fits a phone and a desktop, and an overdue item is seen at once."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from signing_in import sign_in
from playwright.sync_api import expect
from wagtail.models import Workflow

from news57.models import ArticlePage, DirectiveDocument, Publication, PublicationStatus

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-nghiem-57"
LONG_TITLE = (
    "Kế hoạch triển khai thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển "
    "khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia trên địa bàn tỉnh Lạng Sơn giai đoạn 2025–2030"
)
UNBROKEN = "Chuyểnđổisốtoàndiện" * 6


@pytest.fixture
def editor_with_work(page, live_server, platform):
    """Lạng Sơn's editor, with overdue and pending documents and pages in moderation, signed in."""
    setup = platform["langson"]
    user = get_user_model().objects.create_user("langson-editor", password=PASSWORD)
    user.groups.add(setup.editors)
    now = timezone.now()
    issuer = platform["chinh-phu"].agency
    for n, (title, due_in) in enumerate(
        [(LONG_TITLE, -3), (UNBROKEN, 5), ("Công văn hướng dẫn", 48), ("Thông báo kết luận", None)]
    ):
        document = DirectiveDocument.objects.create(code=f"{n + 1}/KH-UBND", title=title, issuer=issuer)
        Publication.objects.create(
            document=document,
            site=setup.site,
            status=PublicationStatus.QUEUED,
            due_at=now + timedelta(hours=due_in) if due_in is not None else None,
            deadline_unit="working_days",
            deadline_amount=1,
            deadline_clock="issuer",
        )
    workflow = Workflow.objects.get(workflow_pages__page=setup.home)
    for n, (title, go_live_in) in enumerate([(LONG_TITLE, -1), ("Tin hoạt động chuyển đổi số", None)]):
        article = ArticlePage(title=title, slug=f"bai-{n}", lead="Tóm tắt", live=False)
        setup.section.add_child(instance=article)
        article.go_live_at = now + timedelta(hours=go_live_in) if go_live_in is not None else None
        article.save_revision(user=user)
        workflow.start(article, user)
    sign_in(page, live_server, "langson-editor", PASSWORD)
    return user


def overflow(page):
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def inbox_right_edge(page):
    """Where the inbox's own boxes end: the admin's main area clips what pokes out sideways, so look at them too."""
    return page.evaluate(
        """() => Math.max(...[...document.querySelectorAll(
            '.news57-inbox__scroll, .news57-inbox__list, .news57-inbox__figures'
        )].map(box => box.getBoundingClientRect().right))"""
    )


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("screen", ["news57_inbox", "wagtailadmin_home"])
def test_the_inbox_fits_the_width_and_shows_the_overdue_badge(page, live_server, editor_with_work, width, screen):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + reverse(screen))

    badge = page.locator(".news57-overdue").first
    expect(badge).to_be_visible()
    expect(badge).to_have_text("Quá hạn")
    expect(page.get_by_text(LONG_TITLE).first).to_be_visible()
    assert overflow(page) <= 0
    assert inbox_right_edge(page) <= width
