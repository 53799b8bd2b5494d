"""Promptness for the supervisor: every agency of the province for a period, its charts, drill-down and report.

Three screens, each scoped by news57.access.compliance_sites (a supervisor reads
their province's agencies, an editor or leader only their own):
- the compliance view (a Wagtail report view): per agency due, on time, late,
  missing, declined, the share and latencies; sortable, filterable, paginated,
  with two SVG charts, and XLSX/CSV of the whole report;
- one agency's drill-down: its late, missing and declined documents;
- the report in the form agencies submit, ready to print, with the same downloads.
"""

from dataclasses import dataclass
from datetime import date
from itertools import islice

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import Http404
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import AdminDateInput, HeaderButton

from ..access import can_read_compliance, compliance_provinces, compliance_sites, visible_publications
from ..models import Agency, AgencyLevel, DirectiveDocument, Publication
from ..promptness.figures import DECLINED, LATE, MISSING, counted_publications, result
from ..promptness.periods import Period, PeriodError, half_year_key
from ..promptness.report_calendar import due_next
from ..promptness.reports import RESULT_LABELS, make_report
from ..promptness.spreadsheets import csv_text, documents_csv_text, workbook
from ..text import slugify
from ..vietnam_time import local, shown
from ..vietnam_time import now as vietnam_now
from .columns import NO_VALUE
from .exports import CSV, XLSX, attachment

INDEX_URL_NAME = "news57_compliance"
PER_SCREEN = 50
PRINTED_EXCEPTIONS = 500
EXCEPTIONS = (LATE, MISSING, DECLINED)


# The period and the other choices


def period_choices(today):
    """This month and the eleven before it, this and the last two years' half-years, and those years."""
    months, year, month = [], today.year, today.month
    for _step in range(12):
        months.append(f"{year}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    years = [today.year - back for back in range(3)]
    halves = [f"{y}-H{half}" for y in years for half in (2, 1) if date(y, 1 if half == 1 else 7, 1) <= today]
    return [(value, Period.parse(value).name) for value in [*halves, *months, *map(str, years)]]


def default_period(today, sites):
    """This half-year, or, when nothing of these sites fell due in it yet, the last half-year something did."""
    current = half_year_key(today)
    start, end = Period.parse(current).bounds()
    site_ids = list(sites.values_list("pk", flat=True))
    due = Publication.objects.filter(site_id__in=site_ids, is_backfill=False)
    if due.filter(due_at__gte=start, due_at__lt=end).exists():
        return current
    latest = due.filter(due_at__lt=start).aggregate(latest=Max("due_at"))["latest"]
    return current if latest is None else half_year_key(local(latest).date())


class ComplianceFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if bool(start) != bool(end):
            raise ValidationError(_("Give both the first and the last day of the period, or neither."))
        if start and end:
            try:
                cleaned["custom"] = Period.between(start, end)
            except PeriodError as error:
                raise ValidationError(str(error)) from None
        return cleaned


def _keep(queryset, name, value):
    # The choices pick the sites and the period the figures are counted for, not rows of a queryset.
    return queryset


class ComplianceFilterSet(django_filters.FilterSet):
    period = django_filters.ChoiceFilter(label=_("Period"), method=_keep, empty_label=None)
    start = django_filters.DateFilter(label=_("Or from"), method=_keep, widget=AdminDateInput)
    end = django_filters.DateFilter(label=_("to"), method=_keep, widget=AdminDateInput)
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), queryset=Agency.objects.none(), method=_keep, to_field_name="slug"
    )
    level = django_filters.ChoiceFilter(
        label=_("Level"), method=_keep, empty_label=_("All levels"),
        choices=[(value, label) for value, label in AgencyLevel.choices if value != AgencyLevel.CENTRAL],
    )  # fmt: skip
    issuer = django_filters.ModelChoiceFilter(
        label=_("Issuer"), queryset=Agency.objects.none(), method=_keep, to_field_name="slug", empty_label=_("All issuers")
    )

    class Meta:
        model = Publication
        fields = []
        form = ComplianceFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user
        choices = period_choices(vietnam_now().date())
        asked = (self.data or {}).get("period")
        if asked and asked not in dict(choices):
            # An older period named in the address (a link from a report deadline, say) is offered too.
            try:
                choices.append((asked, Period.parse(asked).name))
            except PeriodError:
                pass
        self.filters["period"].extra["choices"] = choices
        provinces = compliance_provinces(user)
        if provinces.count() > 1:
            self.filters["province"].queryset = provinces
            self.filters["province"].extra["empty_label"] = _("All provinces")
        else:
            self.filters.pop("province")
        self.filters["issuer"].queryset = Agency.objects.filter(
            pk__in=DirectiveDocument.objects.values("issuer")
        ).order_by("level", "name")
        # Worked out (two queries) only when the address names no period.
        if not (asked or (self.data or {}).get("start")):
            self.default_period = default_period(vietnam_now().date(), compliance_sites(user))
            if self.default_period not in dict(choices):
                choices.append((self.default_period, Period.parse(self.default_period).name))
            self.form.fields["period"].initial = self.default_period
        else:
            self.default_period = half_year_key(vietnam_now().date())


@dataclass
class Choice:
    """What the figures are counted for: the period, the sites, the issuers, and whose report it is."""

    period: Period
    sites: list
    issuer_ids: list | None
    issuer: Agency | None
    province: Agency | None
    query: dict

    def url(self, name, *args, **extra):
        return reverse(name, args=args) + "?" + urlencode({**self.query, **extra})


def choose(request, filters):
    """The period, sites and issuer from the filter form, the defaults where it says nothing or is wrong."""
    user = request.user
    cleaned = filters.form.cleaned_data if filters.is_valid() else {}
    period = cleaned.get("custom") or Period.parse(cleaned.get("period") or filters.default_period)
    sites = compliance_sites(user).select_related("agency").order_by("agency__name")
    province = cleaned.get("province")
    if province is None:
        provinces = list(compliance_provinces(user)[:2])
        province = provinces[0] if len(provinces) == 1 else None
    if cleaned.get("province"):
        sites = sites.filter(agency__in=province.province_agencies())
    if cleaned.get("level"):
        sites = sites.filter(agency__level=cleaned["level"])
    issuer = cleaned.get("issuer")
    query = {"period": cleaned.get("period") or filters.default_period}
    if cleaned.get("custom"):
        query = {"start": cleaned["start"].isoformat(), "end": cleaned["end"].isoformat()}
    for name in ("province", "issuer"):
        if cleaned.get(name):
            query[name] = cleaned[name].slug
    if cleaned.get("level"):
        query["level"] = cleaned["level"]
    return Choice(period, list(sites), [issuer.pk] if issuer else None, issuer, province, query)


# Formatting


def share_text(share):
    return NO_VALUE if share is None else f"{number_format(share * 100, 1)}%"


def hours_text(delta):
    if delta is None:
        return NO_VALUE
    return _g("%(hours)s h") % {"hours": number_format(delta.total_seconds() / 3600, 1)}


SORT_KEYS = {
    "agency": lambda row: row.agency,
    "level": lambda row: row.level,
    "due": lambda row: row.due,
    "on_time": lambda row: row.on_time,
    "late": lambda row: row.late,
    "missing": lambda row: row.missing,
    "declined": lambda row: row.declined,
    "share": lambda row: row.on_time_share,
    "median": lambda row: row.median_latency,
    "p95": lambda row: row.p95_latency,
    "pipeline": lambda row: row.median_pipeline_latency,
}


def sort_rows(rows, ordering):
    """Sort by one column, either way; rows without a value always last."""
    descending = ordering.startswith("-")
    key = SORT_KEYS[ordering.lstrip("-")]
    known = [row for row in rows if key(row) is not None]
    unknown = [row for row in rows if key(row) is None]
    known.sort(key=lambda row: (key(row), row.agency), reverse=descending)
    return known + sorted(unknown, key=lambda row: row.agency)


class ComplianceAccessMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_read_compliance(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def download(report, export, filename):
    if export == "csv":
        return attachment(csv_text(report), f"{filename}.csv", CSV)
    return attachment(workbook(report), f"{filename}.xlsx", XLSX)


def file_name(choice, agency=None):
    """"Báo cáo kịp thời – Thanh tra tỉnh Lạng Sơn – 6 tháng đầu năm 2025", as the download is named."""
    whose = agency.name if agency else (choice.province.name if choice.province else _g("All agencies"))
    return _g("Promptness report – %(whose)s – %(period)s") % {"whose": whose, "period": choice.period.name}


class ComplianceView(ComplianceAccessMixin, ReportView):
    template_name = "news57/admin/compliance/index.html"
    results_template_name = "news57/admin/compliance/results.html"
    index_url_name = INDEX_URL_NAME
    index_results_url_name = "news57_compliance_results"
    page_title = _("Promptness")
    header_icon = "time"
    filterset_class = ComplianceFilterSet
    paginate_by = PER_SCREEN
    default_ordering = "agency"
    list_export = ["agency"]  # shows Wagtail's download buttons; as_spreadsheet writes the whole report

    # (sort key, heading): the figures table, drawn by the template in one loop (a Wagtail table renders a template
    # per cell, which for a province's fifty rows costs more than counting them).
    HEADINGS = [
        ("agency", _("Agency")), ("level", _("Level")), ("due", _("Due")), ("on_time", _("On time")),
        ("late", _("Late")), ("missing", _("Missing")), ("declined", _("Declined")), ("share", _("On-time share")),
        ("median", _("Median latency")), ("p95", _("95th percentile")),
        ("pipeline", _("Pipeline latency (median / 95th)")),
    ]  # fmt: skip
    columns = [Column(key, label=label, sort_key=key) for key, label in HEADINGS]

    def headings(self):
        """[(heading, link that sorts by it, "ascending"/"descending"/None)] for the table's head."""
        shown = []
        for key, label in self.HEADINGS:
            current = {key: "ascending", f"-{key}": "descending"}.get(self.ordering)
            query = self.request.GET.copy()
            query.pop(self.page_kwarg, None)
            query["ordering"] = f"-{key}" if self.ordering == key else key
            shown.append((label, f"{self.index_url}?{query.urlencode()}", current))
        return shown

    def table_rows(self, rows):
        levels = dict(AgencyLevel.choices)
        return [
            {
                "agency": row.agency,
                "url": self.agency_url(row),
                "level": levels.get(row.level, ""),
                "counts": [(row.due, None), (row.on_time, None)] + [
                    (getattr(row, name), self.agency_url(row, result=name) if getattr(row, name) else None)
                    for name in (LATE, MISSING, DECLINED)
                ],
                "share": share_text(row.on_time_share),
                "median": hours_text(row.median_latency),
                "p95": hours_text(row.p95_latency),
                "pipeline": f"{hours_text(row.median_pipeline_latency)} / {hours_text(row.p95_pipeline_latency)}",
            }
            for row in rows
        ]

    def agency_url(self, row, **extra):
        return self.choice.url("news57_compliance_agency", row.agency_slug, **extra) if row.agency_slug else None

    def get_valid_orderings(self):
        return [*SORT_KEYS, *(f"-{key}" for key in SORT_KEYS)]

    @cached_property
    def choice(self):
        return choose(self.request, self.filters)

    @cached_property
    def report(self):
        agency = self.choice.province
        return make_report(self.choice.period, self.choice.sites, agency, issuer_ids=self.choice.issuer_ids)

    def get_queryset(self):
        return sort_rows(self.report.figures, self.ordering)

    def filter_queryset(self, rows):
        return rows

    def get_filtered_queryset(self):
        return self.get_queryset()

    def as_spreadsheet(self, rows, export):
        return download(self.report, export, file_name(self.choice))

    def get_header_buttons(self):
        return [
            HeaderButton(_("Report to print"), url=self.choice.url("news57_compliance_report"), icon_name="doc-full")
        ]

    def get_context_data(self, *args, **kwargs):
        from .charts import margin_chart, weekly_share_chart

        context = super().get_context_data(*args, **kwargs)
        tally = self.report.tally
        context.update(
            headings=self.headings(),
            rows=self.table_rows(context["object_list"]),
            choice=self.choice,
            total=self.report.total,
            total_share=share_text(self.report.total.on_time_share),
            total_median=hours_text(self.report.total.median_latency),
            total_p95=hours_text(self.report.total.p95_latency),
            weeks_chart=weekly_share_chart(tally.weeks),
            margins_chart=margin_chart(tally.margins, self.report.total.missing),
            filter_errors=self.filters.form.non_field_errors() if self.filters.is_bound else [],
        )
        return context


# One agency's documents


RESULT_CHOICES = [("exceptions", _("Late, missing or declined")), *RESULT_LABELS.items(), ("all", _("All"))]


def agency_in_scope(request, slug):
    """The agency of that slug among those the user may read, or 404 as if it did not exist."""
    site = compliance_sites(request.user).select_related("agency").filter(agency__slug=slug).first()
    if site is None:
        raise Http404
    return site


class ComplianceAgencyView(ComplianceAccessMixin, ReportView):
    """One agency's counted documents for the period: by default those late, missing or declined."""

    template_name = "news57/admin/compliance/index.html"
    results_template_name = "news57/admin/compliance/agency_results.html"
    filterset_class = ComplianceFilterSet
    paginate_by = PER_SCREEN
    list_export = ["code"]

    def get(self, request, *args, slug, **kwargs):
        self.site = agency_in_scope(request, slug)
        self.agency = self.site.agency
        wanted = request.GET.get("result", "exceptions")
        self.result_choice = wanted if wanted in dict(RESULT_CHOICES) else "exceptions"
        return super().get(request, *args, **kwargs)

    def get_index_url(self):
        return reverse("news57_compliance_agency", args=[self.agency.slug])

    def get_index_results_url(self):
        return reverse("news57_compliance_agency_results", args=[self.agency.slug])

    def get_page_title(self):
        return self.agency.name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": self.choice.url(INDEX_URL_NAME), "label": _("Promptness")},
            {"url": "", "label": self.agency.name},
        ]

    @cached_property
    def choice(self):
        choice = choose(self.request, self.filters)
        choice.sites = [self.site]
        return choice

    @cached_property
    def results(self):
        if self.result_choice == "exceptions":
            return list(EXCEPTIONS)
        if self.result_choice == "all":
            return None
        return [self.result_choice]

    @cached_property
    def columns(self):
        return [
            TitleColumn("code", label=pgettext_lazy("document", "Code"), accessor="document.code", get_url=self.publication_url),
            Column("title", label=_("Title"), accessor="document.title"),
            Column("issuer", label=_("Issuer"), accessor="document.issuer.name"),
            Column("due", label=_("Due"), accessor=lambda row: shown(row.due_at)),
            Column("live", label=_("Went live"), accessor=lambda row: shown(row.first_published_at) or NO_VALUE),
            Column("result", label=_("Result"), accessor=lambda row: RESULT_LABELS[row.result]),
            Column("reason", label=_("Reason"), accessor=lambda row: row.reason or NO_VALUE),
        ]

    def publication_url(self, row):
        return reverse("news57_publications:inspect", args=[row.pk]) if row.can_inspect else None

    def get_queryset(self):
        rows = (
            counted_publications(self.choice.period, [self.site.pk], self.choice.issuer_ids)
            .annotate(result=result(vietnam_now()))
            .select_related("document__issuer")
            .order_by("due_at", "pk")
        )
        if self.results is not None:
            rows = rows.filter(result__in=self.results)
        return rows

    def filter_queryset(self, rows):
        return rows

    def decorate_paginated_queryset(self, rows):
        shown_rows = visible_publications(self.request.user).filter(pk__in=[row.pk for row in rows])
        readable = set(shown_rows.values_list("pk", flat=True))
        for row in rows:
            row.can_inspect = row.pk in readable
        return rows

    @cached_property
    def report(self):
        return make_report(self.choice.period, [self.site], self.agency, issuer_ids=self.choice.issuer_ids)

    def as_spreadsheet(self, rows, export):
        if export == "csv":
            return attachment(documents_csv_text(self.report), f"{file_name(self.choice, self.agency)}.csv", CSV)
        return attachment(workbook(self.report), f"{file_name(self.choice, self.agency)}.xlsx", XLSX)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        figures = self.report
        context.update(
            choice=self.choice,
            agency=self.agency,
            figures=figures.total,
            share=share_text(figures.total.on_time_share),
            median=hours_text(figures.total.median_latency),
            p95=hours_text(figures.total.p95_latency),
            result_links=[
                (value, label, self.choice.url("news57_compliance_agency", self.agency.slug, result=value))
                for value, label in RESULT_CHOICES
            ],
            result_choice=self.result_choice,
            report_url=self.choice.url("news57_compliance_report", agency=self.agency.slug),
        )
        return context


# The report to print


def place_of(agency):
    """Where the report is signed, as the place-and-date line names it: the province, or Hà Nội for the centre."""
    province = agency.province if agency else None
    if province is None:
        return _g("Hà Nội")
    name = province.name
    marker = name.lower().find("tỉnh ")
    return name[marker + len("tỉnh "):] if marker >= 0 else province.short_name or name


def place_and_date(place, day):
    return _g("%(place)s, day %(day)02d month %(month)02d year %(year)d") % {
        "place": place, "day": day.day, "month": day.month, "year": day.year}  # fmt: skip


class ComplianceReportView(ComplianceAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    """The periodic report in the form agencies submit, for one agency or a province; ?export= downloads it."""

    template_name = "news57/admin/compliance/report.html"

    def get(self, request, *args, **kwargs):
        filters = ComplianceFilterSet(data=request.GET, request=request, queryset=Publication.objects.none())
        self.choice = choose(request, filters)
        slug = request.GET.get("agency")
        self.agency = None
        if slug:
            site = agency_in_scope(request, slug)
            self.agency = site.agency
            self.choice.sites = [site]
            self.choice.query["agency"] = slug
        reporting = self.agency or self.choice.province or self.only_agency()
        self.report = make_report(self.choice.period, self.choice.sites, reporting, issuer_ids=self.choice.issuer_ids)
        export = request.GET.get("export")
        if export in ("xlsx", "csv"):
            return download(self.report, export, file_name(self.choice, self.agency))
        return super().get(request, *args, **kwargs)

    def recipient(self, reporting, today):
        """Whom the report is addressed to: the reporting agency's deadline for this period, else its next one."""
        if reporting is None:
            return None
        owed = due_next([reporting], today)
        key = self.choice.query.get("period")
        return next((item for item in owed if item.due.period_key == key), owed[0] if owed else None)

    def only_agency(self):
        agencies = {site.agency for site in self.choice.sites}
        return agencies.pop() if len(agencies) == 1 else None

    def get_page_title(self):
        return _("Promptness report")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reporting = self.report.agency
        today = vietnam_now().date()
        one_agency = len(self.report.figures) == 1
        # One agency's report lists every counted document; a province's, those late, missing or declined (cut
        # short for paper: the workbook has them all).
        if one_agency:
            documents = list(self.report.documents())
        else:
            documents = list(islice(self.report.documents(EXCEPTIONS), PRINTED_EXCEPTIONS + 1))
        context.update(
            report=self.report,
            reporting=reporting,
            recipient=self.recipient(reporting, today),
            superior=reporting.parent if reporting and reporting.parent_id else None,
            place_date=place_and_date(place_of(reporting), today),
            number_suffix=f"BC-{reporting.code_issuer or slugify(reporting.short_name).upper()}" if reporting else "BC",
            rows=[(site, share_text(site.on_time_share), hours_text(site.median_latency), hours_text(site.p95_latency))
                  for site in self.report.figures],  # fmt: skip
            total=(self.report.total, share_text(self.report.total.on_time_share),
                   hours_text(self.report.total.median_latency), hours_text(self.report.total.p95_latency)),  # fmt: skip
            one_agency=one_agency,
            documents=documents[:PRINTED_EXCEPTIONS] if not one_agency else documents,
            more_exceptions=not one_agency and len(documents) > PRINTED_EXCEPTIONS,
            choice=self.choice,
            xlsx_url=self.choice.url("news57_compliance_report", export="xlsx"),
            csv_url=self.choice.url("news57_compliance_report", export="csv"),
            back_url=self.choice.url(INDEX_URL_NAME),
        )
        return context


class ComplianceMenuItem(MenuItem):
    def is_shown(self, request):
        return can_read_compliance(request.user)


def menu_item():
    return ComplianceMenuItem(_("Promptness"), reverse(INDEX_URL_NAME), icon_name="time", order=240)


urlpatterns = [
    path("compliance/", ComplianceView.as_view(), name=INDEX_URL_NAME),
    path("compliance/results/", ComplianceView.as_view(results_only=True), name="news57_compliance_results"),
    path("compliance/report/", ComplianceReportView.as_view(), name="news57_compliance_report"),
    path("compliance/agency/<slug:slug>/", ComplianceAgencyView.as_view(), name="news57_compliance_agency"),
    path(
        "compliance/agency/<slug:slug>/results/",
        ComplianceAgencyView.as_view(results_only=True),
        name="news57_compliance_agency_results",
    ),
]
