"""Backfill: a new or widened subscription gets what its source already brought, in a task, batch by batch.

The admin request only queues it; the task's batches commit one by one with the
subscription's progress, which the subscription's screen shows in Vietnamese.
"""

from contextlib import contextmanager
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from kombu import Connection

from cms.celery import app as celery_app
from news57.admin.subscriptions import SubscriptionViewSet
from news57.models import DeadlineRule, DirectiveDocument, Publication, Source, SourceEntry, Subscription
from news57.models.sources import key_hash
from news57.models.subscriptions import BackfillState
from news57.republishing import fanout
from news57.republishing.fanout import backfill_step
from news57.republishing.tasks import backfill_subscription
from worker import QUEUE, Worker, wait_until

SUBSCRIPTIONS = SubscriptionViewSet()
# Lạng Sơn's own site, its department's and its commune's.
LANGSON_SITES = 3

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule():
    return DeadlineRule.objects.create(name="Trong 24 giờ", unit="hours", amount=24)


@pytest.fixture
def source(platform):
    """The province's source, which brought five plans before anyone subscribed to it."""
    langson = platform["langson"].agency
    source = Source.objects.create(
        name="UBND tỉnh Lạng Sơn", url="https://langson.example.vn/rss", default_issuer=langson, level="province"
    )
    for number in range(1, 6):
        plan = DirectiveDocument.objects.create(
            code=f"{210 + number}/KH-UBND",
            title=f"Kế hoạch số {210 + number}/KH-UBND triển khai Nghị quyết số 57-NQ/TW",
            issuer=langson,
            issued_on=date(2025, 8, number),
        )
        guid = f"urn:langson:{plan.code}"
        SourceEntry.objects.create(
            source=source, guid=guid, guid_hash=key_hash(guid), kind="document", document=plan, title=plan.title,
            published_at=datetime(2025, 8, number, 3, tzinfo=UTC),
        )  # fmt: skip
    return source


def plans(source):
    return list(DirectiveDocument.objects.filter(source_entries__source=source).order_by("pk"))


@pytest.fixture
def eager_celery():
    """Celery running a queued task at once, in this process, instead of sending it to a broker."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


def subscribe(source, setup, rule, **fields):
    return Subscription.objects.create(source=source, agency=setup.agency, deadline_rule=rule, **fields)


def form(source, agency, rule, **fields):
    return {
        "source": source.pk, "agency": agency.pk, "include_agency": "on", "include_below": "on", "policy": "publish",
        "deadline_rule": rule.pk, "starts_at": timezone.localtime(timezone.now()).strftime("%Y-%m-%d %H:%M"),
        "enabled": "on", "only_citing": "", "only_topic": "", **fields,
    }  # fmt: skip


def progress(subscription):
    subscription.refresh_from_db()
    return subscription.backfill_state, subscription.backfill_done, subscription.backfill_total


def carried(subscription):
    return set(Publication.objects.filter(subscription=subscription).values_list("document_id", "site_id"))


@contextmanager
def inserts_refused(document):
    """A database that refuses this document's publications, as a full disk or a broken constraint would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION news57_refuse() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'publications refused'; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER news57_refuse BEFORE INSERT ON news57_publication FOR EACH ROW "
                f"WHEN (NEW.document_id = {document.pk}) EXECUTE FUNCTION news57_refuse()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER news57_refuse BEFORE INSERT ON news57_publication "
                f"WHEN NEW.document_id = {document.pk} BEGIN SELECT RAISE(ABORT, 'publications refused'); END"
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("DROP TRIGGER news57_refuse ON news57_publication")
                cursor.execute("DROP FUNCTION news57_refuse()")
            else:
                cursor.execute("DROP TRIGGER news57_refuse")


def test_saving_a_subscription_in_the_admin_queues_its_backfill_and_creates_nothing_in_the_request(
    platform, source, rule, admin_client, django_capture_on_commit_callbacks, eager_celery
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(
            reverse(SUBSCRIPTIONS.get_url_name("add")), form(source, platform["langson"].agency, rule), follow=True
        )

    assert response.status_code == 200 and response.redirect_chain, response.context["form"].errors
    assert "Đã đưa việc bổ sung văn bản đã có vào hàng đợi" in response.content.decode()
    subscription = Subscription.objects.get()
    assert progress(subscription) == (BackfillState.QUEUED, 0, None)
    assert not Publication.objects.exists()
    # What was left for after the commit queues the task; run eagerly, it is the backfill.
    for callback in callbacks:
        callback()
    assert progress(subscription) == (BackfillState.DONE, 5, 5)
    assert Publication.objects.count() == 5 * LANGSON_SITES


def test_each_batch_moves_the_progress_by_its_documents(platform, source, rule):
    subscription = subscribe(source, platform["langson"], rule, include_below=True)
    first, second, third, fourth, fifth = plans(source)

    assert backfill_step(subscription.pk, batch_size=2)
    assert progress(subscription) == (BackfillState.RUNNING, 0, 5)
    assert backfill_step(subscription.pk, batch_size=2)
    assert progress(subscription) == (BackfillState.RUNNING, 2, 5)
    assert {document for document, _site in carried(subscription)} == {first.pk, second.pk}
    assert backfill_step(subscription.pk, batch_size=2)
    assert progress(subscription) == (BackfillState.RUNNING, 4, 5)
    assert not backfill_step(subscription.pk, batch_size=2)
    assert progress(subscription) == (BackfillState.DONE, 5, 5)
    assert {document for document, _site in carried(subscription)} == {p.pk for p in (first, second, third, fourth, fifth)}


def test_by_default_a_batch_holds_about_as_many_publications_as_fan_out_builds_at_once(
    platform, source, rule, monkeypatch
):
    monkeypatch.setattr(fanout, "PUBLICATIONS_AT_ONCE", 2 * LANGSON_SITES)
    subscription = subscribe(source, platform["langson"], rule, include_below=True)

    backfill_step(subscription.pk)
    backfill_step(subscription.pk)

    assert progress(subscription) == (BackfillState.RUNNING, 2, 5)


def test_a_task_out_of_time_hands_the_rest_over_to_a_new_task(platform, source, rule, eager_celery):
    subscription = subscribe(source, platform["langson"], rule, include_below=True)

    backfill_subscription.apply(args=[subscription.pk], kwargs={"batch_size": 2, "seconds": 0})

    assert progress(subscription) == (BackfillState.DONE, 5, 5)
    assert len(carried(subscription)) == 5 * LANGSON_SITES


def test_the_task_carries_every_document_to_every_site_and_records_when_it_finished(platform, source, rule):
    subscription = subscribe(source, platform["langson"], rule, include_below=True)
    before = timezone.now()

    backfill_subscription.apply(args=[subscription.pk], kwargs={"batch_size": 2})

    assert progress(subscription) == (BackfillState.DONE, 5, 5)
    assert before <= subscription.backfill_started_at <= subscription.backfill_finished_at <= timezone.now()
    sites = {platform[slug].site.pk for slug in ("langson", "thanhtra-langson", "hoangvanthu")}
    assert carried(subscription) == {(plan.pk, site) for plan in plans(source) for site in sites}


def test_running_the_task_again_creates_nothing_twice(platform, source, rule):
    subscription = subscribe(source, platform["langson"], rule, include_below=True)
    backfill_subscription.apply(args=[subscription.pk], kwargs={"batch_size": 2})
    first = set(Publication.objects.values_list("pk", flat=True))

    backfill_subscription.apply(args=[subscription.pk], kwargs={"batch_size": 2})
    subscription.queue_backfill()  # as if saved again: the whole run over
    backfill_subscription.apply(args=[subscription.pk], kwargs={"batch_size": 2})

    assert set(Publication.objects.values_list("pk", flat=True)) == first
    assert progress(subscription) == (BackfillState.DONE, 5, 5)


def test_a_failing_batch_keeps_the_batches_before_it_and_the_next_run_completes_the_rest(platform, source, rule):
    subscription = subscribe(source, platform["langson"], rule, include_below=True)
    first, second, third, _fourth, _fifth = plans(source)
    # The database refuses the third document's publications: its batch fails.
    with inserts_refused(third):
        result = backfill_subscription.apply(args=[subscription.pk], kwargs={"batch_size": 2})

    assert result.failed()
    assert progress(subscription) == (BackfillState.FAILED, 2, 5)
    assert "publications refused" in subscription.backfill_error
    assert {document for document, _site in carried(subscription)} == {first.pk, second.pk}
    kept = set(Publication.objects.values_list("pk", flat=True))

    backfill_subscription.apply(args=[subscription.pk], kwargs={"batch_size": 2})

    assert progress(subscription) == (BackfillState.DONE, 5, 5)
    assert subscription.backfill_error == ""
    assert len(carried(subscription)) == 5 * LANGSON_SITES
    assert kept <= set(Publication.objects.values_list("pk", flat=True))


def test_a_subscription_widened_while_its_backfill_runs_ends_up_on_its_new_sites(platform, source, rule):
    subscription = subscribe(source, platform["langson"], rule)
    assert backfill_step(subscription.pk, batch_size=2) and backfill_step(subscription.pk, batch_size=2)
    assert len(carried(subscription)) == 2

    widened = Subscription.objects.get(pk=subscription.pk)  # as the admin's form loads it, progress and all
    widened.include_below = True
    widened.save()
    assert progress(subscription) == (BackfillState.QUEUED, 0, None)
    # The task already running goes on with the new run from the first document.
    while backfill_step(subscription.pk, batch_size=2):
        pass

    assert progress(subscription) == (BackfillState.DONE, 5, 5)
    assert len(carried(subscription)) == 5 * LANGSON_SITES


def test_a_disabled_subscription_is_not_backfilled(platform, source, rule):
    subscription = subscribe(source, platform["langson"], rule, enabled=False)

    backfill_subscription.apply(args=[subscription.pk])

    assert not Publication.objects.exists()
    assert progress(subscription) == (BackfillState.NONE, 0, None)


@pytest.mark.django_db(transaction=True)
def test_two_workers_backfilling_one_subscription_at_once_create_each_publication_once(platform, source, rule):
    # bulk_create: no signal, so nothing goes to the broker of this test process.
    Subscription.objects.bulk_create(
        [Subscription(source=source, agency=platform["langson"].agency, include_below=True, deadline_rule=rule)]
    )
    subscription = Subscription.objects.get(source=source)
    barrier, errors = threading.Barrier(2), []

    def work():
        try:
            barrier.wait()
            backfill_subscription.apply(args=[subscription.pk], kwargs={"batch_size": 1}, throw=True)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert not errors, errors
    assert Publication.objects.count() == 5 * LANGSON_SITES
    assert Publication.objects.values("document", "site").distinct().count() == 5 * LANGSON_SITES
    assert progress(subscription) == (BackfillState.DONE, 5, 5)


def send_to(worker, task, *args, **kwargs):
    """Queue a task for the test worker, on its own broker folder or queue."""
    if not worker.env["CELERY_BROKER_URL"].startswith("filesystem:"):
        return task.apply_async(args, kwargs, queue=QUEUE)
    folder = worker.tmp_path / "broker"
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    options = {
        "data_folder_in": str(folder / "queue"), "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"), "control_folder": str(folder / "control"),
        "store_processed": False,
    }  # fmt: skip
    with Connection("filesystem://", transport_options=options) as broker:
        return task.apply_async(args, kwargs, queue=QUEUE, connection=broker)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_queued_backfill_to_the_end(platform, source, rule, tmp_path):
    Subscription.objects.bulk_create(
        [Subscription(source=source, agency=platform["langson"].agency, include_below=True, deadline_rule=rule)]
    )
    subscription = Subscription.objects.get(source=source)
    Subscription.objects.filter(pk=subscription.pk).update(backfill_state=BackfillState.QUEUED)
    worker = Worker(tmp_path)
    with worker:
        send_to(worker, backfill_subscription, subscription.pk, batch_size=2)
        finished = wait_until(lambda: progress(subscription)[0] == BackfillState.DONE, 90, worker)
    assert finished, worker.log()[-5000:]
    assert progress(subscription) == (BackfillState.DONE, 5, 5)
    assert Publication.objects.filter(subscription=subscription).count() == 5 * LANGSON_SITES


# The subscription's screen and listing, in Vietnamese.


def edit_page(client, subscription):
    return client.get(reverse(SUBSCRIPTIONS.get_url_name("edit"), args=[subscription.pk])).content.decode()


def test_the_screen_shows_a_running_backfill_as_documents_done_of_all(platform, source, rule, admin_client):
    subscription = subscribe(source, platform["langson"], rule)
    Subscription.objects.filter(pk=subscription.pk).update(
        backfill_state=BackfillState.RUNNING, backfill_done=1200, backfill_total=5000
    )

    assert "Đang bổ sung văn bản đã có: 1.200/5.000" in edit_page(admin_client, subscription)


def test_the_screen_shows_when_a_backfill_finished_in_vietnam_time(platform, source, rule, admin_client):
    subscription = subscribe(source, platform["langson"], rule)
    Subscription.objects.filter(pk=subscription.pk).update(
        backfill_state=BackfillState.DONE, backfill_done=5000, backfill_total=5000,
        backfill_finished_at=datetime(2025, 6, 16, 2, 30, tzinfo=UTC),
    )  # fmt: skip

    assert "Đã bổ sung xong văn bản đã có (5.000 văn bản) lúc 16/06/2025 09:30" in edit_page(admin_client, subscription)


def test_the_screen_shows_a_failed_backfill_with_its_error(platform, source, rule, admin_client):
    subscription = subscribe(source, platform["langson"], rule)
    third = plans(source)[2]
    with inserts_refused(third):
        backfill_subscription.apply(args=[subscription.pk], kwargs={"batch_size": 2})

    page = edit_page(admin_client, subscription)

    assert "Bổ sung văn bản đã có bị lỗi lúc" in page and "khi đã xong 2/5" in page
    assert "Lỗi: " in page and "publications refused" in page
    assert "Lưu lại đăng ký nhận để chạy lại" in page


def test_the_listing_shows_each_subscriptions_backfill(platform, source, rule, admin_client):
    subscribe(source, platform["langson"], rule)

    content = admin_client.get(reverse(SUBSCRIPTIONS.get_url_name("index"))).content.decode()

    assert "Bổ sung văn bản đã có" in content and "Đang chờ bổ sung văn bản đã có" in content
