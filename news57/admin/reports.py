"""Wagtail's admin reports, each scoped by news57.access to the rows of the user's own agencies.

Wagtail picks a report's rows by page permissions, so a supervisor (who holds
none) cannot open them, while its filters, "Site history" and "Page types usage"
show everyone every site's users, pages and publications. The views here keep
Wagtail's screens, paths and URL names; cms/urls.py mounts them ahead of Wagtail's.
"""

from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from wagtail.admin.admin_url_finder import ModelAdminURLFinder, finder_classes
from wagtail.admin.auth import require_admin_access
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import BaseListingView
from wagtail.admin.views.reports import aging_pages, audit_logging, locked_pages, page_types_usage, workflows
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import (
    Page,
    PageLogEntry,
    TaskState,
    WorkflowMixin,
    WorkflowState,
    get_default_page_content_type,
)
from wagtail.snippets.models import get_editable_models
from wagtail.utils.urlpatterns import decorate_urlpatterns

from ..access import (
    can_read_reports,
    publication_permission_policy,
    report_pages,
    report_sites,
    report_tasks,
    report_users,
    report_workflows,
    visible_instances,
    visible_log_entries,
)
from ..models import Publication
from . import queue
from .documents import PublicationViewSet
from .exports import VietnamSpreadsheetMixin


class ScopedReportMixin(VietnamSpreadsheetMixin):
    """Opens for editors, leaders and supervisors alike; each report narrows its own rows."""

    permission_required = None
    any_permission_required = None

    def dispatch(self, request, *args, **kwargs):
        if not can_read_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def listing_queryset(self, queryset):
        """Order, filter and search `queryset` as Wagtail's listing does, skipping the report's own choice of rows."""
        self.queryset = queryset
        return BaseListingView.get_queryset(self)


def _as_text(queryset):
    # Logs and workflow states keep their object's key as text.
    return queryset.values_list(Cast("pk", output_field=CharField()), flat=True)


def _users(user, ids):
    return report_users(user).filter(pk__in=ids).order_by(get_user_model().USERNAME_FIELD)


# Locked pages and aging pages


class LockedPagesFilterSet(locked_pages.LockedPagesReportFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user
        lockers = report_pages(Page.objects.filter(locked=True), user).values("locked_by")
        self.filters["locked_by"].queryset = _users(user, lockers)


class LockedPagesView(ScopedReportMixin, locked_pages.LockedPagesView):
    filterset_class = LockedPagesFilterSet

    def get_queryset(self):
        user = self.request.user
        locked = Page.objects.filter(locked=True)
        pages = (report_pages(locked, user) | locked.filter(locked_by=user)).specific(defer=True)
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            pages = pages.select_related("locale")
        return self.listing_queryset(pages)


class AgingPagesView(ScopedReportMixin, aging_pages.AgingPagesView):
    def get_queryset(self):
        last_publisher = PageLogEntry.objects.filter(page=OuterRef("pk"), action__exact="wagtail.publish")
        pages = (
            report_pages(Page.objects.all(), self.request.user)
            .exclude(last_published_at__isnull=True)
            .prefetch_workflow_states()
            .select_related("content_type")
            .annotate_approved_schedule()
            .order_by("last_published_at")
            .annotate(last_published_by=Subquery(last_publisher.values("user")[:1]))
        )
        return self.listing_queryset(pages)


# Workflows


def workflow_scope(user, prefix=""):
    """Workflow states of the report's pages, or of snippets the user may see (Wagtail: any of an editable type)."""
    pages = _as_text(report_pages(Page.objects.all(), user))
    scope = Q(**{f"{prefix}base_content_type_id": get_default_page_content_type().pk, f"{prefix}object_id__in": pages})
    for model in get_editable_models(user):
        if issubclass(model, WorkflowMixin):
            objects = _as_text(visible_instances(model, user))
            content_type = ContentType.objects.get_for_model(model)
            scope |= Q(**{f"{prefix}content_type": content_type, f"{prefix}object_id__in": objects})
    return scope


class WorkflowFilterSet(workflows.WorkflowReportFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user
        requesters = WorkflowState.objects.filter(workflow_scope(user)).values("requested_by")
        self.filters["requested_by"].queryset = _users(user, requesters)
        self.filters["workflow"].queryset = report_workflows(user)


class WorkflowTasksFilterSet(workflows.WorkflowTasksReportFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["workflow"].queryset = report_workflows(self.request.user)
        self.filters["task"].queryset = report_tasks(self.request.user)


class WorkflowView(ScopedReportMixin, workflows.WorkflowView):
    filterset_class = WorkflowFilterSet

    def get_queryset(self):
        return (
            WorkflowState.objects.filter(workflow_scope(self.request.user))
            .select_related("workflow", "requested_by")
            .prefetch_related("content_object", "content_object__latest_revision")
            .order_by("-created_at")
        )


class WorkflowTasksView(ScopedReportMixin, workflows.WorkflowTasksView):
    filterset_class = WorkflowTasksFilterSet

    def get_queryset(self):
        return (
            TaskState.objects.filter(workflow_scope(self.request.user, prefix="workflow_state__"))
            .select_related("workflow_state", "task")
            .prefetch_related("workflow_state__content_object", "workflow_state__content_object__latest_revision")
            .order_by("-started_at")
        )


# Site history


def visible_logs(user):
    return [visible_log_entries(log_model, user) for log_model in log_action_registry.get_log_entry_models()]


class SiteHistoryFilterSet(audit_logging.SiteHistoryReportFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["object_type"].queryset = self.get_content_types

    def get_content_types(self, request):
        ids = set().union(*(entries.get_content_type_ids() for entries in visible_logs(request.user)))
        return ContentType.objects.filter(pk__in=ids).order_by("model")

    def get_action_choices(self):
        actions = set().union(*(entries.get_actions() for entries in visible_logs(self.request.user)))
        return [choice for choice in log_action_registry.get_choices() if choice[0] in actions]

    def get_users_queryset(self):
        user = self.request.user
        return _users(user, set().union(*(entries.get_user_ids() for entries in visible_logs(user))))


class SiteHistoryView(ScopedReportMixin, audit_logging.LogEntriesView):
    filterset_class = SiteHistoryFilterSet

    def get_filtered_queryset(self):
        """Wagtail's union of every log model's entries, each model's narrowed by news57.access first."""
        self.log_models = list(log_action_registry.get_log_entry_models())
        queryset = None
        for index, log_model in enumerate(self.log_models):
            entries = (
                visible_log_entries(log_model, self.request.user)
                .values("pk", "timestamp")
                .annotate(log_model_index=Value(index, output_field=IntegerField()))
            )
            entries = self.filter_queryset(entries).order_by()
            queryset = entries if queryset is None else queryset.union(entries, all=True)
        return queryset.order_by("-timestamp")


class PublicationAdminURLFinder(ModelAdminURLFinder):
    """A publication has no edit view: its link goes to its inspect view, or to the queue without one."""

    def get_edit_url(self, instance):
        policy = publication_permission_policy
        if self.user and not policy.user_has_permission_for_instance(self.user, "view", instance):
            return None
        return self.construct_edit_url(instance)

    def construct_edit_url(self, instance):
        try:
            return reverse(f"{PublicationViewSet.name}:inspect", args=[quote(instance.pk)])
        except NoReverseMatch:
            return reverse(queue.INDEX_URL_NAME)


def register_publication_url_finder():
    # Exact-class entries outrank the edit-view finder the publications' viewset registers when the URLs load.
    finder_classes.register(Publication, value=PublicationAdminURLFinder, exact_class=True)


# Page types usage


def annotate_usage(page_types, pages, language_code, site_root_path):
    """Wagtail's count and latest edited page of each type, over `pages` only."""
    counted = Q(pages__in=pages.values("pk"))
    latest = pages.filter(content_type=OuterRef("pk"))
    if language_code:
        counted &= Q(pages__locale__language_code=language_code)
        latest = latest.filter(locale__language_code=language_code)
    if site_root_path:
        counted &= Q(pages__path__startswith=site_root_path)
        latest = latest.filter(path__startswith=site_root_path)
    latest = latest.order_by(F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk")
    return page_types.annotate(
        count=Count("pages", filter=counted), last_edited_page_id=Subquery(latest.values("pk")[:1])
    )


class PageTypesUsageFilterSet(page_types_usage.PageTypesUsageReportFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sites = {site.pk: site for site in report_sites(self.request.user).select_related("root_page")}
        self.sites_filter_enabled = len(self.sites) > 1
        if not self.sites_filter_enabled:
            self.filters.pop("site", None)
        else:
            self.filters["site"].extra["choices"] = [(site.root_page.path, str(site)) for site in self.sites.values()]


class PageTypesUsageView(ScopedReportMixin, page_types_usage.PageTypesUsageReportView):
    filterset_class = PageTypesUsageFilterSet
    export_filename = "page-types-usage"
    list_export = ["name", "app_model", "count", "last_edited_page_title", "last_edited_at"]
    export_headings = {
        "name": _("Type"),
        "app_model": _("App"),
        "count": _("Pages"),
        "last_edited_page_title": _("Last edited page"),
        "last_edited_at": _("Last edit"),
    }

    def get_queryset(self):
        pages = report_pages(Page.objects.all(), self.request.user)
        page_types = ContentType.objects.filter(model__in=self.page_models)
        page_content_type = ContentType.objects.get_for_model(Page)
        if not pages.filter(depth__gt=1, content_type=page_content_type).exists():
            page_types = page_types.exclude(pk=page_content_type.pk)
        self.queryset = page_types
        page_types = self.filter_queryset(page_types)
        chosen = self.filters.form.cleaned_data
        page_types = annotate_usage(page_types, pages, chosen.get("page_locale"), chosen.get("site"))
        return page_types.order_by("-count", "app_label", "model")

    def decorate_paginated_queryset(self, page_types):
        page_types = super().decorate_paginated_queryset(page_types)
        for page_type in page_types:
            # What the screen shows, for the export.
            page_type.app_model = f"{page_type.app_label}.{page_type.model}"
            page = page_type.last_edited_page
            page_type.last_edited_page_title = page.get_admin_display_title() if page else ""
            page_type.last_edited_at = page.latest_revision_created_at if page else None
        return page_types


# Menu and URLs


@dataclass(frozen=True)
class Report:
    label: str
    url_name: str
    name: str
    icon: str
    order: int
    enabled_setting: str | None = None


# Wagtail's names, icons and orders: its items of the same name are dropped for these.
REPORTS = [
    Report(_("Locked pages"), "locked_pages", "locked-pages", "lock", 700),
    Report(_("Workflows"), "workflow", "workflows", "tasks", 800, "WAGTAIL_WORKFLOW_ENABLED"),
    Report(_("Workflow tasks"), "workflow_tasks", "workflow-tasks", "thumbtack", 900, "WAGTAIL_WORKFLOW_ENABLED"),
    Report(_("Site history"), "site_history", "site-history", "history", 1000),
    Report(_("Aging pages"), "aging_pages", "aging-pages", "time", 1100, "WAGTAIL_AGING_PAGES_ENABLED"),
    Report(_("Page types usage"), "page_types_usage", "page-types-usage", "doc-empty-inverse", 1200),
]
REPORT_NAMES = {report.name for report in REPORTS}


class ReportMenuItem(MenuItem):
    """Shown to whoever may open the report, as the report's own dispatch decides."""

    def __init__(self, report):
        url = reverse(f"wagtailadmin_reports:{report.url_name}")
        super().__init__(report.label, url, name=report.name, icon_name=report.icon, order=report.order)
        self.enabled_setting = report.enabled_setting

    def is_shown(self, request):
        enabled = self.enabled_setting is None or getattr(settings, self.enabled_setting, True)
        return enabled and can_read_reports(request.user)


def menu_item_hooks():
    """One register_reports_menu_item hook per report."""
    return [partial(ReportMenuItem, report) for report in REPORTS]


def drop_wagtails_report_menu_items(request, menu_items):
    """Wagtail shows its report items by page permissions; ours, of the same names, replace them."""
    menu_items[:] = [item for item in menu_items if isinstance(item, ReportMenuItem) or item.name not in REPORT_NAMES]


def _report_paths(prefix, view_class):
    return [
        path(f"reports/{prefix}/", view_class.as_view()),
        path(f"reports/{prefix}/results/", view_class.as_view(results_only=True)),
    ]


# Mounted in cms/urls.py ahead of Wagtail's admin, at Wagtail's own report paths and without names:
# reverse("wagtailadmin_reports:site_history") still gives the path, which now resolves here.
report_urlpatterns = decorate_urlpatterns(
    decorate_urlpatterns(
        [
            *_report_paths("locked", LockedPagesView),
            *_report_paths("workflow", WorkflowView),
            *_report_paths("workflow_tasks", WorkflowTasksView),
            *_report_paths("site-history", SiteHistoryView),
            *_report_paths("aging-pages", AgingPagesView),
            *_report_paths("page-types-usage", PageTypesUsageView),
        ],
        require_admin_access,
    ),
    never_cache,
)
