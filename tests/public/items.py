"""Making a section's items in tests: published pages, and pictures large enough for every rendition."""

from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file


def publish(section, page):
    section.add_child(instance=page)
    page.save_revision().publish()
    return page


def picture(title):
    return Image.objects.create(title=title, file=get_test_image_file(filename="anh.png", size=(1600, 900)))
