"""Admin views and forms narrowed row by row by the model's permission policy in news57.access.

Wagtail's generic views check the model permission ("may change sources") and
then load any row by its id; these mixins make every view of a viewset ask the
policy for the row too, so another province's source answers 404 as if it did
not exist, and its listing, CSV and XLSX hold only the user's rows.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.views.generic import history, usage
from wagtail.admin.views.generic import models as generic
from wagtail.permissions import policy_registry

from ..access import administered_agencies, subscribable_sources

# Every action a row's own views need; whoever holds none of them on a row may not learn it exists.
ROW_ACTIONS = ["view", "change", "delete"]


def _policy(model):
    return policy_registry.get_by_type(model)


class ScopedIndexMixin:
    def get_base_queryset(self):
        allowed = _policy(self.model).instances_user_has_any_permission_for(self.request.user, ROW_ACTIONS)
        return super().get_base_queryset().filter(pk__in=allowed.values("pk"))


class ScopedObjectMixin:
    def get_object(self, *args, **kwargs):
        policy = _policy(self.model)
        # Some views load their row before checking the model permission: refuse first, so that
        # whoever holds none learns nothing about which ids exist.
        if not policy.user_has_any_permission(self.request.user, ROW_ACTIONS):
            raise PermissionDenied
        row = super().get_object(*args, **kwargs)
        if not policy.user_has_any_permission_for_instance(self.request.user, ROW_ACTIONS, row):
            raise Http404
        return row


# What a form may point at: the fields' choices as the user may set them.
FIELD_CHOICES = {
    "default_issuer": administered_agencies,
    "agency": administered_agencies,
    "source": subscribable_sources,
}


class ScopedChoicesForm(WagtailAdminModelForm):
    """A source or subscription form offering only the agencies (and sources) the user administers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        for name, choices in FIELD_CHOICES.items():
            if user is not None and name in self.fields:
                self.fields[name].queryset = choices(user)


class ScopedDeleteView(ScopedObjectMixin, generic.DeleteView):
    pass


class ScopedHistoryView(ScopedObjectMixin, history.HistoryView):
    pass


class ScopedUsageView(ScopedObjectMixin, usage.UsageView):
    pass


class ScopedViewSetMixin:
    """For a ModelViewSet: the scoped delete, history and usage views, and forms with scoped choices."""

    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView

    def get_edit_handler(self):
        return ObjectList(self.model.panels, base_form_class=ScopedChoicesForm).bind_to_model(self.model)
