"""A province's supervisors read every agency of that province in the admin, and change nothing."""

from datetime import datetime, timedelta, timezone

import pytest
from django.utils import timezone as django_timezone
from wagtail.models import Page

from news57.models import ArticlePage
from news57.admin.supervision import page_status, section_pages

INDEX = "/admin/supervision/"


def _article(setup, title, slug, live=True):
    article = setup.section.add_child(instance=ArticlePage(title=title, slug=slug, live=live))
    revision = article.save_revision()
    if live:
        revision.publish()
    return Page.objects.get(pk=article.pk)


@pytest.fixture
def articles(platform):
    return {
        "thanhtra": _article(platform["thanhtra-langson"], "Thanh tra triển khai số hóa hồ sơ", "so-hoa-ho-so"),
        "draft": _article(platform["hoangvanthu"], "Bản nháp kế hoạch chuyển đổi số xã", "ke-hoach-xa", live=False),
        "laichau": _article(platform["vpubnd-laichau"], "Lai Châu họp bàn đổi mới sáng tạo", "hop-ban"),
    }


@pytest.fixture
def langson_supervisor(client, supervisor_of):
    client.force_login(supervisor_of("langson"))
    return client


def test_a_supervisor_sees_every_agency_of_their_province(articles, langson_supervisor):
    page = langson_supervisor.get(INDEX).content.decode()
    for name in ("Ủy ban nhân dân tỉnh Lạng Sơn", "Thanh tra tỉnh Lạng Sơn", "Ủy ban nhân dân xã Hoàng Văn Thụ"):
        assert name in page


def test_a_supervisor_sees_each_agencys_section_pages_live_and_draft(articles, langson_supervisor):
    page = langson_supervisor.get(INDEX).content.decode()
    assert "Thanh tra triển khai số hóa hồ sơ" in page
    assert "Bản nháp kế hoạch chuyển đổi số xã" in page


def test_a_live_page_links_to_its_public_address(articles, langson_supervisor):
    page = langson_supervisor.get(INDEX).content.decode()
    assert 'href="http://thanhtra-langson.localhost/nghi-quyet-57/so-hoa-ho-so/"' in page


def test_the_last_publication_is_shown_in_vietnam_time(articles, langson_supervisor):
    Page.objects.filter(pk=articles["thanhtra"].pk).update(
        last_published_at=datetime(2025, 8, 12, 17, 30, tzinfo=timezone.utc)
    )
    assert "13/08/2025 00:30" in langson_supervisor.get(INDEX).content.decode()


def test_the_langson_supervisor_does_not_see_laichau(articles, langson_supervisor):
    page = langson_supervisor.get(INDEX).content.decode()
    assert "Văn phòng UBND tỉnh Lai Châu" not in page
    assert "Lai Châu họp bàn đổi mới sáng tạo" not in page


def test_the_langson_supervisor_cannot_open_a_laichau_agency(articles, langson_supervisor):
    assert langson_supervisor.get(f"{INDEX}vpubnd-laichau/").status_code == 404


def test_the_agency_screen_lists_every_page_of_its_section(articles, langson_supervisor):
    page = langson_supervisor.get(f"{INDEX}thanhtra-langson/").content.decode()
    assert "Thanh tra triển khai số hóa hồ sơ" in page


@pytest.mark.parametrize("action", ["edit", "delete", "unpublish", "copy", "move"])
def test_a_supervisor_cannot_change_any_page(action, articles, langson_supervisor):
    response = langson_supervisor.get(f"/admin/pages/{articles['thanhtra'].pk}/{action}/")
    assert response.status_code in (302, 403)


def test_a_supervisor_cannot_save_a_change_to_a_page(articles, langson_supervisor):
    article = articles["thanhtra"]
    langson_supervisor.post(
        f"/admin/pages/{article.pk}/edit/", {"title": "Sửa trái phép", "slug": article.slug, "body-count": "0"}
    )
    assert Page.objects.get(pk=article.pk).get_latest_revision().content["title"] != "Sửa trái phép"


def test_an_editor_cannot_open_the_supervision_screen(platform, client, editor_of):
    client.force_login(editor_of("hoangvanthu"))
    assert client.get(INDEX).status_code in (302, 403)


def test_the_supervision_menu_item_shows_only_to_supervisors(platform, client, editor_of, supervisor_of):
    client.force_login(supervisor_of("langson"))
    assert INDEX in client.get("/admin/").content.decode()
    client.force_login(editor_of("hoangvanthu"))
    assert INDEX not in client.get("/admin/").content.decode()


def test_pages_are_told_apart_as_live_draft_or_scheduled(articles, platform):
    scheduled = _article(platform["hoangvanthu"], "Bài hẹn giờ đăng", "hen-gio", live=False).specific
    scheduled.go_live_at = django_timezone.now() + timedelta(days=1)
    scheduled.save_revision().publish()
    statuses = {page.slug: page_status(page) for page in section_pages(platform["hoangvanthu"].section)}
    assert statuses == {"ke-hoach-xa": "draft", "hen-gio": "scheduled"}
    assert {page_status(page) for page in section_pages(platform["thanhtra-langson"].section)} == {"live"}
