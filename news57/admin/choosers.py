"""Wagtail's page chooser and admin API, narrowed by news57.access to the user's own sites and collections.

Wagtail already refuses other sites' pages in the explorer, editor, preview,
copy, move and search, and other collections' images and documents in their
listings and choosers. What it leaves open, and this module closes:

- the page chooser lists, and lets one pick, every page of every site;
- the page chooser's "chosen" step answers for any page id;
- the admin API's image and document endpoints list every collection.
"""

from django.http import Http404
from django.urls import path
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import chooser
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.models import Page
from wagtail.utils.urlpatterns import decorate_urlpatterns

from ..access import can_see_page, visible_media, visible_pages


def restrict_page_chooser(pages, request):
    return visible_pages(pages, request.user)


def _desired_page_models(request):
    try:
        return chooser.page_models_from_string(request.GET.get("page_type") or chooser.base_page_type_string)
    except (ValueError, LookupError) as error:
        raise Http404 from error


class PageChooserBrowseView(chooser.BrowseView):
    """Wagtail's page chooser, refusing to open (and offer as a choice) another site's page."""

    def get(self, request, parent_page_id=None):
        user = request.user
        if parent_page_id is not None:
            parent = Page.objects.filter(pk=parent_page_id).first()
            if parent is None or not can_see_page(parent, user):
                raise Http404
        elif not user.is_superuser and (desired := _desired_page_models(request)) != (Page,):
            # Wagtail would open at the common ancestor of every site's pages of that type.
            candidates = visible_pages(Page.objects.type(*desired), user)
            parent = candidates.first_common_ancestor() if candidates.exists() else None
            parent_page_id = parent.pk if parent is not None else Page.get_first_root_node().pk
        return super().get(request, parent_page_id)


class PageChosenMultipleView(chooser.ChosenMultipleView):
    def get(self, request):
        asked = [pk for pk in request.GET.getlist("id") if pk.isdigit()]
        visible_ids = visible_pages(Page.objects.filter(pk__in=asked), request.user)
        request.GET = request.GET.copy()
        request.GET.setlist("id", [str(pk) for pk in visible_ids.values_list("pk", flat=True)])
        return super().get(request)


# Mounted in cms/urls.py ahead of Wagtail's admin: admin URL hooks are appended after
# Wagtail's own patterns, so they cannot replace the chooser views.
chooser_urlpatterns = decorate_urlpatterns(
    [
        path("choose-page/", PageChooserBrowseView.as_view()),
        path("choose-page/<int:parent_page_id>/", PageChooserBrowseView.as_view()),
        path("choose-page/chosen-multiple/", PageChosenMultipleView.as_view()),
    ],
    require_admin_access,
)


class OwnCollectionsOnlyMixin:
    """Only the images or documents of collections the user may choose from."""

    def get_queryset(self):
        visible = visible_media(self.model, self.request.user)
        return super().get_queryset().filter(pk__in=visible.values("pk"))


class OwnImagesAdminAPIViewSet(OwnCollectionsOnlyMixin, ImagesAdminAPIViewSet):
    pass


class OwnDocumentsAdminAPIViewSet(OwnCollectionsOnlyMixin, DocumentsAdminAPIViewSet):
    pass


def restrict_admin_api(router):
    router.register_endpoint("images", OwnImagesAdminAPIViewSet)
    router.register_endpoint("documents", OwnDocumentsAdminAPIViewSet)
