"""An image saved gets the renditions the public pages draw, from the worker, once the save is committed."""

import pytest
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from news57.models.pages import PUBLIC_FILTERS
from news57.public.tasks import warm_renditions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def made_filters(image):
    return set(image.renditions.values_list("filter_spec", flat=True))


def test_saving_an_image_queues_the_warming_once_committed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        image = Image.objects.create(title="Ảnh", file=get_test_image_file(filename="anh.png"))
    assert [callback.__qualname__ for callback in callbacks] == ["warm_the_public_renditions.<locals>.<lambda>"]
    assert made_filters(image) == set()


def test_saving_only_the_title_queues_nothing(django_capture_on_commit_callbacks):
    image = Image.objects.create(title="Ảnh", file=get_test_image_file(filename="anh.png"))
    image.title = "Ảnh mới"
    with django_capture_on_commit_callbacks() as callbacks:
        image.save(update_fields=["title"])
    assert callbacks == []


def test_the_task_makes_every_public_rendition_once():
    image = Image.objects.create(title="Ảnh", file=get_test_image_file(filename="anh.png"))
    warm_renditions(image.pk)
    warm_renditions(image.pk)
    assert made_filters(image) == set(PUBLIC_FILTERS)
    assert image.renditions.count() == len(PUBLIC_FILTERS)


def test_an_image_deleted_before_the_worker_came_is_skipped():
    assert warm_renditions(987654) is None
