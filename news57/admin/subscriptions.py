"""The admin of subscriptions (which sites republish which sources, by which deadline rule).

Superusers manage every subscription; a province's administrators (news57.access)
those of the province's agencies, naming the province's sources or central ones.
Deadline rules (news57.admin.deadlines) are the superusers'; administrators may only pick one. Editors and
leaders hold none of these permissions, so they see neither the menu nor the URLs.
The forms are the models' own panels; saving a subscription queues its backfill
(news57.republishing.tasks), whose progress the listing and the edit screen show.
"""

import django_filters
from django.utils.formats import get_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import models as generic
from wagtail.admin.viewsets.model import ModelViewSet

from ..access import subscribable_sources
from ..models import Source, Subscription
from ..models.subscriptions import BackfillState
from ..vietnam_time import shown
from .columns import NO_VALUE, VietnamTimeColumn
from .scoped import ScopedIndexMixin, ScopedObjectMixin, ScopedViewSetMixin
from .exports import VietnamSpreadsheetMixin


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


def _count(number):
    """1200 as people here write it, 1.200."""
    return f"{number:,}".replace(",", get_format("THOUSAND_SEPARATOR"))


def backfill_described(subscription):
    """Where carrying what the source already brought stands, in one sentence ("—" before it was ever recorded)."""
    state = subscription.backfill_state
    done = subscription.backfill_done
    numbers = {"done": _count(done), "total": _count(max(done, subscription.backfill_total or 0))}
    if state in (BackfillState.QUEUED, BackfillState.RUNNING) and not subscription.enabled:
        return _g("Paused: the subscription is off")
    if state == BackfillState.QUEUED:
        return _g("Waiting to add the documents the source already brought")
    if state == BackfillState.RUNNING:
        return _g("Adding the documents the source already brought: %(done)s/%(total)s") % numbers
    if state == BackfillState.DONE:
        return _g("Added the documents the source already brought (%(total)s) at %(time)s") % {
            **numbers, "time": shown(subscription.backfill_finished_at),
        }  # fmt: skip
    if state == BackfillState.FAILED:
        return _g("Adding the documents the source already brought failed at %(time)s, after %(done)s/%(total)s") % {
            **numbers, "time": shown(subscription.backfill_finished_at),
        }  # fmt: skip
    return NO_VALUE


def _subscribable(request):
    return subscribable_sources(request.user) if request else Source.objects.none()


class SubscriptionFilterSet(WagtailFilterSet):
    # Wagtail's default would offer every source by name, other provinces' too.
    source = django_filters.ModelChoiceFilter(label=_("source"), queryset=_subscribable)

    class Meta:
        model = Subscription
        fields = ["policy", "enabled", "source", "deadline_rule"]


class SubscriptionIndexView(VietnamSpreadsheetMixin, ScopedIndexMixin, generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("source", "agency", "deadline_rule", "only_topic")


class BackfillQueuedMessageMixin:
    """Saving returns at once: the message says the backfill was queued, not done."""

    def get_success_message(self, instance):
        message = super().get_success_message(instance)
        if instance.backfill_state != BackfillState.QUEUED:
            return message
        queued = _g(
            "Adding the documents its source already brought has been queued; its progress shows on the subscription's"
            " page."
        )
        return f"{message} {queued}" if message else queued


class SubscriptionCreateView(BackfillQueuedMessageMixin, generic.CreateView):
    pass


class SubscriptionEditView(ScopedObjectMixin, BackfillQueuedMessageMixin, generic.EditView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        subscription = self.object
        context["backfill"] = {
            "state": subscription.backfill_state,
            "described": backfill_described(subscription),
            "failed": subscription.backfill_state == BackfillState.FAILED,
            "unfinished": subscription.backfill_state in (BackfillState.QUEUED, BackfillState.RUNNING),
            "error": subscription.backfill_error,
        }
        return context


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
    add_view_class = SubscriptionCreateView
    edit_view_class = SubscriptionEditView
    edit_template_name = "news57/admin/subscriptions/edit.html"

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
            Column("backfill", label=_("Documents already brought"), accessor=backfill_described),
        ]
