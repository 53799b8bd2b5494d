"""A served process, once its code is loaded, takes that code out of the garbage collector's sight: the WSGI
application (cms/wsgi.py) and each of the worker's pool processes (cms/celery.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

WSGI = "import cms.wsgi"
# What Celery's prefork pool does in each process it forks, once the worker has set Django up.
WORKER = """
import django
from celery.signals import worker_process_init
import cms.celery
django.setup()
worker_process_init.send(sender=None)
"""
REPORT = """
import gc, json, sys
print(json.dumps({
    "frozen": gc.get_freeze_count(),
    "tracked": len(gc.get_objects()),
    # Imported by the URL modules only, not by the apps' start-up.
    "url_modules_loaded": all(name in sys.modules for name in ("cms.urls", "wagtail.admin.views.account")),
}))
"""


def loaded(tmp_path, start):
    environ = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    environ["NEWS57_VAR_DIR"] = str(tmp_path)
    completed = subprocess.run(
        [sys.executable, "-c", start + REPORT], cwd=BASE_DIR, env=environ, capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


@pytest.mark.parametrize("start", [WSGI, WORKER], ids=["wsgi application", "worker pool process"])
def test_a_process_loads_every_view_then_freezes_what_is_loaded(tmp_path, start):
    found = loaded(tmp_path, start)
    # The views the URL modules import are loaded before the first request, so they are frozen too.
    assert found["url_modules_loaded"]
    # Django, Wagtail and our code: well over 100,000 objects a full collection no longer walks.
    assert found["frozen"] > 100_000
    assert found["tracked"] < found["frozen"] / 10
