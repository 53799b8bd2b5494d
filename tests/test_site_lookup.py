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
    # Those that read sites (finding the site reads the site roots that links are made from with it).
    lookups = [query["sql"] for query in queries if 'FROM "wagtailcore_site"' in query["sql"]]
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
    # One query gives the site and every site's root path; none asks whether another site shares the host name.
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


def test_a_site_not_kept_is_found_in_two_queries_with_its_home_ready_to_route(platform):
    Site.objects.filter(pk=platform["langson"].site.pk).update(is_default_site=True)
    with CaptureQueriesContext(connection) as queries:
        site = site_lookup.site_for_request(RequestFactory().get("/", HTTP_HOST="unknown.localhost"))
    assert site.pk == platform["langson"].site.pk
    # The sites, then the home as its own page type (Wagtail's is three: site, root, root as its type).
    assert len(queries) == 2
    assert type(site.root_page) is type(platform["langson"].home)
    assert site.root_page.pk == platform["langson"].home.pk


def answering(host, port):
    """(ours, Wagtail's): the pk of the site each finds for this host and port, or None."""
    request = RequestFactory().get("/", HTTP_HOST=host, SERVER_PORT=str(port))
    with override_settings(CACHES=NO_CACHE):
        ours = site_lookup.site_for_request(request)
    wagtails = Site._find_for_request(RequestFactory().get("/", HTTP_HOST=host, SERVER_PORT=str(port)))
    return (ours and ours.pk, wagtails and wagtails.pk)


@pytest.mark.parametrize(
    "arrangement",
    [
        "as made",
        "langson the default",
        "langson the default, its host on 8443 too",
        "langson on 8080 too",
        "langson only on 8080 and 8443",
        "no default",
    ],
)
def test_the_site_found_is_the_one_wagtail_finds(platform, arrangement):
    langson, inspectorate = platform["langson"].site, platform["thanhtra-langson"].site
    assert Site.objects.filter(is_default_site=True).exclude(pk=langson.pk).exists()
    if arrangement.startswith("langson the default"):
        Site.objects.update(is_default_site=False)
        Site.objects.filter(pk=langson.pk).update(is_default_site=True)
        if arrangement.endswith("8443 too"):
            Site.objects.filter(pk=inspectorate.pk).update(hostname=HOST, port=8443)
    elif arrangement == "langson on 8080 too":
        Site.objects.filter(pk=inspectorate.pk).update(hostname=HOST, port=8080)
    elif arrangement == "langson only on 8080 and 8443":
        Site.objects.filter(pk=inspectorate.pk).update(hostname=HOST, port=8080)
        Site.objects.filter(pk=langson.pk).update(port=8443)
    elif arrangement == "no default":
        Site.objects.update(is_default_site=False)
    for host, port in [(HOST, 80), (HOST, 8080), (HOST, 8443), ("unknown.localhost", 80), ("thanhtra-langson.localhost", 80)]:
        ours, wagtails = answering(host, port)
        assert ours == wagtails, (arrangement, host, port)
