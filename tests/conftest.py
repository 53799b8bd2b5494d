import socket

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
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
def fast_password_hashing():
    """PBKDF2 is slow on purpose (half a second an account here); the tests' accounts need none of that."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


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

    def __init__(self, blocker):
        self.blocker = blocker
        self.atomic = None
        self.keys = None

    def open(self):
        with self.blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            ensure_wagtail_roots()
            built = provision_demo_agencies(port=80)
        self.keys = {slug: {field: getattr(setup, field) and getattr(setup, field).pk for field in FIELDS}
                     for slug, setup in built.items()}

    def close(self):
        if self.atomic is None:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None
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
}


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
    if is_transactional(request.node):
        if module_platform.atomic is not None:
            raise RuntimeError("a transactional test ran while its module's shared platform was open")
        request.getfixturevalue("transactional_db")
        ensure_wagtail_roots()
        return provision_demo_agencies(port=80)
    request.getfixturevalue("db")
    if module_platform.atomic is None:
        ensure_wagtail_roots()
        return provision_demo_agencies(port=80)
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
