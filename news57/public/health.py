"""GET /healthz for monitoring: is the database there, is the broker there."""

import os

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

BROKER_TIMEOUT = 2


def database_reachable():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _folders_writable(options):
    # The filesystem transport "connects" to anything; what matters is that the
    # folders the worker reads are there and we may write to them.
    folders = {options.get("data_folder_in", ""), options.get("data_folder_out", "")}
    return all(folder and os.path.isdir(folder) and os.access(folder, os.W_OK) for folder in folders)


def broker_reachable():
    # Read from settings on every call so a changed broker URL is what gets checked.
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    try:
        with Connection(settings.CELERY_BROKER_URL, transport_options=options, connect_timeout=BROKER_TIMEOUT) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT)
            if conn.transport.driver_type == "filesystem":
                return _folders_writable(options)
        return True
    except Exception:
        return False


@never_cache
@require_safe
def healthz(request):
    """200 when the database and the broker answer, 503 when either does not."""
    checks = {"database": database_reachable(), "broker": broker_reachable()}
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **{name: "ok" if ok else "unreachable" for name, ok in checks.items()}},
        status=200 if healthy else 503,
    )
