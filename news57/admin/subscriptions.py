"""The admin of subscriptions (which sites republish which sources) and of their deadline rules.

Superusers manage every subscription; a province's administrators (news57.access)
those of the province's agencies, naming the province's sources or central ones.
Deadline rules are the superusers'; administrators may only pick one. Editors and
leaders hold none of these permissions, so they see neither the menu nor the URLs.
The forms are the models' own panels; saving a subscription backfills it.
"""

import django_filters
from django.utils.functional import cached_property
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import models as generic
from wagtail.admin.viewsets.model import ModelViewSet

from ..access import subscribable_sources
from ..models import DeadlineRule, Source, Subscription
from .columns import NO_VALUE, VietnamTimeColumn
from .scoped import ScopedIndexMixin, ScopedObjectMixin, ScopedViewSetMixin


def sites_covered(subscription):
    """Which sites the subscription names, in words."""
    if subscription.include_agency and subscription.include_below:
        return _g("The agency's site and every agency below it")
    if subscription.include_agency:
        return _g("The agency's own site")
    if subscription.include_below:
        return _g("Every agency below it (not its own site)")
    return _g("No site")


def filters_described(subscription):
    parts = []
    if subscription.only_citing:
        parts.append(_g("citing %(code)s") % {"code": subscription.only_citing})
    if subscription.only_topic_id:
        parts.append(_g("topic: %(topic)s") % {"topic": subscription.only_topic})
    return "; ".join(parts) or NO_VALUE


def _subscribable(request):
    return subscribable_sources(request.user) if request else Source.objects.none()


class SubscriptionFilterSet(WagtailFilterSet):
    # Wagtail's default would offer every source by name, other provinces' too.
    source = django_filters.ModelChoiceFilter(label=_("source"), queryset=_subscribable)

    class Meta:
        model = Subscription
        fields = ["policy", "enabled", "source", "deadline_rule"]


class SubscriptionIndexView(ScopedIndexMixin, generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("source", "agency", "deadline_rule", "only_topic")


class SubscriptionEditView(ScopedObjectMixin, generic.EditView):
    pass


class SubscriptionViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Subscription
    name = "news57_subscriptions"
    url_prefix = "subscriptions"
    icon = "link"
    menu_label = _("Subscriptions")
    menu_order = 225
    add_to_admin_menu = True
    copy_view_enabled = False
    list_per_page = 50
    filterset_class = SubscriptionFilterSet
    list_export = ["source", "agency", "get_policy_display", "deadline_rule", "starts_at", "enabled"]
    export_headings = {"get_policy_display": _("Policy")}
    export_filename = "dang-ky-nguon-tin"
    index_view_class = SubscriptionIndexView
    edit_view_class = SubscriptionEditView

    @cached_property
    def list_display(self):
        return [
            "source",
            Column("agency", label=_("Agency"), accessor="agency", sort_key="agency__name"),
            Column("sites", label=_("Sites covered"), accessor=sites_covered),
            Column("policy", label=_("Policy"), accessor="get_policy_display", sort_key="policy"),
            Column("deadline_rule", label=_("Deadline rule"), accessor="deadline_rule"),
            Column("filters", label=_("Filters"), accessor=filters_described),
            VietnamTimeColumn("starts_at", label=_("Starts (Vietnam time)"), sort_key="starts_at"),
            Column(
                "enabled", label=_("Enabled"), accessor=lambda sub: _g("Yes") if sub.enabled else _g("No"),
                sort_key="enabled",
            ),
        ]


class DeadlineRuleViewSet(ModelViewSet):
    model = DeadlineRule
    name = "news57_deadline_rules"
    url_prefix = "deadline-rules"
    icon = "time"
    menu_label = _("Deadline rules")
    menu_order = 226
    add_to_admin_menu = True
    copy_view_enabled = False
    list_display = ["name", "duration"]
    search_fields = ["name"]
    search_backend_name = None
