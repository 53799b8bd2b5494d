"""The admin of feed sources: their state at a glance, and "check" — one fetch shown, nothing imported.

Superusers manage every source; a province's administrators (news57.access)
only those whose default issuer is one of the province's agencies. Editors and
leaders hold no source permission, so they see neither the menu nor any of
these URLs. Checking a source changes nothing, but it makes the
server fetch an address, so it needs the change permission like editing does.
"""

from dataclasses import dataclass
from datetime import datetime

import django_filters
from django.contrib.admin.utils import quote
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import models as generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button

from ..access import source_permission_policy
from ..document_codes import DocumentCode
from ..models import Agency, EntryKind, Source
from ..syndication.poll import preview
from ..syndication.store import Issuers
from ..syndication.store import entry_kind as kind_for
from ..vietnam_time import shown
from .columns import NO_VALUE, VietnamTimeColumn
from .scoped import ScopedIndexMixin, ScopedObjectMixin, ScopedViewSetMixin
from .exports import VietnamSpreadsheetMixin

TIME_FIELDS = ("next_poll_at", "last_polled_at", "last_success_at", "last_error_at", "disabled_at", "created_at")


# What a person should notice first about a source.


@dataclass(frozen=True)
class SourceStatus:
    key: str  # "disabled_automatically", "off", "failing", "new", "working"
    label: str

    @property
    def is_alarm(self):
        return self.key in ("disabled_automatically", "failing")


def source_status(source):
    if source.disabled_at is not None and not source.enabled:
        return SourceStatus("disabled_automatically", str(_("Turned off automatically after repeated failures")))
    if not source.enabled:
        return SourceStatus("off", str(_("Off")))
    if source.is_failing:
        count = source.consecutive_failures
        label = ngettext(
            "Failing (%(count)s time in a row)", "Failing (%(count)s times in a row)", count
        ) % {"count": count}
        return SourceStatus("failing", label)
    if source.last_polled_at is None:
        return SourceStatus("new", str(_("Not polled yet")))
    return SourceStatus("working", str(_("Working")))


class SourceStatusColumn(Column):
    """A tag a failing or automatically disabled source cannot hide behind."""

    cell_template_name = "news57/admin/sources/status_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["status"] = source_status(instance)
        return context


class SourceFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("State"),
        method="filter_status",
        choices=[
            ("failing", _("Failing")),
            ("disabled_automatically", _("Turned off automatically")),
            ("working", _("Working")),
        ],
        empty_label=_("All"),
    )

    class Meta:
        model = Source
        fields = ["level", "carries", "enabled"]

    def filter_status(self, queryset, name, value):
        if value == "disabled_automatically":
            return queryset.filter(enabled=False, disabled_at__isnull=False)
        if value == "failing":
            return queryset.filter(consecutive_failures__gt=0).exclude(enabled=False, disabled_at__isnull=False)
        if value == "working":
            return queryset.filter(enabled=True, consecutive_failures=0)
        return queryset


class CheckLinkMixin:
    """Offers "try fetching this source" to whoever may change sources."""

    check_url_name = None

    def check_button(self, source, button_class=Button):
        if source_permission_policy.user_has_permission_for_instance(self.request.user, "change", source):
            url = reverse(self.check_url_name, args=[quote(source.pk)])
            return button_class(_("Try fetching this source"), url=url, icon_name="search", priority=5)
        return None


class SourceIndexView(VietnamSpreadsheetMixin, ScopedIndexMixin, CheckLinkMixin, generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("default_issuer")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if button := self.check_button(instance):
            buttons.append(button)
        return buttons


class SourceStateMixin:
    """The source's state in words, shown above the edit form."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["source_state"] = source_state(self.object)
        return context


def source_state(source):
    return {
        "status": source_status(source),
        "rows": [
            (_("Last success"), shown(source.last_success_at) or NO_VALUE),
            (_("Last error"), source.last_error_message or NO_VALUE),
            (_("Last error at"), shown(source.last_error_at) or NO_VALUE),
            (_("Consecutive failures"), source.consecutive_failures),
            (_("Next poll"), shown(source.next_poll_at) or NO_VALUE),
            (_("Entries seen"), source.entries_seen),
        ],
    }


class SourceEditView(ScopedObjectMixin, SourceStateMixin, CheckLinkMixin, generic.EditView):
    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if button := self.check_button(self.object):
            buttons.append(button)
        return buttons


class SourceInspectView(ScopedObjectMixin, CheckLinkMixin, generic.InspectView):
    LABELS = {
        "status": _("State"),
        "last_error_message": _("Last error"),
        "last_error_detail": _("Technical details of the last error"),
    }

    def get_field_label(self, field_name, field):
        if field_name in self.LABELS:
            return self.LABELS[field_name]
        return super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field):
        if field_name in TIME_FIELDS:
            return shown(getattr(self.object, field_name)) or NO_VALUE
        value = super().get_field_display_value(field_name, field)
        return NO_VALUE if value in (None, "") else value

    def get_status_display_value(self):
        return source_status(self.object).label

    def get_last_error_message_display_value(self):
        return self.object.last_error_message or NO_VALUE

    def get_enabled_display_value(self):
        return _yes_no(self.object.enabled)

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if button := self.check_button(self.object):
            buttons.append(button)
        return buttons


# "Check this source": what a poll would import, without importing it.


@dataclass
class CheckedEntry:
    title: str
    link: str
    guid: str
    author: str
    kind: str
    own_code: str
    cited_codes: tuple
    issuer: Agency | None
    published_at: datetime | None
    body: str  # cleaned by news57.syndication.sanitize: safe to render as HTML
    attachments: tuple

    @property
    def is_document(self):
        return self.kind == EntryKind.DOCUMENT

    @property
    def kind_label(self):
        return EntryKind(self.kind).label

    @property
    def source_time(self):
        return shown(self.published_at)

    @property
    def safe_body(self):
        return mark_safe(self.body)  # noqa: S308  (the cleaner's output, never raw feed HTML)


def checked_entries(entries, issuers, carries):
    """Each previewed (Entry, cleaned body) as the importer would see it: kind, code, issuer."""
    rows = []
    for entry, body in entries:
        code = DocumentCode.parse(entry.own_code) if entry.own_code else None
        kind = kind_for(carries, code)
        rows.append(
            CheckedEntry(
                title=entry.title,
                link=entry.link,
                guid=entry.guid,
                author=entry.author,
                kind=kind,
                own_code=code.key if code else "",
                cited_codes=entry.cited_codes,
                issuer=issuers.resolve(entry.author, code) if kind == EntryKind.DOCUMENT else None,
                published_at=entry.published_at,
                body=body,
                attachments=entry.attachments,
            )
        )
    return rows


class SourceCheckView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Fetch the source's feed once and show what would be imported; writes nothing to the database."""

    model = Source
    permission_required = "change"
    template_name = "news57/admin/sources/check.html"
    page_title = _("Try fetching this source")
    header_icon = "search"
    index_url_name = None
    edit_url_name = None

    @cached_property
    def source(self):
        # Looked up after the permission check, so a refused user learns nothing about which ids exist;
        # another province's source answers 404 like a missing one.
        changeable = source_permission_policy.instances_user_has_any_permission_for(self.request.user, ["change"])
        return get_object_or_404(changeable.select_related("default_issuer"), pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.source)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": capfirst(Source._meta.verbose_name_plural)},
            {"url": reverse(self.edit_url_name, args=[quote(self.source.pk)]), "label": str(self.source)},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        result = preview(self.source.url)
        entries = []
        if result.entries:
            entries = checked_entries(result.entries, Issuers(self.source.default_issuer), self.source.carries)
        return super().get_context_data(
            source=self.source,
            result=result,
            error_message=_error_message(result.error) if result.error else "",
            entries=entries,
            documents=sum(1 for entry in entries if entry.is_document),
            edit_url=reverse(self.edit_url_name, args=[quote(self.source.pk)]),
            **kwargs,
        )


def _error_message(error):
    message = getattr(error, "message", None)
    return str(message) if message else str(_("An unexpected error occurred while checking the source."))


class SourceViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Source
    name = "news57_sources"
    url_prefix = "sources"
    icon = "globe"
    menu_label = _("Sources")
    menu_order = 220
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    list_per_page = 50
    filterset_class = SourceFilterSet
    search_fields = ["name", "url"]
    search_backend_name = None
    index_view_class = SourceIndexView
    edit_view_class = SourceEditView
    inspect_view_class = SourceInspectView
    edit_template_name = "news57/admin/sources/edit.html"
    list_export = [
        "name", "url", "default_issuer", "get_level_display", "enabled", "last_success_at", "last_error_message",
        "consecutive_failures", "next_poll_at",
    ]
    export_headings = {"get_level_display": _("Level"), "last_error_message": _("Last error")}
    export_filename = "nguon-tin"
    inspect_view_fields = [
        "name",
        "url",
        "default_issuer",
        "level",
        "carries",
        "enabled",
        "poll_interval",
        "status",
        "last_polled_at",
        "last_success_at",
        "last_error_at",
        "last_error_message",
        "last_error_detail",
        "consecutive_failures",
        "disabled_at",
        "next_poll_at",
        "entries_seen",
        "created_at",
    ]

    @cached_property
    def list_display(self):
        return [
            "name",
            Column("level", label=_("Level"), accessor="get_level_display", sort_key="level"),
            Column("carries", label=_("Carries"), accessor="get_carries_display", sort_key="carries"),
            Column("enabled", label=_("Enabled"), accessor=lambda source: _yes_no(source.enabled), sort_key="enabled"),
            SourceStatusColumn("status", label=_("State")),
            VietnamTimeColumn("last_success_at", label=_("Last success"), sort_key="last_success_at"),
            Column("last_error", label=_("Last error"), accessor="last_error_message"),
            Column("consecutive_failures", label=_("Consecutive failures"), sort_key="consecutive_failures"),
            VietnamTimeColumn("next_poll_at", label=_("Next poll"), sort_key="next_poll_at"),
            Column("entries_seen", label=_("Entries seen"), sort_key="entries_seen"),
        ]

    def _with_check(self, kwargs):
        return {"check_url_name": self.get_url_name("check"), **kwargs}

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(**self._with_check(kwargs))

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(**self._with_check(kwargs))

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(**self._with_check(kwargs))

    def get_urlpatterns(self):
        check = SourceCheckView.as_view(
            index_url_name=self.get_url_name("index"), edit_url_name=self.get_url_name("edit")
        )
        return super().get_urlpatterns() + [path("<int:pk>/check/", check, name="check")]


def _yes_no(value):
    return _("Yes") if value else _("No")
