"""A served process, once its code is loaded, takes that code out of the garbage collector's sight (cms/wsgi.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

LOADED = """
import gc, json, sys
import cms.wsgi
print(json.dumps({
    "frozen": gc.get_freeze_count(),
    "tracked": len(gc.get_objects()),
    # Imported by the URL modules only, not by the apps' start-up.
    "url_modules_loaded": all(name in sys.modules for name in ("cms.urls", "wagtail.admin.views.account")),
}))
"""


def test_the_wsgi_application_loads_every_view_then_freezes_what_is_loaded(tmp_path):
    environ = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    environ["NEWS57_VAR_DIR"] = str(tmp_path)
    completed = subprocess.run(
        [sys.executable, "-c", LOADED], cwd=BASE_DIR, env=environ, capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    found = json.loads(completed.stdout)
    # The views the URL modules import are loaded before the first request, so they are frozen too.
    assert found["url_modules_loaded"]
    # Django, Wagtail and our code: well over 100,000 objects a full collection no longer walks.
    assert found["frozen"] > 100_000
    assert found["tracked"] < found["frozen"] / 10
