"""The section's and listings' expensive parts are cached under the site's content version: fast, never stale."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from news57 import content
from news57.models import ArticlePage

from markup import parse, text_of

pytestmark = pytest.mark.django_db

HOST = "langson.localhost"
OWN_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-fragments"}}


@pytest.fixture(autouse=True)
def own_cache():
    with override_settings(CACHES=OWN_CACHE):
        cache.clear()
        yield


def publish(section, title, capture):
    page = ArticlePage(title=title, lead="Tóm tắt")
    with capture(execute=True):
        section.add_child(instance=page)
        page.save_revision().publish()
    return page


def render(url):
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url, HTTP_HOST=HOST)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.mark.parametrize("where", ["", "tin-tuc/"])
def test_a_publish_bumps_the_version_and_the_next_render_shows_it(platform, django_capture_on_commit_callbacks, where):
    setup = platform["langson"]
    publish(setup.section, "Tin thứ nhất", django_capture_on_commit_callbacks)
    url = setup.section.relative_url(setup.site) + where
    first, missed = render(url)
    again, hit = render(url)
    assert again == first
    # The lists' queries are skipped: the cached fragment holds them.
    assert hit < missed
    version = content.version(setup.site.pk)

    publish(setup.section, "Tin thứ hai vừa đăng", django_capture_on_commit_callbacks)

    assert content.version(setup.site.pk) != version
    after, _queries = render(url)
    assert "Tin thứ hai vừa đăng" in after and "Tin thứ hai vừa đăng" not in first


def test_a_change_on_another_site_leaves_this_sites_fragments_in_place(platform, django_capture_on_commit_callbacks):
    setup = platform["langson"]
    publish(setup.section, "Tin thứ nhất", django_capture_on_commit_callbacks)
    url = setup.section.relative_url(setup.site)
    _html, missed = render(url)
    publish(platform["hoangvanthu"].section, "Tin của xã", django_capture_on_commit_callbacks)
    _html, queries = render(url)
    assert queries < missed


def current_links(html):
    nav = parse(html).find(".//nav[@class='site-nav']")
    return [a.get("href") for a in nav.iter("a") if a.get("aria-current") == "page"]


def test_the_cached_header_marks_the_page_each_reader_is_on(platform):
    setup = platform["langson"]
    section = setup.section.relative_url(setup.site)
    places = {
        "/": "/",
        section: section,
        section + "tin-tuc/": section + "tin-tuc/",
        section + "van-ban/": section + "van-ban/",
        section + "video/": section + "video/",
    }
    for _twice in range(2):
        for url, current in places.items():
            html, _queries = render(url)
            assert current_links(html) == [current], url


def test_a_site_renamed_shows_its_new_name_in_the_cached_header(platform, django_capture_on_commit_callbacks):
    setup = platform["langson"]
    url = setup.section.relative_url(setup.site)
    render(url)
    with django_capture_on_commit_callbacks(execute=True):
        setup.site.site_name = "Cổng thông tin tỉnh Lạng Sơn"
        setup.site.save()
    html, _queries = render(url)
    header = parse(html).find(".//header")
    assert "Cổng thông tin tỉnh Lạng Sơn" in text_of(header)


def test_a_cached_section_page_takes_one_query(platform, django_capture_on_commit_callbacks):
    # Its view restrictions: the site, its home and the section under it are kept in the cache.
    setup = platform["langson"]
    publish(setup.section, "Tin thứ nhất", django_capture_on_commit_callbacks)
    url = setup.section.relative_url(setup.site)
    render(url)
    _html, queries = render(url)
    assert queries == 1


def test_a_section_republished_or_withdrawn_is_routed_as_it_now_is(platform, django_capture_on_commit_callbacks):
    setup = platform["langson"]
    url = setup.section.relative_url(setup.site)
    render(url)
    section = setup.section
    section.title = "Chuyên mục Nghị quyết 57 của tỉnh"
    with django_capture_on_commit_callbacks(execute=True):
        section.save_revision().publish()
    html, _queries = render(url)
    assert "<h1>Chuyên mục Nghị quyết 57 của tỉnh</h1>" in html
    with django_capture_on_commit_callbacks(execute=True):
        section.unpublish()
    assert Client().get(url, HTTP_HOST=HOST).status_code == 404
