import socket

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page

from news57.demo.agencies import provision_demo_agencies


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


@pytest.fixture
def platform(db):
    """The demo's agencies and sites, without content: {slug: AgencySetup}."""
    ensure_wagtail_roots()
    return provision_demo_agencies(port=80)

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
