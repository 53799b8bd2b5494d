"""Data built once for a test module and rolled back at its end, like Django's setUpTestData."""

from contextlib import contextmanager

from django.db import transaction
from django.test import override_settings


@contextmanager
def module_transaction(django_db_blocker, tmp_path_factory):
    """Uploads go to a temporary directory (conftest's session settings already hash passwords cheaply)."""
    overrides = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    outer = transaction.atomic()
    with overrides:
        with django_db_blocker.unblock():
            outer.__enter__()
        try:
            yield
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)
