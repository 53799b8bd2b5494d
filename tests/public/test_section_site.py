"""A section lists its own site's documents, whichever site's address the request came by."""

import pytest
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


def test_the_site_that_answered_when_the_section_is_under_it(platform):
    setup = platform["langson"]
    request = RequestFactory().get("/", HTTP_HOST="langson.localhost")
    assert setup.section.site_for(request) == setup.site


def test_its_own_site_when_the_request_came_by_another(platform):
    # An admin preview, say, made on the default site's host.
    setup, other = platform["langson"], platform["hoangvanthu"]
    request = RequestFactory().get("/", HTTP_HOST="hoangvanthu.localhost")
    assert setup.section.site_for(request) == setup.site != other.site
