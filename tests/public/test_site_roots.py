"""The site roots our pages read are Wagtail's own list, made without a Page per site."""

import pytest
from django.core.cache import cache
from wagtail.models import Site

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
