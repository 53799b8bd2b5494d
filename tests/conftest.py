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

SHARED = None

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
