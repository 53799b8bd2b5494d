"""The approval queue and the admin of subscriptions, through the admin's own URLs.

The cast: Lạng Sơn's People's Committee and xã Hoàng Văn Thụ, each with a site
of its own and documents queued for it by a subscription; their editors and
leaders act only on their own site's queue.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from news57.republishing import actions
from news57.models import (
    DeadlineRule,
    DirectiveDocument,
    Publication,
    PublicationLogEntry,
    PublicationStatus,
    Source,
    SourceEntry,
    Subscription,
)
from news57.republishing.queue import time_left
from news57.republishing.tasks import backfill_subscription
from news57.admin.subscriptions import SubscriptionViewSet

QUEUE = reverse("news57_queue")
PUBLISH = reverse("news57_queue_publish")
SUBSCRIPTIONS = SubscriptionViewSet()


def decline_url(publication):
    return reverse("news57_queue_decline", args=[publication.pk])


def subscriptions_url(name):
    return reverse(SUBSCRIPTIONS.get_url_name(name))


@pytest.fixture
def source(platform):
    return Source.objects.create(
        name="Cổng TTĐT Chính phủ",
        url="https://central.example.vn/rss/van-ban.rss",
        default_issuer=platform["chinh-phu"].agency,
        level="central",
    )


def document(platform, code, title):
    return DirectiveDocument.objects.create(code=code, title=title, issuer=platform["chinh-phu"].agency)


def carried_by(source, doc, guid):
    return SourceEntry.objects.create(
        source=source, guid=guid, guid_hash=guid, kind="document", document=doc, title=doc.title
    )


def queued_on(platform, slug, doc, due_in_hours=24):
    return Publication.objects.create(
        document=doc,
        site=platform[slug].site,
        status=PublicationStatus.QUEUED,
        due_at=timezone.now() + timedelta(hours=due_in_hours),
    )


@pytest.fixture
def queue(platform, source):
    """Two queued for Lạng Sơn (one carried by the government's portal), one for xã Hoàng Văn Thụ."""
    first = document(platform, "57-NQ/TW", "Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ")
    second = document(platform, "03/NQ-CP", "Nghị quyết số 03/NQ-CP ban hành Chương trình hành động")
    third = document(platform, "71/NQ-CP", "Nghị quyết số 71/NQ-CP sửa đổi Chương trình hành động")
    carried_by(source, first, "guid-57")
    return {
        "langson_late": queued_on(platform, "langson", second, due_in_hours=48),
        "langson_soon": queued_on(platform, "langson", first, due_in_hours=5),
        "commune": queued_on(platform, "hoangvanthu", third),
    }


@pytest.fixture
def langson_editor(editor_of, client):
    user = editor_of("langson")
    client.force_login(user)
    return user


# The queue


def test_an_editor_sees_only_their_own_sites_queued_publications_oldest_due_first(queue, langson_editor, client):
    response = client.get(QUEUE)

    assert response.status_code == 200
    rows = [row.pk for row in response.context["rows"]]
    assert rows == [queue["langson_soon"].pk, queue["langson_late"].pk]


def test_the_queue_shows_beside_each_due_time_how_it_was_counted(queue, langson_editor, client):
    Publication.objects.filter(pk=queue["langson_soon"].pk).update(
        deadline_rule="Một ngày làm việc", deadline_unit="working_days", deadline_amount=1, deadline_clock="issuer"
    )
    page = client.get(QUEUE).content.decode()
    assert "1 ngày làm việc, tính từ khi cơ quan ban hành công bố" in page


def test_a_queue_row_names_the_source_that_carried_the_document_and_its_time_left(queue, langson_editor, client):
    row = client.get(QUEUE).context["rows"][0]

    assert (row.code, row.sources) == ("57-NQ/TW", "Cổng TTĐT Chính phủ")
    assert not row.is_overdue


def test_time_left_says_how_late_an_overdue_publication_is():
    now = datetime(2025, 8, 13, 10, 0, tzinfo=UTC)

    with translation.override("en"):
        text, overdue = time_left(now - timedelta(hours=2, minutes=5), now)

    assert overdue and str(text) == "2 hours overdue"


def test_time_left_counts_days_and_hours_before_the_due_time():
    now = datetime(2025, 8, 13, 10, 0, tzinfo=UTC)

    with translation.override("en"):
        text, overdue = time_left(now + timedelta(days=1, hours=5, minutes=30), now)

    assert not overdue and str(text) == "1 day 5 hours left"


def test_an_editor_without_a_site_of_their_own_cannot_open_the_queue(platform, make_user, client):
    client.force_login(make_user("nobody"))

    assert client.get(QUEUE).status_code in (302, 403)


def test_opening_the_queue_changes_nothing(queue, langson_editor, client):
    client.get(QUEUE)

    assert not Publication.objects.exclude(status=PublicationStatus.QUEUED).exists()


def test_publishing_several_at_once_makes_them_live_by_the_editor(queue, langson_editor, client):
    chosen = [queue["langson_soon"], queue["langson_late"]]

    response = client.post(PUBLISH, {"publication": [p.pk for p in chosen]})

    assert response.status_code == 302 and response.url == QUEUE
    for publication in chosen:
        publication.refresh_from_db()
        assert publication.status == PublicationStatus.PUBLISHED
        assert publication.published_by == langson_editor
        assert publication.is_on_time is True


def test_publishing_several_at_once_writes_one_audit_log_entry_each(queue, langson_editor, client):
    chosen = [queue["langson_soon"], queue["langson_late"]]

    client.post(PUBLISH, {"publication": [p.pk for p in chosen]})

    logged = PublicationLogEntry.objects.filter(action=actions.PUBLISH, user=langson_editor)
    assert sorted(int(entry.object_id) for entry in logged) == sorted(p.pk for p in chosen)


def test_publishing_redirects_back_to_the_queue_with_a_success_message(queue, langson_editor, client):
    response = client.post(PUBLISH, {"publication": [queue["langson_soon"].pk]}, follow=True)

    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    assert [row.pk for row in response.context["rows"]] == [queue["langson_late"].pk]


def test_a_bulk_publish_naming_another_agencys_publication_is_refused_and_changes_nothing(
    queue, langson_editor, client
):
    response = client.post(PUBLISH, {"publication": [queue["langson_soon"].pk, queue["commune"].pk]})

    assert response.status_code == 404
    assert not Publication.objects.exclude(status=PublicationStatus.QUEUED).exists()
    assert not PublicationLogEntry.objects.exists()


def test_publishing_is_refused_on_get(queue, langson_editor, client):
    assert client.get(PUBLISH, {"publication": [queue["langson_soon"].pk]}).status_code == 405
    assert not Publication.objects.exclude(status=PublicationStatus.QUEUED).exists()


def test_a_leader_can_publish_from_the_queue_too(queue, leader_of, client):
    leader = leader_of("hoangvanthu")
    client.force_login(leader)

    client.post(PUBLISH, {"publication": [queue["commune"].pk]})

    queue["commune"].refresh_from_db()
    assert queue["commune"].status == PublicationStatus.PUBLISHED and queue["commune"].published_by == leader


def test_a_superuser_sees_every_sites_queue(queue, make_user, client):
    client.force_login(make_user("admin", superuser=True))

    rows = {row.pk for row in client.get(QUEUE).context["rows"]}

    assert rows == {publication.pk for publication in queue.values()}


# Declining


def test_declining_records_the_reason_and_is_never_counted_late(queue, langson_editor, client):
    publication = queue["langson_soon"]

    response = client.post(decline_url(publication), {"reason": "Không thuộc phạm vi của tỉnh"})

    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.DECLINED
    assert publication.reason == "Không thuộc phạm vi của tỉnh"
    assert publication.decided_at is not None and publication.is_on_time is None
    assert PublicationLogEntry.objects.filter(action=actions.DECLINE, publication=publication).exists()


def test_a_decline_without_a_reason_is_refused(queue, langson_editor, client):
    publication = queue["langson_soon"]

    response = client.post(decline_url(publication), {"reason": "   "})

    assert response.status_code == 200 and response.context["form"].errors
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.QUEUED


def test_the_decline_form_changes_nothing_when_opened(queue, langson_editor, client):
    assert client.get(decline_url(queue["langson_soon"])).status_code == 200
    queue["langson_soon"].refresh_from_db()
    assert queue["langson_soon"].status == PublicationStatus.QUEUED


def test_declining_another_agencys_publication_is_not_found(queue, langson_editor, client):
    response = client.post(decline_url(queue["commune"]), {"reason": "Không phù hợp"})

    assert response.status_code == 404
    queue["commune"].refresh_from_db()
    assert queue["commune"].status == PublicationStatus.QUEUED


def test_a_leader_can_decline_from_the_queue(queue, leader_of, client):
    client.force_login(leader_of("hoangvanthu"))

    client.post(decline_url(queue["commune"]), {"reason": "Đã đăng ở chuyên mục khác"})

    queue["commune"].refresh_from_db()
    assert queue["commune"].status == PublicationStatus.DECLINED


# Subscriptions


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("admin", superuser=True))
    return client


@pytest.fixture
def rule(db):
    return DeadlineRule.objects.create(name="Trong 24 giờ", unit="hours", amount=24)


def test_the_subscriptions_admin_lists_subscriptions_to_a_superuser(platform, source, rule, admin_client):
    Subscription.objects.create(source=source, agency=platform["langson"].agency, deadline_rule=rule)

    response = admin_client.get(subscriptions_url("index"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Cổng TTĐT Chính phủ" in content and platform["langson"].agency.name in content


def test_a_superuser_creates_a_subscription_that_backfills_what_its_source_carried(
    platform, source, rule, admin_client
):
    carried = document(platform, "57-NQ/TW", "Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ")
    carried_by(source, carried, "guid-57")
    form = {
        "source": source.pk,
        "agency": platform["langson"].agency.pk,
        "include_agency": "on",
        "policy": "queue",
        "deadline_rule": rule.pk,
        "starts_at": timezone.localtime(timezone.now()).strftime("%Y-%m-%d %H:%M"),
        "enabled": "on",
        "only_citing": "",
        "only_topic": "",
    }

    response = admin_client.post(subscriptions_url("add"), form)

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    subscription = Subscription.objects.get()
    backfill_subscription.apply(args=[subscription.pk])  # what the worker does with the queued task
    publication = Publication.objects.get(document=carried)
    assert publication.site == platform["langson"].site and publication.subscription == subscription


def test_the_deadline_rules_admin_opens_for_a_superuser(rule, admin_client):
    response = admin_client.get(reverse("news57_deadline_rules:index"))

    assert response.status_code == 200 and "Trong 24 giờ" in response.content.decode()


def test_an_editor_cannot_open_the_subscriptions_admin(langson_editor, client):
    response = client.get(subscriptions_url("index"))

    assert response.status_code in (302, 403)
    assert client.get(subscriptions_url("add")).status_code in (302, 403)


def test_the_admin_menu_shows_an_editor_the_queue_with_the_number_waiting(queue, langson_editor, client):
    content = client.get("/admin/").content.decode()

    assert QUEUE in content
    assert re.search(r"(Awaiting approval|Ch\\u1edd ph\\u00ea duy\\u1ec7t|Chờ phê duyệt) \(2\)", content)


def test_the_admin_menu_does_not_offer_subscriptions_to_an_editor(queue, langson_editor, client):
    assert subscriptions_url("index") not in client.get("/admin/").content.decode()


def test_a_superuser_opens_a_subscription_for_editing(platform, source, rule, admin_client):
    subscription = Subscription.objects.create(source=source, agency=platform["langson"].agency, deadline_rule=rule)

    response = admin_client.get(reverse(SUBSCRIPTIONS.get_url_name("edit"), args=[subscription.pk]))

    assert response.status_code == 200 and "include_below" in response.content.decode()
