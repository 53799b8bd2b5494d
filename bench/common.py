"""What every benchmark here shares: Django on a private database, percentiles, the machine's description."""

import json
import os
import platform
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django():
    """Django configured on a private database; returns the temporary folder to remove, or None."""
    sys.path.insert(0, str(ROOT))
    temporary = None
    if not (os.environ.get("DATABASE_URL") and os.environ.get("NEWS57_VAR_DIR")):
        temporary = tempfile.mkdtemp(prefix="news57-bench-")
    if not os.environ.get("NEWS57_VAR_DIR"):
        os.environ["NEWS57_VAR_DIR"] = temporary
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{temporary}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    # Django's migrate logs nothing useful here; our own output is the table.
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    return temporary


def write_json(results, output):
    """The results written as JSON (UTF-8, indented) to `output`, its folder made if need be; returns the Path."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return output


def percentile(values, q):
    """Linear-interpolated percentile (q in 0..100), as numpy's default."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def machine_info(connection, **versions):
    """Python, machine, database and the given library versions, with the load average beside them."""
    import django

    info = {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "database_vendor": connection.vendor,
        "django": django.get_version(),
        **versions,
    }
    if hasattr(os, "getloadavg"):
        # Other work on the machine skews every figure: keep the load next to them.
        info["load_average"] = [round(load, 2) for load in os.getloadavg()]
    if connection.vendor == "sqlite":
        import sqlite3

        info["sqlite"] = sqlite3.sqlite_version
    return info


def analyze():
    """Planner statistics over the loaded rows, as a running installation has them (SQLite's from the hourly
    task, PostgreSQL's from autovacuum, which a bulk load outruns)."""
    from django.db import connection

    from news57.database import refresh_statistics

    if connection.vendor == "sqlite":
        refresh_statistics()
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
