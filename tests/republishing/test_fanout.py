"""Fan-out: every imported document reaches every subscribing site once, live or queued per policy."""

import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone as django_timezone

from news57.models import (
    DeadlineRule,
    DirectiveDocument,
    Publication,
    PublicationStatus,
    Source,
    Subscription,
    Topic,
)
from news57.models import subscriptions as subscription_models
from news57.republishing.fanout import fan_out
from news57.republishing.tasks import backfill_subscription
from news57.syndication.poll import poll

FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
UTC = timezone.utc
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture
def central(platform, httpserver, monkeypatch):
    monkeypatch.setenv("NEWS57_FETCH_ALLOW_HOSTS", f"127.0.0.1:{httpserver.port}")
    httpserver.expect_request("/central.xml").respond_with_data(
        (FEEDS / "central-rss20.xml").read_bytes(), content_type="application/rss+xml"
    )
    return Source.objects.create(
        name="Cổng TTĐT Chính phủ",
        url=f"http://127.0.0.1:{httpserver.port}/central.xml",
        default_issuer=platform["chinh-phu"].agency,
        level="central",
    )


@pytest.fixture
def day():
    return DeadlineRule.objects.create(name="Trong 24 giờ", unit="hours", amount=24)


def subscribe(source, setup, rule, **fields):
    fields.setdefault("starts_at", LONG_AGO)
    return Subscription.objects.create(source=source, agency=setup.agency, deadline_rule=rule, **fields)


def sites_of(code, **filters):
    return set(
        Publication.objects.filter(document__code_key=code, **filters).values_list("site__agency__slug", flat=True)
    )


def test_a_province_subscription_reaches_its_departments_and_communes_live_at_once(platform, central, day):
    subscribe(central, platform["langson"], day, include_below=True)
    poll(central)
    assert sites_of("1169/QĐ-TTg", status=PublicationStatus.PUBLISHED) == {"langson", "thanhtra-langson", "hoangvanthu"}
    assert Publication.objects.count() == 4 * 3


def test_a_site_that_does_not_subscribe_gets_nothing(platform, central, day):
    subscribe(central, platform["langson"], day, include_below=True)
    poll(central)
    assert not Publication.objects.filter(site__agency__slug__in=["trunguong", "vpubnd-laichau"]).exists()


def test_the_agency_tree_can_leave_out_the_agency_itself(platform, central, day):
    subscribe(central, platform["langson"], day, include_agency=False, include_below=True)
    poll(central)
    assert sites_of("71/NQ-CP") == {"thanhtra-langson", "hoangvanthu"}


def test_a_queuing_subscription_waits_for_the_agencys_approval(platform, central, day):
    subscribe(central, platform["hoangvanthu"], day, policy="queue")
    poll(central)
    queued = Publication.objects.get(document__code_key="1169/QĐ-TTg")
    assert queued.status == PublicationStatus.QUEUED and queued.published_at is None


def test_when_two_subscriptions_cover_a_site_publishing_at_once_wins(platform, central, day):
    subscribe(central, platform["hoangvanthu"], day, policy="queue")
    subscribe(central, platform["langson"], day, include_below=True)
    poll(central)
    assert Publication.objects.get(document__code_key="03/NQ-CP", site=platform["hoangvanthu"].site).is_live


def test_a_citation_filter_lets_through_only_the_documents_that_are_or_cite_the_code(platform, central, day):
    subscribe(central, platform["langson"], day, only_citing="1169/QD-TTG")
    poll(central)
    assert set(Publication.objects.values_list("document__code_key", flat=True)) == {"1169/QĐ-TTg"}


def test_a_filter_on_resolution_57_admits_the_resolution_and_what_cites_it(platform, central, day):
    subscribe(central, platform["langson"], day, only_citing="57- -NQ/TW")
    poll(central)
    assert Publication.objects.count() == 4


def test_a_topic_filter_admits_a_document_once_it_has_the_topic(platform, central, day):
    topic = Topic.objects.create(name="Chuyển đổi số")
    subscribe(central, platform["langson"], day, only_topic=topic)
    poll(central)
    assert not Publication.objects.exists()
    document = DirectiveDocument.objects.get(code_key="71/NQ-CP")
    document.topics.add(topic)
    document.save()  # a ParentalManyToManyField writes on save
    fan_out([document.pk])
    assert sites_of("71/NQ-CP") == {"langson"}


def test_the_obligation_begins_at_the_source_time_and_is_due_by_the_rule(platform, central, day):
    subscribe(central, platform["langson"], day)
    poll(central)
    publication = Publication.objects.get(document__code_key="1169/QĐ-TTg")
    assert publication.obligated_at == datetime(2025, 6, 16, 9, 45, tzinfo=UTC)
    assert publication.due_at == datetime(2025, 6, 17, 9, 45, tzinfo=UTC)
    assert publication.deadline_rule == "Trong 24 giờ" and not publication.is_backfill


def test_latency_is_recorded_from_source_time_through_first_seen_to_live(platform, central, day):
    subscribe(central, platform["langson"], day)
    before = django_timezone.now()
    poll(central)
    publication = Publication.objects.get(document__code_key="1169/QĐ-TTg")
    assert publication.source_time == datetime(2025, 6, 16, 9, 45, tzinfo=UTC)
    assert before <= publication.first_seen_at <= publication.published_at <= django_timezone.now()


def test_documents_older_than_the_subscription_are_backfill_published_and_never_late(platform, central, day):
    poll(central)
    subscription = subscribe(central, platform["langson"], day, starts_at=django_timezone.now())
    backfill_subscription.apply(args=[subscription.pk])
    publications = Publication.objects.filter(site=platform["langson"].site)
    assert publications.count() == 4
    for publication in publications:
        assert publication.is_live and publication.is_backfill and publication.is_on_time is True
        assert publication.obligated_at == publication.subscription.starts_at


def test_a_new_subscription_gets_what_its_source_already_brought(platform, central, day):
    poll(central)
    assert not Publication.objects.exists()
    subscription = subscribe(central, platform["langson"], day, include_below=True)
    backfill_subscription.apply(args=[subscription.pk])
    assert Publication.objects.count() == 4 * 3


def test_re_running_fan_out_creates_nothing(platform, central, day):
    subscribe(central, platform["langson"], day, include_below=True)
    poll(central)
    ids = list(DirectiveDocument.objects.values_list("pk", flat=True))
    assert fan_out(ids) == 0 and Publication.objects.count() == 12


def test_a_decision_already_taken_is_not_undone_by_fan_out(platform, central, day):
    subscribe(central, platform["hoangvanthu"], day, policy="queue")
    poll(central)
    queued = Publication.objects.get(document__code_key="71/NQ-CP")
    Publication.objects.filter(pk=queued.pk).update(status=PublicationStatus.DECLINED, reason="Không thuộc phạm vi")
    fan_out([queued.document_id])
    queued.refresh_from_db()
    assert queued.status == PublicationStatus.DECLINED


def test_a_fan_out_interrupted_halfway_is_completed_by_the_next_run(platform, central, day, monkeypatch):
    poll(central)
    subscription = Subscription(
        source=central, agency=platform["langson"].agency, deadline_rule=day, include_below=True, starts_at=LONG_AGO
    )
    calls = []
    admits = subscription_models.Subscription.admits

    def fails_halfway(self, document):
        calls.append(document.pk)
        if len(calls) == 3:
            raise RuntimeError("worker killed halfway through the fan-out")
        return admits(self, document)

    monkeypatch.setattr(subscription_models.Subscription, "admits", fails_halfway)
    subscription.save()
    with pytest.raises(RuntimeError):
        backfill_subscription.apply(args=[subscription.pk], throw=True)
    monkeypatch.undo()
    ids = list(DirectiveDocument.objects.values_list("pk", flat=True))
    fan_out(ids)
    assert Publication.objects.count() == 12
    assert Publication.objects.values("document", "site").distinct().count() == 12


@pytest.mark.django_db(transaction=True)
def test_concurrent_fan_outs_create_exactly_one_publication_per_document_and_site(platform, central, day):
    subscribe(central, platform["langson"], day, include_below=True)
    subscribe(central, platform["trunguong"], day, policy="queue")
    Subscription.objects.update(enabled=False)
    poll(central)
    Subscription.objects.update(enabled=True)
    ids = list(DirectiveDocument.objects.values_list("pk", flat=True))
    barrier, errors = threading.Barrier(4), []

    def run():
        try:
            barrier.wait()
            fan_out(ids)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert Publication.objects.count() == 4 * 4
    assert Publication.objects.values("document", "site").distinct().count() == 16
