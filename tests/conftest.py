import copy
import json
import os
import socket

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from pytest_django.plugin import blocking_manager_key
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from news57.demo.agencies import provision_demo_agencies
from news57.models import Agency, HomePage, SectionPage
from news57.provisioning import AgencySetup


def ensure_wagtail_roots():
    """What Wagtail's data migrations make and a transactional test's flush removes."""
    language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    locale, _created = Locale.objects.get_or_create(language_code=language)
    if Page.get_first_root_node() is None:
        Page.add_root(title="Root", slug="root", locale=locale)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


@pytest.fixture(autouse=True)
def no_outbound(monkeypatch):
    """Fail any test that tries to connect to an address off this machine."""
    real = socket.create_connection

    def guarded(address, *args, **kwargs):
        assert address[0] in ("127.0.0.1", "::1", "localhost"), f"attempted connection to {address[0]}"
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)


@pytest.fixture
def served(httpserver, monkeypatch):
    """Serve bytes at a path of the local server, which the fetcher may then reach: serve(path, body) -> URL."""
    from werkzeug import Response

    monkeypatch.setenv("NEWS57_FETCH_ALLOW_HOSTS", f"127.0.0.1:{httpserver.port}")

    def serve(path, body, content_type="application/rss+xml; charset=utf-8", status=200):
        httpserver.expect_request(path).respond_with_response(Response(body, status=status, content_type=content_type))
        return f"http://127.0.0.1:{httpserver.port}{path}"

    return serve


@pytest.fixture(autouse=True, scope="session")
def test_process_settings():
    """PBKDF2 is slow on purpose (half a second an account here); the tests' accounts need none of that.

    With a process per core on one Redis, each process keeps its cached values under its
    own prefix: Wagtail's cached site roots name rows of that process's database only.
    """
    caches = copy.deepcopy(settings.CACHES)
    for cache_settings in caches.values():
        cache_settings["KEY_PREFIX"] = os.environ.get("PYTEST_XDIST_WORKER", "")
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], CACHES=caches):
        yield


@pytest.fixture(autouse=True, scope="module")
def cache_cleared_per_module(test_process_settings):
    """Each module starts with an empty cache, before its shared data is built.

    Rolled-back rows come back under the same ids on SQLite: a section's fragments or a
    site's content version cached by an earlier module would otherwise name them.
    """
    cache.clear()


def build_platform():
    """The demo's agencies and sites, without content, in the database as it is now: {slug: AgencySetup}."""
    ensure_wagtail_roots()
    return provision_demo_agencies(port=80)


def is_transactional(item):
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(item.fixturenames))


class ModulePlatform:
    """The demo platform built once for a test module, in a transaction rolled back at the module's end.

    Each test's own transaction nests inside it (a savepoint), so a test's changes
    roll back after it and the next test starts from the same platform.
    """

    opened = None  # the one open now, if any: at most one at a time in a process

    def __init__(self, blocker):
        self.blocker = blocker
        self.atomic = None
        self.keys = None

    def open(self):
        with self.blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.depth = len(connection.savepoint_ids)
            built = build_platform()
        ModulePlatform.opened = self
        self.keys = {
            slug: {field: getattr(setup, field) and getattr(setup, field).pk for field in FIELDS}
            for slug, setup in built.items()
        }

    def close(self):
        if self.atomic is None:
            return
        if len(connection.savepoint_ids) != self.depth:
            raise RuntimeError("the shared platform's transaction is not the innermost one, so it cannot end here")
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None
        ModulePlatform.opened = None
        # Wagtail caches site roots; they named rows that no longer exist.
        cache.clear()

    def fresh(self):
        """New instances for each test, so one test's changes to an object never reach the next."""
        loaded = {
            field: model.objects.in_bulk([keys[field] for keys in self.keys.values() if keys[field]])
            for field, model in FIELDS.items()
        }
        return {
            slug: AgencySetup(**{field: loaded[field].get(pk) if pk else None for field, pk in keys.items()})
            for slug, keys in self.keys.items()
        }


FIELDS = {
    "agency": Agency,
    "site": Site,
    "home": HomePage,
    "section": SectionPage,
    "collection": Collection,
    "editors": Group,
    "leaders": Group,
    "supervisors": Group,
    "administrators": Group,
}


# What the migrations left in the test database, serialized before the first transactional test.
MIGRATED = {}


@pytest.fixture(autouse=True)
def transactional_test_on_the_migrated_database(request):
    """A transactional test needs the real database as migrated: end its module's shared platform first.

    pytest-django runs a module's transactional tests after its others, so when both
    kinds meet in one run of a module's tests, the platform ends once, between them.
    """
    if not is_transactional(request.node):
        return
    if ModulePlatform.opened is not None:
        ModulePlatform.opened.close()
    if "data" not in MIGRATED:
        with request.getfixturevalue("django_db_blocker").unblock():
            MIGRATED.update(database=connection.settings_dict["NAME"], data=migrated_data())


def migrated_data():
    """The database serialized as Django's serialized rollback does, content types and permissions first:
    loading a model's rows may look its content type up, and must find the stored one, not make another."""
    objects = json.loads(connection.creation.serialize_db_to_string())
    first = ("contenttypes.contenttype", "auth.permission")
    objects.sort(key=lambda obj: first.index(obj["model"]) if obj["model"] in first else len(first))
    return json.dumps(objects)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush, put back what the migrations made (Wagtail's root page, site,
    locale, collection and groups): with a process per core, other modules' tests still follow it."""
    yield
    # Only while the test database is still there: after the session's last test it is gone,
    # and the connection names the real database again.
    if nextitem is None or not is_transactional(item) or "data" not in MIGRATED:
        return
    if connection.settings_dict["NAME"] != MIGRATED["database"]:
        return
    with item.config.stash[blocking_manager_key].unblock():
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True, reset_sequences=False)
        ContentType.objects.clear_cache()
        connection.creation.deserialize_db_from_string(MIGRATED["data"])
    ContentType.objects.clear_cache()
    cache.clear()


@pytest.fixture(scope="module")
def module_platform(request, django_db_setup, django_db_blocker):
    """Opened before the first test of the module that asks for it, so its transaction lies beneath that test's."""
    shared = ModulePlatform(django_db_blocker)
    if not is_transactional(request._pyfuncitem):
        shared.open()
    yield shared
    shared.close()


@pytest.fixture
def platform(request, module_platform):
    """The demo's agencies and sites, without content: {slug: AgencySetup}.

    Built once per module and shared by its tests, each under its own rolled-back
    transaction; built afresh for a transactional test, which needs committed rows.
    """
    # The same goes for the tests of one module, each rolled back.
    cache.clear()
    if is_transactional(request.node):
        request.getfixturevalue("transactional_db")
        return build_platform()
    request.getfixturevalue("db")
    if module_platform.atomic is None:
        return build_platform()
    return module_platform.fresh()


@pytest.fixture
def make_user(db):
    def make(username, *groups, superuser=False):
        user = get_user_model().objects.create_user(
            username=username, password="x-" + username, is_superuser=superuser, is_staff=superuser
        )
        user.groups.add(*groups)
        return user

    return make


@pytest.fixture
def editor_of(platform, make_user):
    def editor(slug):
        return make_user(f"{slug}-editor", platform[slug].editors)

    return editor


@pytest.fixture
def leader_of(platform, make_user):
    def leader(slug):
        return make_user(f"{slug}-leader", platform[slug].leaders)

    return leader


@pytest.fixture
def supervisor_of(platform, make_user):
    def supervisor(slug):
        return make_user(f"{slug}-supervisor", platform[slug].supervisors)

    return supervisor


@pytest.fixture
def administrator_of(platform, make_user):
    def administrator(slug):
        return make_user(f"{slug}-administrator", platform[slug].administrators)

    return administrator
