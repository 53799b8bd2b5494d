"""A real Celery worker with beat in a subprocess, on the test database.

The worker gets the test process's broker but its own queue (Redis, RabbitMQ)
or its own broker folder (filesystem), so stale messages of earlier runs or of
a `make run` on the same machine never reach it.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from kombu import Connection

BASE_DIR = Path(__file__).resolve().parent.parent
# Its own queue per xdist process too: two workers on one Redis database must not take each other's tasks.
QUEUE = f"news57-test-worker-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


def database_url(settings_dict):
    """A DATABASE_URL naming the database this connection uses (the test one)."""
    engine, name = settings_dict["ENGINE"], str(settings_dict["NAME"])
    if engine == "django.db.backends.sqlite3":
        if name == ":memory:" or name.startswith("file:"):
            raise RuntimeError("an in-memory SQLite test database cannot be shared with a worker")
        return f"sqlite:///{Path(name).resolve()}"
    if engine == "django.db.backends.postgresql":
        user, password = settings_dict.get("USER") or "", settings_dict.get("PASSWORD") or ""
        auth = quote(user, safe="") + (":" + quote(password, safe="") if password else "")
        host = quote(settings_dict.get("HOST") or "", safe="")
        port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
        return f"postgres://{auth}{'@' if auth else ''}{host}{port}/{quote(name, safe='')}"
    raise RuntimeError(f"no DATABASE_URL for {engine}")


def purge_queue(broker_url, queue):
    with Connection(broker_url) as conn:
        try:
            conn.default_channel.queue_purge(queue)
        except conn.channel_errors:
            pass  # RabbitMQ: the queue does not exist yet, so nothing is stale


class Worker:
    """`celery -A cms worker --beat` on the test database; use as a context manager."""

    def __init__(self, tmp_path, **env):
        self.tmp_path = Path(tmp_path)
        self.log_path = self.tmp_path / "worker.log"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url(connection.settings_dict),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "NEWS57_CELERY_QUEUE": QUEUE,
            "NEWS57_BROKER_DIR": str(self.tmp_path / "broker"),
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        self.process = None

    def start(self):
        if not self.env["CELERY_BROKER_URL"].startswith("filesystem:"):
            purge_queue(self.env["CELERY_BROKER_URL"], QUEUE)
        command = [
            sys.executable, "-m", "celery", "-A", "cms", "worker", "--beat",
            "--schedule-filename", str(self.tmp_path / "celerybeat-schedule"),
            "--hostname", f"news57-test-{os.getpid()}@%h",
            "--concurrency", "1", "--loglevel", "INFO",
            "--without-mingle", "--without-gossip", "--without-heartbeat",
        ]  # fmt: skip
        with self.log_path.open("wb") as log:
            # A session of its own, so stop() can end the pool's children with it.
            self.process = subprocess.Popen(
                command, cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self, timeout=20):
        if self.process is None:
            return
        if self.alive():
            self.process.send_signal(signal.SIGTERM)  # warm shutdown: finish the task in hand
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # whatever of its group is left
        except ProcessLookupError:
            pass
        self.process.wait(timeout=timeout)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


def wait_until(condition, timeout, worker=None, interval=0.25):
    """Poll `condition` until true or `timeout` seconds pass; stop early if the worker died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if worker is not None and not worker.alive():
            return condition()
        time.sleep(interval)
    return condition()
