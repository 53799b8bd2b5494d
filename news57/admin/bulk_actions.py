"""Wagtail's bulk actions, each narrowed by news57.access to what the user may see and act on.

Wagtail's confirmation pages name every requested id the user may not act on,
whatever site it belongs to. Here an object is loaded only if the user may see
it and act on it; every other requested id, real or not, is only counted.
"""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import QuerySet
from django.utils.translation import ngettext
from wagtail.admin.views.pages import bulk_actions as pages
from wagtail.documents.views import bulk_actions as documents
from wagtail.images.views import bulk_actions as images
from wagtail.snippets.bulk_actions import delete as snippets
from wagtail.users.views import bulk_actions as users

from ..access import visible_instances, visible_media, visible_pages

# Wagtail registers its own at order 0; the registry keeps the last class scanned per action.
HOOK_ORDER = 100


def left_out_message(count):
    return ngettext(
        "%(count)d of the items you selected is left out: you may not act on it.",
        "%(count)d of the items you selected are left out: you may not act on them.",
        count,
    ) % {"count": count}


def requested_pks(model, values):
    """The distinct primary keys among the requested ids, and how many distinct ids could name no row."""
    field = model._meta.pk
    pks, unusable = set(), set()
    for value in values:
        try:
            pk = field.to_python(value)
            # The range validators: the database refuses an integer it cannot store rather than finding nothing.
            field.run_validators(pk)
        except ValidationError:
            unusable.add(value)
        else:
            pks.add(pk)
    return pks, len(unusable)


class NarrowedBulkAction:
    """Feeds Wagtail's bulk action only the requested objects the user may see and act on, in GET and POST alike.

    Wagtail then finds no object without access to list, and the confirmation
    page says how many requested ids were left out, never which.
    """

    left_out_count = 0

    def visible_objects(self):
        raise NotImplementedError

    def get_all_objects_in_listing_query(self, parent_id):
        """"Select all" covers what the user sees of Wagtail's listing; a listing that cannot be built covers nothing."""
        try:
            listing = super().get_all_objects_in_listing_query(parent_id)
            if not isinstance(listing, QuerySet):
                listing = [getattr(row, "pk", row) for row in listing]
            return list(self.visible_objects().filter(pk__in=listing).values_list("pk", flat=True))
        except (ObjectDoesNotExist, ValidationError, ValueError):
            return []

    def get_queryset(self, model, object_ids):
        pks, unusable = requested_pks(model, object_ids)
        actionable = [obj for obj in self.visible_objects().filter(pk__in=pks) if self.check_perm(obj)]
        self.left_out_count = len(pks) + unusable - len(actionable)
        return actionable

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["left_out_count"] = self.left_out_count
        context["left_out_message"] = left_out_message(self.left_out_count)
        return context


class PageNarrowing(NarrowedBulkAction):
    def visible_objects(self):
        return visible_pages(self.model._default_manager.all(), self.request.user)


class MediaNarrowing(NarrowedBulkAction):
    def visible_objects(self):
        return visible_media(self.model, self.request.user)


class PolicyNarrowing(NarrowedBulkAction):
    def visible_objects(self):
        return visible_instances(self.model, self.request.user)


class DeletePagesBulkAction(PageNarrowing, pages.DeleteBulkAction):
    pass


class MovePagesBulkAction(PageNarrowing, pages.MoveBulkAction):
    pass


class PublishPagesBulkAction(PageNarrowing, pages.PublishBulkAction):
    pass


class UnpublishPagesBulkAction(PageNarrowing, pages.UnpublishBulkAction):
    pass


class DeleteImagesBulkAction(MediaNarrowing, images.DeleteBulkAction):
    pass


class AddImagesToCollectionBulkAction(MediaNarrowing, images.AddToCollectionBulkAction):
    pass


class AddTagsToImagesBulkAction(MediaNarrowing, images.AddTagsBulkAction):
    pass


class DeleteDocumentsBulkAction(MediaNarrowing, documents.DeleteBulkAction):
    pass


class AddDocumentsToCollectionBulkAction(MediaNarrowing, documents.AddToCollectionBulkAction):
    pass


class AddTagsToDocumentsBulkAction(MediaNarrowing, documents.AddTagsBulkAction):
    pass


class DeleteUsersBulkAction(PolicyNarrowing, users.DeleteBulkAction):
    pass


class AssignRoleBulkAction(PolicyNarrowing, users.AssignRoleBulkAction):
    pass


class SetUsersActiveStateBulkAction(PolicyNarrowing, users.SetActiveStateBulkAction):
    pass


class DeleteSnippetsBulkAction(PolicyNarrowing, snippets.DeleteBulkAction):
    """One class for every snippet model: its `models` asks get_snippet_models() when the registry scans."""


ACTIONS = [
    DeletePagesBulkAction,
    MovePagesBulkAction,
    PublishPagesBulkAction,
    UnpublishPagesBulkAction,
    DeleteImagesBulkAction,
    AddImagesToCollectionBulkAction,
    AddTagsToImagesBulkAction,
    DeleteDocumentsBulkAction,
    AddDocumentsToCollectionBulkAction,
    AddTagsToDocumentsBulkAction,
    DeleteUsersBulkAction,
    AssignRoleBulkAction,
    SetUsersActiveStateBulkAction,
    DeleteSnippetsBulkAction,
]
