"""The inbox: everything waiting for an editor or a leader, on the admin home and as its own screen.

Two kinds of work wait: directive documents queued for the user's own site(s),
and pages of their site in moderation. Overdue ones come first, then the rest by
due time, those without one last. Beside them, what went live this Vietnam month
and how promptly. Only editors and leaders of an agency with a site have one;
it reads, it changes nothing.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from ..access import can_use_queue, own_site_ids, own_sites, pages_in_moderation
from ..models import Publication
from ..republishing.queue import queued_publications, time_left
from ..vietnam_time import local, shown
from .columns import NO_VALUE

INDEX_URL_NAME = "news57_inbox"
PANEL_ITEMS = 5
PUBLICATION, PAGE = "publication", "page"


@dataclass
class InboxItem:
    """One thing waiting for the user: a queued publication or a page in moderation."""

    kind: str
    title: str
    url: str
    site: str
    due_at: datetime | None
    terms: str
    time_left: str
    is_overdue: bool
    code: str = ""
    task: str = ""
    submitted_by: str = ""
    submitted_at: str = ""

    @property
    def due(self):
        return shown(self.due_at) or NO_VALUE

    @property
    def sort_key(self):
        # Overdue first (the longest overdue at the top), then by due time; no deadline last.
        return (not self.is_overdue, self.due_at is None, self.due_at.timestamp() if self.due_at else 0)


def publication_items(user, now):
    """The queued publications of the user's own sites."""
    # The queue's prefetch of the carrying sources is not shown here.
    publications = queued_publications(own_site_ids(user)).prefetch_related(None)
    queue_url = reverse("news57_queue")
    items = []
    for publication in publications:
        text, overdue = time_left(publication.due_at, now)
        items.append(
            InboxItem(
                kind=PUBLICATION,
                title=publication.document.title,
                code=publication.document.code or NO_VALUE,
                url=queue_url,
                site=publication.site.agency.name,
                due_at=publication.due_at,
                terms=publication.deadline_terms or NO_VALUE,
                time_left=text,
                is_overdue=overdue,
            )
        )
    return items


def scheduled_go_live(page):
    """The go-live time the page's latest revision asks for (the page's own as a fallback), or None."""
    revision = page.latest_revision
    if revision is not None and "go_live_at" in revision.content:
        moment = revision.content["go_live_at"]
        moment = parse_datetime(moment) if isinstance(moment, str) else moment
        if moment is not None and timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment
    return page.go_live_at


def page_items(user, now, sites):
    """The user's own site's pages in moderation: a scheduled go-live time is their deadline."""
    states = (
        pages_in_moderation(user)
        .select_related("requested_by", "current_task_state__task")
        .prefetch_related("content_object", "content_object__latest_revision")
    )
    site_names = [(site.root_page.path, site.agency.name) for site in sites]
    items = []
    for state in states:
        page = state.content_object
        if page is None:
            continue
        go_live_at = scheduled_go_live(page)
        text, overdue = time_left(go_live_at, now)
        task = state.current_task_state.task if state.current_task_state else None
        items.append(
            InboxItem(
                kind=PAGE,
                title=page.get_admin_display_title(),
                url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
                site=next((name for root, name in site_names if page.path.startswith(root)), NO_VALUE),
                due_at=go_live_at,
                terms=_("Scheduled go-live time") if go_live_at else NO_VALUE,
                time_left=text,
                is_overdue=overdue,
                task=task.name if task else NO_VALUE,
                submitted_by=get_user_display_name(state.requested_by) if state.requested_by else NO_VALUE,
                submitted_at=shown(state.created_at),
            )
        )
    return items


def inbox_items(user, now, sites):
    return sorted(publication_items(user, now) + page_items(user, now, sites), key=lambda item: item.sort_key)


# What went live this month


def month_span(moment):
    """The Vietnam calendar month holding the moment, as [start, end) in Vietnam time."""
    start = local(moment).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start + timedelta(days=32)).replace(day=1)
    return start, end


@dataclass
class MonthFigures:
    """What went live in one month on one site (or several together), and how promptly."""

    site: str
    live: int = 0
    on_time: int = 0
    late: int = 0
    pages: int = 0

    @property
    def share(self):
        """The on-time share of those with a verdict, rounded down (never a false "100 %"); "—" for none."""
        judged = self.on_time + self.late
        return f"{self.on_time * 100 // judged} %" if judged else NO_VALUE

    def __add__(self, other):
        return MonthFigures(
            self.site,
            self.live + other.live,
            self.on_time + other.on_time,
            self.late + other.late,
            self.pages + other.pages,
        )


def month_figures(sites, now):
    """Per site: publications first live this Vietnam month (backfill left out), on time, late; pages first published.

    Two queries whatever the number of sites.
    """
    start, end = month_span(now)
    figures = {site.pk: MonthFigures(site.agency.name) for site in sites}
    counted = (
        Publication.objects.filter(
            site_id__in=figures, first_published_at__gte=start, first_published_at__lt=end, is_backfill=False
        )
        .order_by()
        .values("site_id")
        .annotate(
            live_count=Count("pk"),
            on_time_count=Count("pk", filter=Q(on_time=True)),
            late_count=Count("pk", filter=Q(on_time=False)),
        )
    )
    for row in counted:
        site_figures = figures[row["site_id"]]
        site_figures.live = row["live_count"]
        site_figures.on_time, site_figures.late = row["on_time_count"], row["late_count"]
    roots = [(site.root_page.path, site.pk) for site in sites]
    if roots:
        inside = Q()
        for root_path, _pk in roots:
            inside |= Q(path__startswith=root_path)
        pages = Page.objects.filter(inside, first_published_at__gte=start, first_published_at__lt=end)
        for page_path in pages.values_list("path", flat=True):
            for root_path, pk in roots:
                if page_path.startswith(root_path):
                    figures[pk].pages += 1
                    break
    return list(figures.values())


def total(figures):
    combined = MonthFigures(str(_("All your sites")))
    for site_figures in figures:
        combined = combined + site_figures
    return combined


def inbox_context(user, now=None):
    """What the screen and the panel show: the items, the month's figures per site and together."""
    now = now or timezone.now()
    sites = list(own_sites(user).select_related("root_page"))
    items = inbox_items(user, now, sites)
    figures = month_figures(sites, now)
    return {
        "items": items,
        "count": len(items),
        "overdue_count": sum(item.is_overdue for item in items),
        "several_sites": len(sites) > 1,
        "figures": figures,
        "figures_total": total(figures),
        "month": local(now).strftime("%m/%Y"),
        "inbox_url": reverse(INDEX_URL_NAME),
        "queue_url": reverse("news57_queue"),
    }


class InboxView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "news57/admin/inbox/index.html"
    page_title = _("My inbox")
    header_icon = "clipboard-list"

    def dispatch(self, request, *args, **kwargs):
        if not can_use_queue(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(**inbox_context(self.request.user), **kwargs)


class InboxPanel(Component):
    """The inbox's first items and this month's figures, on the admin home."""

    name = "news57_inbox"
    template_name = "news57/admin/inbox/panel.html"
    order = 50

    class Media:
        css = {"all": ["news57/admin/inbox.css"]}

    def get_context_data(self, parent_context):
        context = inbox_context(parent_context["request"].user)
        context.update(items=context["items"][:PANEL_ITEMS], more=max(context["count"] - PANEL_ITEMS, 0))
        return context


def add_panel(request, panels):
    """The construct_homepage_panels hook: the inbox first, for those who have one."""
    if can_use_queue(request.user):
        panels.append(InboxPanel())


class InboxMenuItem(MenuItem):
    """Shown to those who have an inbox: editors and leaders of an agency with a site."""

    def is_shown(self, request):
        return can_use_queue(request.user)


def menu_item():
    return InboxMenuItem(
        _("My inbox"), reverse(INDEX_URL_NAME), name="news57-inbox", icon_name="clipboard-list", order=195
    )


urlpatterns = [
    path("inbox/", InboxView.as_view(), name=INDEX_URL_NAME),
]
