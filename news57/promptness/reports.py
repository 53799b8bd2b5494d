"""The periodic promptness report of one agency, or of a province's agencies, for a period.

What it holds is what the plans ask to be reported: per agency the documents due,
on time, late, missing and declined, the latencies, and the news, infographics and
videos published; then every counted document with what became of it. The admin's
print page, its XLSX and CSV and `manage.py compliance_report` all read one Report.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from ..models import ArticlePage, InfographicPage, VideoPage
from .figures import DECLINED, LATE, MISSING, ON_TIME, WAITING, cached_tally, counted_publications, raw_rows, result

CONTENT_KINDS = {"article": ArticlePage, "infographic": InfographicPage, "video": VideoPage}
RESULT_LABELS = {
    ON_TIME: _("On time"),
    LATE: _("Late"),
    MISSING: _("Missing"),
    WAITING: _("Not yet due"),
    DECLINED: _("Declined"),
}
DOCUMENT_COLUMNS = (
    "document__code", "document__title", "document__issuer__name", "site__agency__name", "due_at",
    "first_published_at", "result", "deadline_rule", "reason",
)  # fmt: skip


@dataclass
class DocumentRow:
    code: str
    title: str
    issuer: str
    agency: str
    due_at: datetime
    went_live_at: datetime | None
    result: str
    rule: str
    reason: str

    @property
    def result_label(self):
        return RESULT_LABELS[self.result]


@dataclass
class Report:
    period: object
    sites: list
    agency: object  # the reporting agency: the one agency, or the province
    now: datetime
    issuer_ids: list | None = None

    def __post_init__(self):
        self.tally = cached_tally(self.period, self.sites, self.now, self.issuer_ids)
        self.content = published_content(self.period, self.sites)
        for figures in self.tally.sites:
            figures.content = self.content.get(figures.site_id, empty_content())
        self.tally.total.content = {
            kind: sum(counts[kind] for counts in self.content.values()) for kind in CONTENT_KINDS
        }

    @property
    def figures(self):
        return self.tally.sites

    @property
    def total(self):
        return self.tally.total

    def documents(self, results=None):
        """Every counted publication of the report as a DocumentRow, agency by agency, by due time."""
        rows = (
            counted_publications(self.period, [site.pk for site in self.sites], self.issuer_ids)
            .annotate(result=result(self.now))
            .order_by("site__agency__name", "due_at", "pk")
        )
        if results is not None:
            rows = rows.filter(result__in=results)
        for code, title, issuer, agency, due, live, outcome, rule, reason in raw_rows(rows.values_list(*DOCUMENT_COLUMNS)):
            yield DocumentRow(code, title, issuer, agency, _moment(due), _moment(live), outcome, rule, reason)


def _moment(value):
    """A stored moment as an aware datetime: SQLite hands back naive UTC (or its text), PostgreSQL an aware one."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def empty_content():
    return dict.fromkeys(CONTENT_KINDS, 0)


def published_content(period, sites):
    """{site id: {kind: pages first published in the period}}; one query per depth of the sites' home pages."""
    start, end = period.bounds()
    kinds = {ContentType.objects.get_for_model(model).pk: kind for kind, model in CONTENT_KINDS.items()}
    # The home pages' tree paths only: 200 Page objects cost more to build than the counts themselves.
    paths = dict(Page.objects.filter(pk__in=[site.root_page_id for site in sites]).values_list("pk", "path"))
    by_path = {paths[site.root_page_id]: site.pk for site in sites}
    counts = {site.pk: empty_content() for site in sites}
    for length in {len(tree_path) for tree_path in by_path}:
        rows = (
            Page.objects.filter(first_published_at__gte=start, first_published_at__lt=end, content_type__in=kinds)
            .annotate(home=Substr("path", 1, length))
            .filter(home__in=[tree_path for tree_path in by_path if len(tree_path) == length])
            .values_list("home", "content_type")
            .annotate(count=Count("pk"))
            .order_by()
        )
        for home, content_type, count in rows:
            counts[by_path[home]][kinds[content_type]] += count
    return counts


def make_report(period, sites, agency, now=None, issuer_ids=None):
    return Report(period, list(sites), agency, now or timezone.now(), issuer_ids)
