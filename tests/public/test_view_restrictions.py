"""Wagtail's view restrictions hold on the public pages: news57 reads them in one query, aliases included."""

import pytest
from django.test import Client, override_settings
from wagtail.models import PageViewRestriction

from news57.models import ArticlePage

pytestmark = pytest.mark.django_db

HOST = "langson.localhost"
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def article(section, title):
    page = ArticlePage(title=title, lead="Tóm tắt")
    section.add_child(instance=page)
    return page


def restrict(page, **fields):
    return PageViewRestriction.objects.create(page=page, **fields)


def get(url):
    return Client().get(url, HTTP_HOST=HOST)


def test_a_password_protected_article_asks_for_its_password_and_is_listed_nowhere(platform):
    section = platform["langson"].section
    open_one, closed = article(section, "Tin công khai"), article(section, "Tin nội bộ có mật khẩu")
    restrict(closed, restriction_type=PageViewRestriction.PASSWORD, password="mat-khau")
    response = get(closed.relative_url(platform["langson"].site))
    assert response.status_code == 200
    assert response.context["form"].__class__.__name__ == "PasswordViewRestrictionForm"
    for url in (section.relative_url(platform["langson"].site), section.relative_url(platform["langson"].site) + "tin-tuc/"):
        text = get(url).content.decode()
        assert open_one.title in text
        assert closed.title not in text


def test_a_restriction_on_an_ancestor_covers_the_section_and_its_items(platform):
    setup = platform["langson"]
    item = article(setup.section, "Tin dưới trang chủ bị giới hạn")
    restrict(setup.site.root_page, restriction_type=PageViewRestriction.LOGIN)
    for url in (setup.section.relative_url(setup.site), item.relative_url(setup.site)):
        response = get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_an_alias_carries_the_restriction_of_its_source(platform):
    source_setup, alias_setup = platform["langson"], platform["thanhtra-langson"]
    source = article(source_setup.section, "Tin gốc có mật khẩu")
    alias = source.create_alias(parent=alias_setup.section, update_slug="tin-ban-sao")
    # Set after the alias is made (making it copies the restrictions there is then).
    restrict(source, restriction_type=PageViewRestriction.PASSWORD, password="mat-khau")
    assert not alias.view_restrictions.exists()
    response = Client().get(alias.relative_url(alias_setup.site), HTTP_HOST="thanhtra-langson.localhost")
    assert response.context["form"].__class__.__name__ == "PasswordViewRestrictionForm"


@pytest.mark.parametrize("caches", [None, NO_CACHE], ids=["kept in the cache", "read afresh"])
def test_a_restriction_on_the_section_itself_holds_at_once(platform, caches):
    setup = platform["langson"]
    url = setup.section.relative_url(setup.site)
    with override_settings(**({"CACHES": caches} if caches else {})):
        # Routing read the section and asked about its restrictions in the same query; with a cache, kept it.
        assert get(url).status_code == 200
        restrict(setup.section, restriction_type=PageViewRestriction.LOGIN)
        response = get(url)
    assert response.status_code == 302 and "login" in response["Location"]
