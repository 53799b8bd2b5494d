"""A page's children and descendants, read as ranges of tree paths: the same pages as Wagtail's
child_of and descendant_of, from the path's index instead of a scan of every page."""

import pytest
from wagtail.models import Page

from news57.models import ArticlePage
from news57.models.pages import children_of, descendants_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(platform):
    """Every site's pages, with two articles under one section; the second moved to the last path a child can have."""
    section = platform["langson"].section
    first = ArticlePage(title="Tin thứ nhất", lead="Tóm tắt")
    second = ArticlePage(title="Tin thứ hai", lead="Tóm tắt")
    for page in (first, second):
        section.add_child(instance=page)
        page.save_revision().publish()
    Page.objects.filter(pk=second.pk).update(path=section.path + Page.alphabet[-1] * Page.steplen)
    return list(Page.objects.order_by("path"))


def ids(queryset):
    return sorted(queryset.values_list("pk", flat=True))


def test_children_are_those_wagtail_finds(tree):
    for page in tree:
        assert ids(Page.objects.filter(children_of(page))) == ids(Page.objects.child_of(page)), page.url_path


def test_descendants_are_those_wagtail_finds(tree):
    for page in tree:
        assert ids(Page.objects.filter(descendants_of(page))) == ids(Page.objects.descendant_of(page)), page.url_path


def test_the_last_path_of_a_step_is_a_child(tree, platform):
    section = platform["langson"].section
    last = Page.objects.get(path=section.path + Page.alphabet[-1] * Page.steplen)
    assert last.pk in ids(Page.objects.filter(children_of(section)))
    assert last.pk in ids(Page.objects.filter(descendants_of(platform["langson"].home)))
