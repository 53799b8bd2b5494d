"""Settings come from the environment: production values pass `check --deploy`, bad ones fail loudly."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
# Variables a developer's shell may carry that would change what is checked.
OURS = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "NEWS57_HTTPS", "NEWS57_BEHIND_PROXY", "CSRF_TRUSTED_ORIGINS",
        "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "DATABASE_URL",
        "CELERY_BROKER_URL", "CACHE_URL", "NEWS57_PUBLISH_SCHEDULED_SECONDS", "DJANGO_ALLOW_ASYNC_UNSAFE")  # fmt: skip


def manage(tmp_path, *args, **env):
    environ = {key: value for key, value in os.environ.items() if key not in OURS}
    environ.update(NEWS57_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=environ, capture_output=True, text=True, timeout=120
    )


def printed_by(tmp_path, code):
    """The words the code prints, run in a fresh process on the default settings."""
    result = manage(tmp_path, "shell", "-v", "0", "-c", code)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.fixture
def production():
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "news57.example.vn",
        "NEWS57_HTTPS": "1",
        "NEWS57_BEHIND_PROXY": "1",
    }


def test_production_settings_pass_the_deploy_check_with_no_issue(tmp_path, production):
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **production)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr and "ERROR" not in result.stderr


def test_production_on_postgresql_and_redis_passes_the_deploy_check(tmp_path, production):
    production.update(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/15",
        CACHE_URL="redis://127.0.0.1:6379/14",
    )
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **production)
    assert result.returncode == 0, result.stderr


def test_the_deploy_check_refuses_a_missing_secret_key(tmp_path, production):
    del production["SECRET_KEY"]
    result = manage(tmp_path, "check", "--deploy", **production)
    assert result.returncode != 0
    assert "news57.E001" in result.stderr


def test_the_deploy_check_refuses_plain_http(tmp_path, production):
    del production["NEWS57_HTTPS"]
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **production)
    assert result.returncode != 0
    assert "security.W008" in result.stderr and "security.W004" in result.stderr


def test_the_deploy_check_refuses_debug(tmp_path, production):
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **{**production, "DEBUG": "1"})
    assert result.returncode != 0 and "security.W018" in result.stderr


def test_without_a_secret_key_one_machine_keeps_a_generated_key_under_var(tmp_path):
    result = manage(tmp_path, "shell", "-v", "0", "-c", "from django.conf import settings; print(settings.SECRET_KEY)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (tmp_path / "secret_key").read_text().strip()
    assert len(result.stdout.strip()) >= 50


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("DEBUG", "maybe", "DEBUG='maybe' is not a boolean"),
        ("NEWS57_HTTPS", "sometimes", "NEWS57_HTTPS='sometimes' is not a boolean"),
        ("CACHE_URL", "foo://", "CACHE_URL='foo://'"),
        ("DATABASE_URL", "foo://user:hunter2@db/news57", "DATABASE_URL with scheme 'foo'"),
        ("CELERY_BROKER_URL", "foo://user:hunter2@mq//", "CELERY_BROKER_URL with scheme 'foo'"),
        ("NEWS57_PUBLISH_SCHEDULED_SECONDS", "soon", "NEWS57_PUBLISH_SCHEDULED_SECONDS='soon' is not an integer"),
        ("NEWS57_PUBLISH_SCHEDULED_SECONDS", "0", "must be at least 1"),
        ("SECURE_HSTS_SECONDS", "1y", "SECURE_HSTS_SECONDS='1y' is not an integer"),
    ],
)
def test_an_invalid_environment_value_stops_start_up_with_a_clear_message(tmp_path, name, value, message):
    # HSTS settings are read only when HTTPS is on.
    env = {name: value, "NEWS57_HTTPS": "1"} if name == "SECURE_HSTS_SECONDS" else {name: value}
    result = manage(tmp_path, "check", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_an_invalid_url_does_not_print_its_password(tmp_path):
    result = manage(tmp_path, "check", DATABASE_URL="foo://user:hunter2@db/news57")
    assert "hunter2" not in result.stderr + result.stdout


def test_the_default_database_is_sqlite_in_wal_mode_with_immediate_transactions(tmp_path):
    code = (
        "from django.conf import settings; from django.db import connection;"
        "options = settings.DATABASES['default']['OPTIONS'];"
        "print(options['transaction_mode'], options['timeout']);"
        "cursor = connection.cursor(); cursor.execute('PRAGMA journal_mode'); print(cursor.fetchone()[0])"
    )
    assert printed_by(tmp_path, code) == ["IMMEDIATE", "30", "wal"]


def test_the_embedded_cache_keeps_what_a_province_of_sites_reads(tmp_path):
    """Django's locmem default culls a third of its keys at 300: fragments and site lookups of a few dozen sites."""
    code = (
        "from django.core.cache import cache;"
        "cache.set('first', 1);"
        "[cache.set(f'k{n}', n) for n in range(5000)];"
        "print(cache.get('first'))"
    )
    assert printed_by(tmp_path, code) == ["1"]
