"""Deadline rules, the days the calendar gets wrong, and counting a period's due times again.

Rules and calendar days are the superusers' (model permissions no group holds);
a province's administrators may view the rules to pick one. Recomputing is for
superusers only (news57.access.can_recompute_deadlines) and logs every change.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import FormView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateInput, HeaderButton

from .. import vietnam_time
from ..access import can_recompute_deadlines
from ..models import Agency, CalendarDay, CalendarDayKind, DeadlineRule
from ..promptness import calendar as working_calendar
from ..promptness.recompute import recompute
from .report_deadlines import ReportDeadlineViewSet
from .exports import VietnamSpreadsheetMixin

RECOMPUTE_URL_NAME = "news57_deadlines_recompute"
WEEKDAYS = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]


class RuleIndexView(VietnamSpreadsheetMixin, IndexView):
    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if can_recompute_deadlines(self.request.user):
            buttons.append(HeaderButton(_("Recompute due times"), url=reverse(RECOMPUTE_URL_NAME), icon_name="repeat"))
        return buttons


class DeadlineRuleViewSet(ModelViewSet):
    model = DeadlineRule
    name = "news57_deadline_rules"
    url_prefix = "deadline-rules"
    icon = "time"
    menu_label = _("Deadline rules")
    index_view_class = RuleIndexView
    copy_view_enabled = False
    search_fields = ["name"]
    search_backend_name = None

    @property
    def list_display(self):
        return ["name", Column("description", label=_("Counted"), accessor="description")]


class CalendarDayForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        day, kind = cleaned.get("day"), cleaned.get("kind")
        if day and kind:
            # The holidays calendar alone, without the administrator's days: is this row needed at all?
            already_working = working_calendar.WorkingCalendar().is_working_day(day)
            if already_working == (kind == CalendarDayKind.WORKING_DAY):
                message = (
                    _("The official calendar already has this day as a working day.")
                    if already_working
                    else _("The official calendar already has this day off.")
                )
                self.add_error("kind", message)
        return cleaned


def official_day(row):
    """What the holidays calendar says of the row's day, for the administrator to compare."""
    if working_calendar.WorkingCalendar().is_working_day(row.day):
        return gettext("Working day")
    return working_calendar.holiday_name(row.day) or gettext("Weekend")


class CalendarDayIndexView(IndexView):
    template_name = "news57/admin/deadlines/calendar_days.html"

    def get_context_data(self, **kwargs):
        this_year = vietnam_time.now().year
        years = [
            {
                "year": year,
                "days": [
                    {"date": day, "weekday": WEEKDAYS[day.weekday()], "name": name or gettext("Make-up working day")}
                    for day, name in working_calendar.official_days(year)
                ],
            }
            for year in (this_year, this_year + 1)
        ]
        return super().get_context_data(official_years=years, **kwargs)


class CalendarDayViewSet(ModelViewSet):
    model = CalendarDay
    name = "news57_calendar_days"
    url_prefix = "calendar-days"
    icon = "date"
    menu_label = _("Days off and make-up days")
    index_view_class = CalendarDayIndexView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_filter = ["kind"]
    search_fields = ["reason"]
    search_backend_name = None

    edit_handler = ObjectList(CalendarDay.panels, base_form_class=CalendarDayForm)

    @property
    def list_display(self):
        return [
            Column("day", label=_("Date"), accessor=lambda row: f"{row.day:%d/%m/%Y}", sort_key="day"),
            Column("kind", label=_("The day is"), accessor="get_kind_display", sort_key="kind"),
            Column("official", label=_("Official calendar"), accessor=official_day),
            Column("reason", label=_("Reason"), accessor="reason"),
        ]


class DeadlinesGroup(ViewSetGroup):
    menu_label = _("Deadlines")
    menu_icon = "time"
    menu_order = 226
    items = (DeadlineRuleViewSet, CalendarDayViewSet, ReportDeadlineViewSet)


class RecomputeForm(forms.Form):
    first_day = forms.DateField(label=pgettext_lazy("date range", "From"), widget=AdminDateInput)
    last_day = forms.DateField(label=pgettext_lazy("date range", "To"), widget=AdminDateInput)
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.filter(site__isnull=False).order_by("name"),
        required=False,
        empty_label=_("Every agency"),
    )

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The end of the period is before its start."))
        return cleaned


class RecomputeView(WagtailAdminTemplateMixin, FormView):
    """Count again the due times of the publications whose obligation began in a period."""

    template_name = "news57/admin/deadlines/recompute.html"
    form_class = RecomputeForm
    page_title = _("Recompute due times")
    header_icon = "repeat"

    def dispatch(self, request, *args, **kwargs):
        if not can_recompute_deadlines(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("news57_deadline_rules:index"), "label": _("Deadline rules")},
            {"url": "", "label": self.page_title},
        ]

    def form_valid(self, form):
        data = form.cleaned_data
        result = recompute(data["first_day"], data["last_day"], self.request.user, agency=data["agency"])
        messages.success(
            self.request,
            _("Due times recomputed: %(changed)d of %(examined)d publications changed, each change logged.")
            % {"changed": result.changed, "examined": result.examined},
        )
        return redirect(RECOMPUTE_URL_NAME)


urlpatterns = [path("deadline-rules/recompute/", RecomputeView.as_view(), name=RECOMPUTE_URL_NAME)]
