"""The Celery app: broker from the environment, beat's entry for Wagtail's scheduled publishing."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from cms.celery import app as celery_app

BASE_DIR = Path(__file__).resolve().parent.parent
SCHEDULE_ENTRY = "wagtail scheduled publishing"

DESCRIBE_APP = """
import json
from cms.celery import app
app.loader.import_default_modules()  # what a worker does at start: autodiscovery included
app.finalize()
entry = app.conf.beat_schedule["wagtail scheduled publishing"]
print(json.dumps({
    "broker": app.conf.broker_url,
    "folder": app.conf.broker_transport_options.get("data_folder_in"),
    "queue": app.conf.task_default_queue,
    "every": entry["schedule"],
    "registered": "news57.tasks.publish_scheduled" in app.tasks,
}))
"""


def describe_app(tmp_path, **env):
    environ = {key: value for key, value in os.environ.items() if not key.startswith(("CELERY_", "NEWS57_"))}
    environ.update(NEWS57_VAR_DIR=str(tmp_path), **env)
    result = subprocess.run(
        [sys.executable, "-c", DESCRIBE_APP], cwd=BASE_DIR, env=environ, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_worker_discovers_the_publish_scheduled_task(tmp_path):
    assert describe_app(tmp_path)["registered"]


def test_beat_runs_scheduled_publishing_at_the_configured_interval():
    celery_app.finalize()
    entry = celery_app.conf.beat_schedule[SCHEDULE_ENTRY]
    assert entry["task"] == "news57.tasks.publish_scheduled"
    assert entry["schedule"] == float(settings.NEWS57_PUBLISH_SCHEDULED_SECONDS)


def test_a_run_nobody_picked_up_expires_before_the_next_one():
    celery_app.finalize()
    entry = celery_app.conf.beat_schedule[SCHEDULE_ENTRY]
    assert entry["options"]["expires"] == entry["schedule"]


def test_the_app_uses_the_broker_the_settings_name():
    assert celery_app.conf.broker_url == settings.CELERY_BROKER_URL


def test_without_a_broker_url_the_embedded_filesystem_broker_lives_under_var(tmp_path):
    described = describe_app(tmp_path)
    assert described["broker"] == "filesystem://"
    assert described["folder"] == str(tmp_path / "broker" / "queue")
    assert (tmp_path / "broker" / "queue").is_dir()


def test_a_broker_url_in_the_environment_is_used(tmp_path):
    described = describe_app(tmp_path, CELERY_BROKER_URL="redis://127.0.0.1:6379/15")
    assert described["broker"] == "redis://127.0.0.1:6379/15"


def test_scheduled_publishing_runs_every_minute_by_default(tmp_path):
    assert describe_app(tmp_path)["every"] == 60.0


def test_the_interval_and_the_queue_come_from_the_environment(tmp_path):
    described = describe_app(tmp_path, NEWS57_PUBLISH_SCHEDULED_SECONDS="5", NEWS57_CELERY_QUEUE="news57-staging")
    assert described["every"] == 5.0 and described["queue"] == "news57-staging"
