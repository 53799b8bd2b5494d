"""Wagtail's scheduled publishing, run by beat: a page set for 09:00 is live by 09:01."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from news57.models import ArticlePage
from news57.tasks import publish_scheduled
from worker import Worker, wait_until


def schedule_article(section, title, go_live_at):
    """What the admin's "Publish" does with a go-live date in the future."""
    page = section.add_child(instance=ArticlePage(title=title, live=False))
    page.go_live_at = go_live_at
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    assert not page.live, "a page with a future go-live date must wait for it"
    return page, revision


def wait_for(moment):
    while timezone.now() <= moment:
        time.sleep(0.05)


def test_the_task_publishes_a_page_whose_time_has_come(platform):
    page, revision = schedule_article(platform["langson"].section, "Hội nghị chuyển đổi số", timezone.now() + timedelta(seconds=1))
    wait_for(page.go_live_at)
    publish_scheduled()
    page.refresh_from_db()
    assert page.live and page.live_revision_id == revision.pk


def test_the_task_leaves_a_page_scheduled_for_later_waiting(platform):
    go_live_at = timezone.now() + timedelta(hours=1)
    page, revision = schedule_article(platform["langson"].section, "Kế hoạch năm 2027", go_live_at)
    publish_scheduled()
    page.refresh_from_db()
    revision.refresh_from_db()
    assert not page.live and page.live_revision_id is None
    assert revision.approved_go_live_at == go_live_at


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_beat_and_a_real_worker_put_a_scheduled_page_live(platform, tmp_path):
    page, revision = schedule_article(
        platform["trunguong"].section, "Thông báo kết luận của Bộ Chính trị", timezone.now() + timedelta(seconds=3)
    )
    worker = Worker(tmp_path, NEWS57_PUBLISH_SCHEDULED_SECONDS="2")
    with worker:
        went_live = wait_until(lambda: ArticlePage.objects.filter(pk=page.pk, live=True).exists(), 90, worker)
    assert went_live, worker.log()[-5000:]
    page.refresh_from_db()
    assert page.live_revision_id == revision.pk
