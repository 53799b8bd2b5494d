"""The calendar of report deadlines, and what is due next on the admin home.

Superusers keep every agency's dates; a province's administrators those of the
province's agencies (news57.access, by ProvinceScopedPolicy): another province's
rows answer 404, and the form offers only their own agencies. Editors, leaders
and supervisors never see the rows: their admin home shows the reports their
agencies (or their province's) owe next, each with a link to that period's
compliance report.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import models as generic
from wagtail.admin.viewsets.model import ModelViewSet

from ..access import report_deadline_agency_ids
from ..models import ReportDeadline
from ..promptness.report_calendar import due_next, next_due, vietnam_today
from .columns import NO_VALUE
from .scoped import ScopedIndexMixin, ScopedObjectMixin, ScopedViewSetMixin

PANEL_ITEMS = 6
# Built beside this screen; until it exists the panel's lines go without a link.
COMPLIANCE_REPORT_URL_NAME = "news57_compliance_report"


def days_left(days):
    """The days left in words: "còn 12 ngày", or "hôm nay" for a report due today (a past date is never shown)."""
    if days <= 0:
        return pgettext("report due", "today")
    return ngettext("%(count)d day left", "%(count)d days left", days) % {"count": days}


def applies_to(deadline):
    if deadline.covers_subordinates:
        return gettext("The agency and every agency below it")
    return gettext("The agency alone")


def _next(deadline):
    return next_due(deadline, vietnam_today())


def next_due_date(deadline):
    due = _next(deadline)
    return f"{due.on:%d/%m/%Y}" if due else NO_VALUE


def next_period(deadline):
    due = _next(deadline)
    return due.period.name if due else NO_VALUE


class ReportDeadlineIndexView(ScopedIndexMixin, generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("agency")


class ReportDeadlineEditView(ScopedObjectMixin, generic.EditView):
    pass


class ReportDeadlineViewSet(ScopedViewSetMixin, ModelViewSet):
    model = ReportDeadline
    name = "news57_report_deadlines"
    url_prefix = "report-deadlines"
    icon = "date"
    menu_label = _("Report deadlines")
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = ReportDeadlineIndexView
    edit_view_class = ReportDeadlineEditView
    list_filter = ["frequency"]
    list_export = ["agency", "recipient", "get_frequency_display", "when", "get_covers_display", "basis"]
    export_headings = {"get_frequency_display": _("Frequency"), "when": _("Due by"), "get_covers_display": _("Report on")}
    export_filename = "thoi-han-bao-cao"
    search_fields = ["recipient", "basis"]
    search_backend_name = None

    @property
    def list_display(self):
        return [
            Column("agency", label=_("Agency"), accessor="agency", sort_key="agency__name"),
            Column("applies_to", label=_("Applies to"), accessor=applies_to),
            Column("recipient", label=_("Sent to"), accessor="recipient", sort_key="recipient"),
            Column("frequency", label=_("Frequency"), accessor="get_frequency_display", sort_key="frequency"),
            Column("when", label=_("Due by"), accessor="when"),
            Column("next_period", label=_("Next report"), accessor=next_period),
            Column("next_due", label=_("Next due date"), accessor=next_due_date),
        ]


# On the admin home


@dataclass(frozen=True)
class DueLine:
    """One report due next, as the panel shows it."""

    report: str
    agency: str
    recipient: str
    due: str
    days_left: str
    is_today: bool
    url: str


def compliance_report_url():
    try:
        return reverse(COMPLIANCE_REPORT_URL_NAME)
    except NoReverseMatch:
        return ""


def due_lines(agency_ids, today=None, limit=PANEL_ITEMS):
    """The reports those agencies owe next, soonest first."""
    today = today or vietnam_today()
    report_url = compliance_report_url()
    lines = []
    for upcoming in due_next(agency_ids, today, limit):
        query = urlencode({"period": upcoming.due.period_key, "agency": upcoming.agency.slug})
        lines.append(
            DueLine(
                report=upcoming.period.name,
                agency=upcoming.agency.name,
                recipient=upcoming.deadline.recipient,
                due=f"{upcoming.due_on:%d/%m/%Y}",
                days_left=days_left(upcoming.days_left),
                is_today=upcoming.days_left == 0,
                url=f"{report_url}?{query}" if report_url else "",
            )
        )
    return lines


def panel_context(user, today=None):
    """What the panel shows the user: their agencies' (or supervised province's) reports due next."""
    agency_ids = report_deadline_agency_ids(user)
    return {"lines": due_lines(agency_ids, today), "several_agencies": len(agency_ids) > 1}


class ReportDeadlinesPanel(Component):
    """The reports due next, on the admin home of an agency's people and of a supervisor."""

    name = "news57_report_deadlines"
    template_name = "news57/admin/report_deadlines/panel.html"
    order = 60

    def get_context_data(self, parent_context):
        return panel_context(parent_context["request"].user)


def add_panel(request, panels):
    """The construct_homepage_panels hook: for whoever has agencies whose reports to watch."""
    if report_deadline_agency_ids(request.user):
        panels.append(ReportDeadlinesPanel())
