"""The site answering a request is kept in Django's cache, and forgotten when it or its home changes."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from news57 import site_lookup

pytestmark = pytest.mark.django_db

HOST = "langson.localhost"
OWN_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-site-lookup"}}
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture(autouse=True)
def own_cache():
    with override_settings(CACHES=OWN_CACHE):
        cache.clear()
        yield


def get(host, path="/", port="80"):
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(path, HTTP_HOST=host, SERVER_PORT=port)
    # Those that look a host name up (not the site roots that links are made from).
    lookups = [query["sql"] for query in queries if '"wagtailcore_site"."hostname" =' in query["sql"]]
    return response, lookups


def kept(host):
    return cache.get(site_lookup.KEY.format(host))


def test_a_site_once_found_is_read_from_the_cache_with_its_home_ready(platform):
    first, asked = get(HOST)
    assert first.status_code == 200 and asked
    assert kept(HOST).pk == platform["langson"].site.pk

    again, asked_again = get(HOST)
    assert again.status_code == 200
    assert asked_again == []
    assert again.content == first.content


def test_with_the_cache_off_the_site_is_found_as_wagtail_finds_it(platform):
    with override_settings(CACHES=NO_CACHE):
        response, asked = get(HOST)
    assert response.status_code == 200
    # Wagtail's one query, and no second asking whether another site shares the host name.
    assert len(asked) == 1


def test_an_unknown_host_answered_by_the_default_site_is_not_kept(platform):
    Site.objects.filter(pk=platform["langson"].site.pk).update(is_default_site=True)
    response, _asked = get("unknown.localhost")
    assert response.status_code == 200
    assert kept("unknown.localhost") is None


def test_a_host_name_shared_by_two_ports_is_not_kept(platform):
    other = platform["thanhtra-langson"].site
    Site.objects.filter(pk=other.pk).update(hostname=HOST, port=8080)
    assert get(HOST)[0].status_code == 200
    assert kept(HOST) is None
    response, _asked = get(HOST, port="8080")
    assert response.status_code == 200
    assert platform["thanhtra-langson"].home.title.encode() in response.content


def test_a_new_host_name_answers_and_the_old_no_longer_does(platform):
    site = platform["langson"].site
    assert get(HOST)[0].status_code == 200
    site.hostname = "langson.gov.localhost"
    site.save()

    assert kept(HOST) is None
    # Answered, if at all, by the default site.
    assert get(HOST)[0].context["page"].pk != platform["langson"].home.pk
    assert get("langson.gov.localhost")[0].context["page"].pk == platform["langson"].home.pk


def test_a_home_page_published_anew_shows_at_once(platform):
    home = platform["langson"].home
    assert get(HOST)[0].status_code == 200
    home.title = "Trang chủ mới của Lạng Sơn"
    home.save_revision().publish()

    response, _asked = get(HOST)
    assert "Trang chủ mới của Lạng Sơn" in response.content.decode()


def test_a_home_page_unpublished_no_longer_answers(platform):
    assert get(HOST)[0].status_code == 200
    platform["langson"].home.unpublish()
    assert get(HOST)[0].status_code == 404


def test_what_a_request_kept_while_the_change_was_open_is_forgotten_on_commit(
    platform, django_capture_on_commit_callbacks
):
    site = platform["langson"].site
    with django_capture_on_commit_callbacks(execute=True):
        site.site_name = "Lạng Sơn"
        site.save()
        # A request served before the commit keeps the site as it was.
        cache.set(site_lookup.KEY.format(HOST), Site.objects.get(pk=site.pk), 60)
    assert kept(HOST) is None


def test_a_home_page_moved_still_routes_to_its_section(platform):
    setup = platform["langson"]
    section_url = setup.section.relative_url(setup.site)
    assert get(HOST, section_url)[0].status_code == 200
    setup.home.move(platform["thanhtra-langson"].home, pos="last-child")

    assert get(HOST, section_url)[0].status_code == 200




def test_the_admin_finds_its_site_as_wagtail_does_only_when_a_screen_asks(platform, editor_of):
    client = Client()
    client.force_login(editor_of("thanhtra-langson"))
    with CaptureQueriesContext(connection) as queries:
        # The admin's script catalogue, loaded with every admin page: it has no use for a site.
        response = client.get("/admin/jsi18n/", HTTP_HOST=HOST)
    assert response.status_code == 200
    assert not [query["sql"] for query in queries if '"wagtailcore_site"."hostname" =' in query["sql"]]
    assert kept(HOST) is None


def test_a_site_not_kept_is_not_made_specific_for_nothing(platform):
    Site.objects.filter(pk=platform["langson"].site.pk).update(is_default_site=True)
    with CaptureQueriesContext(connection) as queries:
        site = site_lookup.site_for_request(RequestFactory().get("/", HTTP_HOST="unknown.localhost"))
    assert site.pk == platform["langson"].site.pk
    # Wagtail's one query, and nothing more.
    assert len(queries) == 1
