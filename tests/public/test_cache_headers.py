"""Public pages let a cache keep them and vary on nothing a one-language site does not need;
a signed-in person's responses and the admin are never shared."""

import pytest
from django.test import Client

from news57.middleware import PUBLIC_MAX_AGE
from news57.models import ArticlePage

pytestmark = pytest.mark.django_db

HOST = "langson.localhost"


@pytest.fixture
def urls(platform):
    setup = platform["langson"]
    article = ArticlePage(title="Tin chuyển đổi số", lead="Tóm tắt")
    setup.section.add_child(instance=article)
    article.save_revision().publish()
    section = setup.section.relative_url(setup.site)
    return {
        "home": "/",
        "section": section,
        "news": section + "tin-tuc/",
        "documents": section + "van-ban/",
        "search": section + "tim-kiem/?q=chuyen+doi+so",
        "article": article.relative_url(setup.site),
    }


def directives(response):
    return {part.strip().split("=")[0]: part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.parametrize("name", ["home", "section", "news", "documents", "search", "article"])
def test_a_public_page_may_be_cached_and_sets_no_cookie(urls, name):
    response = Client().get(urls[name], HTTP_HOST=HOST, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert directives(response) == {
        "public": "public", "max-age": f"max-age={PUBLIC_MAX_AGE}", "s-maxage": f"s-maxage={PUBLIC_MAX_AGE}"
    }
    assert "accept-language" not in response.get("Vary", "").lower()
    assert not response.cookies


@pytest.mark.parametrize("name", ["home", "section", "news", "documents", "article"])
def test_with_a_frontend_cache_that_purges_a_page_stays_there_a_day_and_a_minute_in_a_browser(urls, name, settings):
    settings.NEWS57_FRONTEND_CACHE = ["http://127.0.0.1:6081"]
    response = Client().get(urls[name], HTTP_HOST=HOST)
    assert directives(response)["s-maxage"] == f"s-maxage={settings.NEWS57_SHARED_MAX_AGE}"
    assert directives(response)["max-age"] == f"max-age={PUBLIC_MAX_AGE}"


@pytest.mark.parametrize("query", ["trang=2", "loai=ke-hoach", "q=chuyen+doi+so"])
def test_a_filtered_or_paginated_list_stays_in_the_frontend_cache_only_a_minute(urls, query, settings):
    settings.NEWS57_FRONTEND_CACHE = ["http://127.0.0.1:6081"]
    url = urls["search"].split("?")[0] if query.startswith("q=") else urls["documents"]
    response = Client().get(f"{url}?{query}", HTTP_HOST=HOST)
    assert response.status_code == 200
    assert directives(response)["s-maxage"] == f"s-maxage={PUBLIC_MAX_AGE}"


def test_the_page_is_vietnamese_whatever_language_the_browser_asks_for(urls):
    response = Client().get(urls["section"], HTTP_HOST=HOST, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Văn bản chỉ đạo" in response.content.decode()


def test_a_signed_in_persons_pages_are_private(urls, editor_of):
    client = Client()
    client.force_login(editor_of("langson"))
    response = client.get(urls["section"], HTTP_HOST=HOST)
    assert "private" in directives(response) and "public" not in directives(response)


def test_the_admin_is_not_public(editor_of):
    client = Client()
    client.force_login(editor_of("langson"))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "public" not in directives(response)


def test_a_missing_page_is_not_marked_cacheable(urls):
    response = Client().get(urls["section"] + "khong-co-trang-nay/", HTTP_HOST=HOST)
    assert response.status_code == 404
    assert "public" not in directives(response)
