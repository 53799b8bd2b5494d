"""Wagtail's image and document listings and the image chooser, offering only the tags of the user's own media.

Wagtail offers the ten most used tags of every collection (news57.access keeps
the images and documents themselves apart, not their tags), so an agency would
read the tags another agency gave its files. These views are Wagtail's, with
the tag choices drawn from what the user may see; cms/urls.py mounts them at
Wagtail's own paths, ahead of Wagtail's admin.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.urls import path
from taggit.models import Tag
from wagtail.admin.auth import require_admin_access
from wagtail.documents.views import documents
from wagtail.images import get_image_model
from wagtail.images.views import chooser, images
from wagtail.utils.urlpatterns import decorate_urlpatterns

from ..access import visible_media

POPULAR = 10  # as many as Wagtail offers


def own_popular_tags(model, user):
    """The most used tags among the images (or documents) the user may see."""
    seen = visible_media(model, user).values("pk")
    return (
        Tag.objects.filter(
            taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(model),
            taggit_taggeditem_items__object_id__in=seen,
        )
        .annotate(item_count=Count("taggit_taggeditem_items"))
        .order_by("-item_count", "name")[:POPULAR]
    )


class OwnTagsMixin:
    """For a media filter set: the tag filter offers the user's own tags, or is left out when there are none."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "tag" not in self.filters:
            return
        tags = own_popular_tags(self._meta.model, self.request.user) if self.request is not None else []
        if tags:
            self.filters["tag"].extra["choices"] = [(tag.name, tag.name) for tag in tags]
        else:
            del self.filters["tag"]


class ImagesFilterSet(OwnTagsMixin, images.ImagesFilterSet):
    class Meta(images.ImagesFilterSet.Meta):
        pass


class DocumentsFilterSet(OwnTagsMixin, documents.DocumentsFilterSet):
    class Meta(documents.DocumentsFilterSet.Meta):
        pass


class ImageIndexView(images.IndexView):
    filterset_class = ImagesFilterSet


class DocumentIndexView(documents.IndexView):
    filterset_class = DocumentsFilterSet


class ImageChooseView(chooser.ImageChooseView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["popular_tags"] = own_popular_tags(self.model, self.request.user)
        return context


class ImageChooserViewSet(chooser.ImageChooserViewSet):
    choose_view_class = ImageChooseView


# Wagtail's own chooser set-up, with our choose view; only that view is mounted from it.
image_chooser = ImageChooserViewSet("wagtailimages_chooser", model=get_image_model(), url_prefix="images/chooser")


media_urlpatterns = decorate_urlpatterns(
    [
        path("images/", ImageIndexView.as_view()),
        path("images/results/", ImageIndexView.as_view(results_only=True)),
        path("documents/", DocumentIndexView.as_view()),
        path("documents/results/", DocumentIndexView.as_view(results_only=True)),
        path("images/chooser/", image_chooser.choose_view),
    ],
    require_admin_access,
)
