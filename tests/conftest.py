import pytest
from django.contrib.auth import get_user_model

from news57.demo.agencies import provision_demo_agencies

SHARED = None

@pytest.fixture
def platform(db):
    """The demo's agencies and sites, without content: {slug: AgencySetup}."""
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
