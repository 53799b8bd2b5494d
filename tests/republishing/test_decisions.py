"""Decisions hold: publish, decline and withdraw act on the row as it is under its lock, not as a page showed it.

The cast: the province's People's Committee publishes a plan; its two leaders
decide on the queued publication of xã Hoàng Văn Thụ, one after the other or
at the same moment; an editor of that commune republishes it by hand.
"""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.db import close_old_connections, connection, connections, transaction
from django.urls import reverse

from news57.admin.documents import PublicationViewSet
from news57.models import DirectiveDocument, Publication, PublicationLogEntry, PublicationStatus
from news57.republishing import actions

pytestmark = pytest.mark.django_db

PUBLICATIONS = PublicationViewSet()
DUE = datetime(2025, 8, 14, 1, 0, tzinfo=UTC)
ON_TIME = DUE - timedelta(hours=20)
MUCH_LATER = DUE + timedelta(days=30)


def action_url(publication, action):
    return reverse(PUBLICATIONS.get_url_name("action"), args=[publication.pk, action])


def republish_url(document):
    return reverse(DirectiveDocument.snippet_viewset.get_url_name("republish"), args=[document.pk])


@pytest.fixture
def plan(platform):
    langson = platform["langson"].agency
    return DirectiveDocument.objects.create(
        code="211/KH-UBND", title="Kế hoạch số 211/KH-UBND ngày 12/8/2025", issuer=langson, entered_by=langson
    )


@pytest.fixture
def queued(platform, plan):
    return Publication.objects.create(
        document=plan, site=platform["hoangvanthu"].site, obligated_at=ON_TIME - timedelta(hours=2), due_at=DUE
    )


def status_of(publication):
    publication.refresh_from_db()
    return publication.status


def messages_on(response):
    return [str(message) for message in response.context["messages"]]


# The first live time


def test_republishing_a_withdrawn_publication_keeps_its_first_live_time(queued, leader_of):
    leader = leader_of("hoangvanthu")
    actions.publish(queued, leader, at=ON_TIME)
    actions.withdraw(queued, leader, "Đăng nhầm tệp đính kèm")

    again = actions.republish(queued.document, queued.site, leader, at=MUCH_LATER)

    assert again.is_live and again.published_at == MUCH_LATER
    assert again.first_published_at == ON_TIME
    assert again.is_on_time is True


def test_each_time_a_publication_goes_live_is_logged(queued, leader_of):
    leader = leader_of("hoangvanthu")
    actions.publish(queued, leader, at=ON_TIME)
    actions.withdraw(queued, leader, "Đăng nhầm tệp đính kèm")
    actions.republish(queued.document, queued.site, leader, at=MUCH_LATER)

    published = PublicationLogEntry.objects.filter(publication=queued, action=actions.PUBLISH)
    assert published.count() == 2


def test_a_withdrawn_publication_is_put_back_only_by_republishing(queued, leader_of):
    leader = leader_of("hoangvanthu")
    actions.publish(queued, leader, at=ON_TIME)
    actions.withdraw(queued, leader, "Đăng nhầm tệp đính kèm")

    with pytest.raises(actions.PublicationRefused):
        actions.publish(queued, leader)
    assert status_of(queued) == PublicationStatus.WITHDRAWN


def test_a_publication_fan_out_inserts_live_carries_its_first_live_time(platform, plan):
    Publication.objects.bulk_create(
        [Publication(document=plan, site=platform["langson"].site, status=PublicationStatus.PUBLISHED, published_at=ON_TIME)]
    )
    assert Publication.objects.get(document=plan).first_published_at == ON_TIME


# Publishing never overrides a decline


def test_publishing_a_declined_publication_is_refused(queued, leader_of):
    actions.decline(queued, leader_of("hoangvanthu"), "Không thuộc phạm vi của xã")

    with pytest.raises(actions.PublicationRefused):
        actions.publish(queued, leader_of("langson"))
    assert status_of(queued) == PublicationStatus.DECLINED


def test_republishing_a_declined_publication_is_refused(queued, leader_of, editor_of):
    actions.decline(queued, leader_of("hoangvanthu"), "Không thuộc phạm vi của xã")

    with pytest.raises(actions.PublicationRefused):
        actions.republish(queued.document, queued.site, editor_of("hoangvanthu"))
    assert status_of(queued) == PublicationStatus.DECLINED


# A form opened before someone else decided


def test_a_publish_form_opened_before_a_decline_is_refused_and_says_why(queued, leader_of, client):
    client.force_login(leader_of("hoangvanthu"))
    form = client.get(action_url(queued, "publish"))
    assert 'name="seen" value="queued"' in form.content.decode()
    actions.decline(queued, leader_of("langson"), "Văn bản đã được thay thế")

    response = client.post(action_url(queued, "publish"), {"seen": "queued"}, follow=True)

    assert status_of(queued) == PublicationStatus.DECLINED
    assert any("nên không có thay đổi nào" in message for message in messages_on(response))


def test_a_withdraw_form_opened_before_a_withdrawal_and_republishing_elsewhere_still_acts_on_what_it_saw(
    queued, leader_of, client
):
    # Withdrawn and live again: the status is the one the page showed, so the withdrawal goes ahead.
    leader, other = leader_of("hoangvanthu"), leader_of("langson")
    actions.publish(queued, leader, at=ON_TIME)
    client.force_login(leader)
    actions.withdraw(queued, other, "Cập nhật phụ lục")
    actions.republish(queued.document, queued.site, other)

    client.post(action_url(queued, "withdraw"), {"seen": "published", "reason": "Hết hiệu lực"})

    assert status_of(queued) == PublicationStatus.WITHDRAWN


def test_a_decline_form_opened_before_the_document_was_published_is_refused(queued, leader_of, client):
    client.force_login(leader_of("hoangvanthu"))
    actions.publish(queued, leader_of("langson"), at=ON_TIME)

    response = client.post(action_url(queued, "decline"), {"seen": "queued", "reason": "Trùng lặp"}, follow=True)

    assert status_of(queued) == PublicationStatus.PUBLISHED
    assert messages_on(response)


def test_republishing_from_a_page_that_showed_no_publication_does_not_override_a_decline(
    platform, queued, editor_of, leader_of, client
):
    site = platform["hoangvanthu"].site
    queued.delete()
    client.force_login(editor_of("hoangvanthu"))
    page = client.get(republish_url(queued.document)).content.decode()
    assert f'name="seen_{site.pk}" value="none"' in page
    declined = Publication.objects.create(document=queued.document, site=site)
    actions.decline(declined, leader_of("hoangvanthu"), "Không thuộc phạm vi của xã")

    response = client.post(republish_url(queued.document), {"site": site.pk, f"seen_{site.pk}": "none"}, follow=True)

    assert status_of(declined) == PublicationStatus.DECLINED
    assert any("nên không có thay đổi nào" in message for message in messages_on(response))


def test_publishing_selected_rows_of_the_queue_leaves_a_row_declined_meanwhile(queued, leader_of, client):
    client.force_login(leader_of("hoangvanthu"))
    actions.decline(queued, leader_of("langson"), "Văn bản đã được thay thế")

    client.post(reverse("news57_queue_publish"), {"publication": [queued.pk]})

    assert status_of(queued) == PublicationStatus.DECLINED


# The race, for real: two connections on PostgreSQL

postgresql_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="row locks that make a second connection wait exist on PostgreSQL; SQLite locks the whole file",
)


def waiting_on_a_lock(pid):
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_publish_waiting_on_a_declines_lock_refuses_once_the_decline_commits(platform, leader_of):
    langson = platform["langson"].agency
    plan = DirectiveDocument.objects.create(code="211/KH-UBND", title="Kế hoạch 211", issuer=langson, entered_by=langson)
    publication = Publication.objects.create(document=plan, site=platform["hoangvanthu"].site)
    decider, publisher = leader_of("hoangvanthu"), leader_of("langson")
    declined, publisher_pid, outcome = threading.Event(), {}, {}
    release = threading.Event()

    def decline_and_hold():
        try:
            with transaction.atomic():
                actions.decline(publication, decider, "Văn bản đã được thay thế")
                declined.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    def publish_after():
        try:
            declined.wait(timeout=30)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                publisher_pid["pid"] = cursor.fetchone()[0]
            try:
                actions.publish(publication, publisher, seen=PublicationStatus.QUEUED)
            except actions.PublicationRefused as refusal:
                outcome["refused"] = str(refusal)
            else:
                outcome["published"] = True
        finally:
            connections.close_all()

    holder = threading.Thread(target=decline_and_hold)
    waiter = threading.Thread(target=publish_after)
    holder.start()
    waiter.start()
    try:
        declined.wait(timeout=30)
        seen_waiting = False
        for _attempt in range(300):
            if "pid" in publisher_pid and waiting_on_a_lock(publisher_pid["pid"]):
                seen_waiting = True
                break
            threading.Event().wait(0.05)
        assert seen_waiting, "the publish never waited on the decline's row lock"
        assert not outcome, "the publish finished while the decline still held the row"
    finally:
        release.set()
        holder.join(timeout=30)
        waiter.join(timeout=30)
        close_old_connections()

    assert "refused" in outcome and "published" not in outcome
    assert status_of(publication) == PublicationStatus.DECLINED
