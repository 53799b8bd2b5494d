"""The inbox: what waits for an editor or a leader, on the admin home and on its own screen.

The cast: Lạng Sơn's People's Committee, with documents queued for its site and
articles of its section in moderation; xã Hoàng Văn Thụ, with the same of its
own, which Lạng Sơn's people never see.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Workflow

from news57.admin.inbox import inbox_items, month_figures, month_span
from news57.models import ArticlePage, DirectiveDocument, Publication, PublicationStatus

pytestmark = pytest.mark.django_db

INBOX = reverse("news57_inbox")
HOME = reverse("wagtailadmin_home")
PANEL = 'id="news57-inbox'
ONE_WORKING_DAY = {"deadline_unit": "working_days", "deadline_amount": 1, "deadline_clock": "issuer"}


def document(platform, code, title):
    return DirectiveDocument.objects.create(code=code, title=title, issuer=platform["chinh-phu"].agency)


def queued(platform, slug, doc, due_at, **terms):
    return Publication.objects.create(
        document=doc, site=platform[slug].site, status=PublicationStatus.QUEUED, due_at=due_at, **terms
    )


def in_moderation(platform, slug, title, submitter, go_live_at=None):
    """A draft article of the agency's section, submitted to the agency's approval workflow."""
    setup = platform[slug]
    page = setup.section.add_child(
        instance=ArticlePage(title=title, slug=f"bai-{ArticlePage.objects.count()}", lead="Tóm tắt", live=False)
    )
    page.go_live_at = go_live_at
    page.save_revision(user=submitter)
    Workflow.objects.get(workflow_pages__page=setup.home).start(page, submitter)
    return page


def went_live(platform, slug, code, first_published_at, on_time, is_backfill=False):
    """A live publication whose first live time and verdict are as given (as stored once it went live)."""
    publication = Publication.objects.create(
        document=document(platform, code, f"Văn bản {code}"),
        site=platform[slug].site,
        status=PublicationStatus.PUBLISHED,
        is_backfill=is_backfill,
    )
    Publication.objects.filter(pk=publication.pk).update(
        published_at=first_published_at, first_published_at=first_published_at, on_time=on_time
    )
    return publication


@pytest.fixture
def langson_editor(editor_of, client):
    user = editor_of("langson")
    client.force_login(user)
    return user


@pytest.fixture
def admin_user_without_agency(make_user):
    group = Group.objects.create(name="Chỉ vào trang quản trị")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    return make_user("khong-co-don-vi", group)


# Queued documents


def test_a_queued_document_shows_its_due_time_in_vietnam_time_the_rule_in_words_and_a_countdown(platform, editor_of):
    editor = editor_of("langson")
    now = datetime(2025, 6, 2, 1, 0, tzinfo=UTC)
    doc = document(platform, "57-NQ/TW", "Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ")
    queued(platform, "langson", doc, due_at=datetime(2025, 6, 2, 6, 30, tzinfo=UTC), **ONE_WORKING_DAY)

    [item] = inbox_items(editor, now, [])

    assert (item.code, item.title) == ("57-NQ/TW", doc.title)
    assert item.due == "02/06/2025 13:30"
    assert item.terms == "1 ngày làm việc, tính từ khi cơ quan ban hành công bố"
    assert (str(item.time_left), item.is_overdue) == ("còn 5 giờ", False)
    assert item.url == reverse("news57_queue")


def test_the_inbox_screen_lists_the_own_sites_queued_documents_with_the_rule_beside_the_due_time(
    platform, langson_editor, client
):
    doc = document(platform, "03/NQ-CP", "Nghị quyết số 03/NQ-CP ban hành Chương trình hành động")
    queued(platform, "langson", doc, due_at=timezone.now() + timedelta(hours=5, minutes=30), **ONE_WORKING_DAY)

    page = client.get(INBOX).content.decode()

    assert "Nghị quyết số 03/NQ-CP ban hành Chương trình hành động" in page
    assert "1 ngày làm việc, tính từ khi cơ quan ban hành công bố" in page
    assert "còn 5 giờ" in page
    assert reverse("news57_queue") in page


def test_another_agencys_queued_documents_are_never_shown(platform, langson_editor, client):
    doc = document(platform, "71/NQ-CP", "Nghị quyết số 71/NQ-CP của xã")
    queued(platform, "hoangvanthu", doc, due_at=timezone.now() - timedelta(hours=3))

    for url in (INBOX, HOME):
        assert "Nghị quyết số 71/NQ-CP của xã" not in client.get(url).content.decode()


def test_overdue_items_come_first_with_the_overdue_badge_then_by_due_time_and_no_deadline_last(
    platform, langson_editor, client
):
    now = timezone.now()
    queued(platform, "langson", document(platform, "1/KH", "Không có hạn"), due_at=None)
    queued(platform, "langson", document(platform, "2/KH", "Hạn ngày kia"), due_at=now + timedelta(days=2))
    queued(platform, "langson", document(platform, "3/KH", "Đã quá hạn"), due_at=now - timedelta(hours=2))
    queued(platform, "langson", document(platform, "4/KH", "Hạn sau một giờ"), due_at=now + timedelta(hours=1))

    response = client.get(INBOX)

    items = response.context["items"]
    assert [item.title for item in items] == ["Đã quá hạn", "Hạn sau một giờ", "Hạn ngày kia", "Không có hạn"]
    assert [item.is_overdue for item in items] == [True, False, False, False]
    page = response.content.decode()
    assert page.count('class="news57-overdue"') == 1
    assert page.index("Quá hạn") < page.index("Đã quá hạn") < page.index("Hạn sau một giờ")
    assert "quá hạn 2 giờ" in page


# Pages in moderation


def test_the_own_sites_page_in_moderation_shows_its_task_who_submitted_it_and_links_to_its_editor(
    platform, langson_editor, client
):
    page = in_moderation(platform, "langson", "Lạng Sơn đẩy mạnh chuyển đổi số", langson_editor)

    response = client.get(INBOX)

    [item] = response.context["items"]
    assert item.kind == "page"
    assert item.title == "Lạng Sơn đẩy mạnh chuyển đổi số"
    assert item.task == Workflow.objects.get(workflow_pages__page=platform["langson"].home).tasks.first().name
    assert item.submitted_by == langson_editor.get_username()
    assert item.url == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert not item.is_overdue and str(item.time_left) == "Không có hạn"
    assert item.url in response.content.decode()


def test_a_leader_sees_the_pages_their_editors_submitted(platform, editor_of, leader_of, client):
    in_moderation(platform, "langson", "Bài chờ lãnh đạo duyệt", editor_of("langson"))
    client.force_login(leader_of("langson"))

    assert [item.title for item in client.get(INBOX).context["items"]] == ["Bài chờ lãnh đạo duyệt"]


def test_another_agencys_page_in_moderation_is_never_shown(platform, langson_editor, editor_of, client):
    in_moderation(platform, "hoangvanthu", "Bài của xã Hoàng Văn Thụ", editor_of("hoangvanthu"))

    response = client.get(INBOX)

    assert response.context["items"] == []
    assert "Bài của xã Hoàng Văn Thụ" not in response.content.decode()
    assert "Bài của xã Hoàng Văn Thụ" not in client.get(HOME).content.decode()


def test_a_scheduled_page_past_its_go_live_time_without_approval_is_overdue_and_first(
    platform, langson_editor, client
):
    pending = document(platform, "5/KH", "Văn bản còn hạn")
    queued(platform, "langson", pending, due_at=timezone.now() + timedelta(hours=3))
    in_moderation(
        platform, "langson", "Bài hẹn giờ đã qua", langson_editor, go_live_at=timezone.now() - timedelta(hours=1)
    )

    response = client.get(INBOX)

    first, second = response.context["items"]
    assert (first.title, first.is_overdue, str(first.terms)) == ("Bài hẹn giờ đã qua", True, "Thời điểm hẹn đăng tải")
    assert second.title == "Văn bản còn hạn"
    assert 'class="news57-overdue"' in response.content.decode()


def test_a_scheduled_page_before_its_go_live_time_counts_down_to_it(platform, editor_of):
    editor = editor_of("langson")
    go_live_at = timezone.now() + timedelta(days=1, hours=2, minutes=30)
    in_moderation(platform, "langson", "Bài hẹn giờ ngày mai", editor, go_live_at=go_live_at)

    [item] = inbox_items(editor, go_live_at - timedelta(days=1, hours=2, minutes=30), [])

    assert abs(item.due_at - go_live_at) < timedelta(seconds=1)  # a revision keeps milliseconds
    assert (str(item.time_left), item.is_overdue) == ("còn 1 ngày 2 giờ", False)


# What went live this month


def test_the_vietnam_month_runs_from_its_first_midnight_in_vietnam_time():
    start, end = month_span(datetime(2025, 5, 31, 18, 0, tzinfo=UTC))  # 01/06/2025 01:00 in Vietnam

    assert (start.astimezone(UTC), end.astimezone(UTC)) == (
        datetime(2025, 5, 31, 17, 0, tzinfo=UTC),
        datetime(2025, 6, 30, 17, 0, tzinfo=UTC),
    )


def test_the_months_figures_count_by_vietnam_time_and_leave_backfill_out(platform):
    june = datetime(2025, 6, 15, 3, 0, tzinfo=UTC)
    went_live(platform, "langson", "1/KH", datetime(2025, 5, 31, 18, 0, tzinfo=UTC), True)  # 01/06 01:00 VN
    went_live(platform, "langson", "2/KH", datetime(2025, 6, 10, 2, 0, tzinfo=UTC), True)
    went_live(platform, "langson", "3/KH", datetime(2025, 6, 20, 9, 0, tzinfo=UTC), True)
    went_live(platform, "langson", "4/KH", datetime(2025, 6, 30, 16, 59, tzinfo=UTC), False)  # 30/06 23:59 VN
    went_live(platform, "langson", "5/KH", datetime(2025, 5, 31, 16, 0, tzinfo=UTC), False)  # 31/05 23:00 VN
    went_live(platform, "langson", "6/KH", datetime(2025, 6, 30, 17, 0, tzinfo=UTC), False)  # 01/07 00:00 VN
    went_live(platform, "langson", "7/KH", datetime(2025, 6, 12, 2, 0, tzinfo=UTC), True, is_backfill=True)
    went_live(platform, "hoangvanthu", "8/KH", datetime(2025, 6, 12, 2, 0, tzinfo=UTC), False)
    site = platform["langson"].site

    [figures] = month_figures([site], june)

    assert (figures.live, figures.on_time, figures.late, figures.share) == (4, 3, 1, "75 %")


def test_the_share_is_rounded_down_so_one_late_document_never_reads_as_100_percent(platform):
    for n in range(199):
        went_live(platform, "langson", f"{n}/TB", datetime(2025, 6, 10, 2, 0, tzinfo=UTC), True)
    went_live(platform, "langson", "199/TB", datetime(2025, 6, 10, 2, 0, tzinfo=UTC), False)

    [figures] = month_figures([platform["langson"].site], datetime(2025, 6, 15, tzinfo=UTC))

    assert (figures.on_time, figures.late, figures.share) == (199, 1, "99 %")


def test_a_month_with_nothing_live_says_dash_for_the_share(platform):
    [figures] = month_figures([platform["langson"].site], datetime(2025, 6, 15, tzinfo=UTC))

    assert (figures.live, figures.on_time, figures.late, figures.share, figures.pages) == (0, 0, 0, "—", 0)


def test_the_months_figures_count_the_sites_pages_first_published_that_month(platform):
    section = platform["langson"].section
    other_section = platform["hoangvanthu"].section
    for parent, slug, first_published_at in (
        (section, "thang-sau", datetime(2025, 5, 31, 18, 0, tzinfo=UTC)),  # 01/06 VN
        (section, "giua-thang", datetime(2025, 6, 12, 2, 0, tzinfo=UTC)),
        (section, "thang-truoc", datetime(2025, 5, 31, 16, 0, tzinfo=UTC)),  # 31/05 VN
        (other_section, "cua-xa", datetime(2025, 6, 12, 2, 0, tzinfo=UTC)),
    ):
        page = parent.add_child(instance=ArticlePage(title=slug, slug=slug, lead="Tóm tắt"))
        Page.objects.filter(pk=page.pk).update(first_published_at=first_published_at)

    [figures] = month_figures([platform["langson"].site], datetime(2025, 6, 15, tzinfo=UTC))

    assert figures.pages == 2


def test_the_screen_shows_this_months_figures_for_the_own_site(platform, langson_editor, client):
    start, _end = month_span(timezone.now())
    moment = start + timedelta(minutes=1)
    for n, on_time in enumerate([True, True, True, False]):
        went_live(platform, "langson", f"{n}/KH", moment, on_time)
    went_live(platform, "hoangvanthu", "9/KH", moment, False)

    response = client.get(INBOX)

    figures = response.context["figures_total"]
    assert (figures.live, figures.on_time, figures.late, figures.share) == (4, 3, 1, "75 %")
    page = response.content.decode()
    assert "75 %" in page and "Tỷ lệ đúng hạn" in page


# Who has an inbox


def test_the_admin_home_shows_the_inbox_panel_to_an_editor(platform, langson_editor, client):
    queued(platform, "langson", document(platform, "6/KH", "Văn bản trên trang chủ quản trị"), due_at=None)

    page = client.get(HOME).content.decode()

    assert PANEL in page
    assert "Văn bản trên trang chủ quản trị" in page
    assert INBOX in page


def test_the_panel_shows_the_first_five_and_links_to_the_rest(platform, langson_editor, client):
    for n in range(7):
        queued(platform, "langson", document(platform, f"{n}/CV", f"Công văn số {n}"), due_at=None)

    page = client.get(HOME).content.decode()

    assert page.count("Công văn số") == 5
    assert "còn 2 việc" in page


@pytest.mark.parametrize("who", ["supervisor", "without_agency"])
def test_a_supervisor_or_a_user_without_an_agency_has_no_inbox(
    who, platform, supervisor_of, admin_user_without_agency, client
):
    user = supervisor_of("langson") if who == "supervisor" else admin_user_without_agency
    client.force_login(user)

    home = client.get(HOME)

    assert home.status_code == 200
    assert PANEL not in home.content.decode()
    assert INBOX not in home.content.decode()
    # The admin's own refusal: a 403 to a script, back to the dashboard with a message for a browser.
    assert client.get(INBOX, headers={"x-requested-with": "XMLHttpRequest"}).status_code == 403
    refused = client.get(INBOX)
    assert (refused.status_code, refused["Location"]) == (302, HOME)


def test_the_menu_offers_the_inbox_to_an_editor(platform, langson_editor, client):
    assert INBOX in client.get(reverse("news57_queue")).content.decode()


def test_opening_the_inbox_changes_nothing(platform, langson_editor, client):
    queued(platform, "langson", document(platform, "7/KH", "Chờ"), due_at=timezone.now() - timedelta(hours=1))

    client.get(INBOX)
    client.get(HOME)

    assert Publication.objects.get().status == PublicationStatus.QUEUED


# Queries


def fill(platform, submitter, count, start):
    for n in range(start, start + count):
        queued(
            platform,
            "langson",
            document(platform, f"{n}/KH-UBND", f"Kế hoạch số {n}"),
            due_at=timezone.now() + timedelta(hours=n),
            **ONE_WORKING_DAY,
        )
        in_moderation(platform, "langson", f"Bài số {n}", submitter, go_live_at=timezone.now() - timedelta(hours=n))


# A cache of this process's own: on the PostgreSQL pass the cache is Redis, shared with the other test process,
# whose cache.clear() between the two requests compared here costs the second one a query to fill it again.
# A location of its own and cleared first: local-memory caches of one location share their entries across
# overrides, and another module's site roots, rolled back since, would be read as this one's.
@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "inbox-queries"}})
@pytest.mark.parametrize("url", [INBOX, HOME])
def test_the_number_of_queries_does_not_grow_with_the_number_of_items(platform, langson_editor, client, url):
    cache.clear()
    fill(platform, langson_editor, 2, 0)
    client.get(url)  # warm the caches a first request fills
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    fill(platform, langson_editor, 8, 2)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200

    assert len(many) == len(few)
