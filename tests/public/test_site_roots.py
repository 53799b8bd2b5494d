"""The site roots our pages read are Wagtail's own list, made without a Page per site."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from wagtail.models import Page, Site

from news57.models import ArticlePage
from news57.public.site_roots import site_root_paths

pytestmark = pytest.mark.django_db


def test_they_are_the_list_wagtail_makes(platform, django_assert_num_queries):
    Site.objects.create(hostname="secure.langson.localhost", port=443, root_page=platform["langson"].site.root_page)
    Site.objects.create(hostname="alt.langson.localhost", port=8443, root_page=platform["langson"].site.root_page)
    cache.clear()
    wagtails = Site.get_site_root_paths()
    cache.clear()
    with django_assert_num_queries(1):
        ours = site_root_paths()
    assert ours == wagtails and len(ours) == Site.objects.count()


def test_a_site_changed_is_read_afresh(platform):
    site_root_paths()
    site = platform["langson"].site
    site.hostname = "langson.gov.localhost"
    site.save()
    assert "http://langson.gov.localhost" in {root.root_url for root in site_root_paths()}


def test_the_sites_a_page_belongs_to_are_the_ones_wagtail_finds(platform):
    # Two sites on Lạng Sơn's home (the second on another port), one on its section, one on the tree's root.
    langson = platform["langson"]
    Site.objects.create(hostname="alt.langson.localhost", port=8443, root_page=langson.home)
    Site.objects.create(hostname="nq57.langson.localhost", root_page=langson.section)
    Site.objects.create(hostname="root.localhost", root_page=Page.objects.get(depth=1))
    langson.section.add_child(instance=ArticlePage(title="Tin dưới ba trang gốc", lead="Tóm tắt"))
    cache.clear()
    request = RequestFactory().get("/", HTTP_HOST="langson.localhost")
    request._wagtail_cached_site_root_paths = site_root_paths()
    pages = [page.specific for page in Page.objects.all()]
    assert any(len(Page._get_relevant_site_root_paths(page, request)) >= 3 for page in pages)
    for page in pages:
        assert page._get_relevant_site_root_paths(request) == Page._get_relevant_site_root_paths(page, request), page
