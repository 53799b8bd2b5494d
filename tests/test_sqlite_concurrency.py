"""Web, worker and beat share one SQLite file: writers queue up instead of failing "database is locked".

Run as a script, this file is one of the writer processes the test starts.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PROCESSES = 4
TRANSACTIONS = 50
COUNTER = "news57-concurrency-counter"


def write(worker_id, transactions, folder):
    """Read-modify-write a shared row, insert an own row, read: the pattern that deadlocks under DEFERRED."""
    from django.contrib.auth.models import Group
    from django.contrib.sessions.models import Session
    from django.db import transaction

    for number in range(transactions):
        with transaction.atomic():
            counter = Session.objects.get(session_key=COUNTER)
            counter.session_data = str(int(counter.session_data) + 1)
            counter.save(update_fields=["session_data"])
            Group.objects.create(name=f"writer-{worker_id}-{number}")
        Group.objects.filter(name__startswith="writer-").count()


def main(worker_id, transactions, folder):
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    import django

    django.setup()
    folder = Path(folder)
    (folder / f"ready-{worker_id}").touch()
    deadline = time.monotonic() + 60
    while not (folder / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    write(worker_id, transactions, folder)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
else:
    import pytest
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.utils import timezone

    pytestmark = pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="SQLite only"
    )

    def start_writers(tmp_path):
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{Path(connection.settings_dict['NAME']).resolve()}"}
        return [
            subprocess.Popen(
                [sys.executable, __file__, str(worker_id), str(TRANSACTIONS), str(tmp_path)],
                cwd=BASE_DIR,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for worker_id in range(PROCESSES)
        ]

    def wait_ready(tmp_path, writers, timeout=90):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all((tmp_path / f"ready-{worker_id}").exists() for worker_id in range(PROCESSES)):
                return
            if any(writer.poll() is not None for writer in writers):
                return
            time.sleep(0.05)

    @pytest.fixture
    def writers(tmp_path):
        started = start_writers(tmp_path)
        try:
            yield started
        finally:
            for writer in started:
                if writer.poll() is None:
                    writer.kill()
                writer.wait(timeout=30)

    def test_the_database_file_is_in_wal_mode(db):
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"

    @pytest.mark.django_db(transaction=True)
    def test_concurrent_writers_and_a_reader_finish_without_database_is_locked(tmp_path, writers):
        Session.objects.create(session_key=COUNTER, session_data="0", expire_date=timezone.now())
        wait_ready(tmp_path, writers)
        (tmp_path / "go").touch()
        deadline = time.monotonic() + 240
        # The test process reads while they write, as the web does beside worker and beat.
        while any(writer.poll() is None for writer in writers) and time.monotonic() < deadline:
            Group.objects.filter(name__startswith="writer-").count()
            time.sleep(0.01)
        outputs = [writer.communicate(timeout=30)[0] if writer.poll() is not None else "(still running)" for writer in writers]
        assert [writer.returncode for writer in writers] == [0] * PROCESSES, "\n".join(outputs)[-5000:]
        assert Group.objects.filter(name__startswith="writer-").count() == PROCESSES * TRANSACTIONS
        assert Session.objects.get(session_key=COUNTER).session_data == str(PROCESSES * TRANSACTIONS)
