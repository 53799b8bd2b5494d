"""The provincial supervisors' read-only view of every agency in their province.

Wagtail has no "view page" permission, so supervisors hold no page permissions
at all (they cannot open the editor) and read their province here instead.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from ..access import can_supervise, supervised_agencies, supervised_provinces
from ..models import Agency, SectionPage
from ..vietnam_time import shown

LATEST_PER_AGENCY = 20
PAGES_PER_SCREEN = 50
STATUS_LABELS = {"live": _("live"), "draft": _("draft"), "scheduled": _("scheduled")}


@dataclass
class PageRow:
    title: str
    kind: str
    status: str
    last_published: str
    url: str | None

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


@dataclass
class AgencyRow:
    agency: Agency
    section: SectionPage | None
    page_count: int
    pages: list[PageRow]


def page_status(page) -> str:
    if page.live:
        return "live"
    return "scheduled" if page._approved_schedule else "draft"


def page_row(page) -> PageRow:
    return PageRow(
        title=page.get_admin_display_title(),
        kind=page.specific_class.get_verbose_name() if page.specific_class else "",
        status=page_status(page),
        last_published=shown(page.last_published_at),
        url=page.full_url if page.live else None,
    )


def section_of(agency):
    if agency.site is None:
        return None
    return SectionPage.objects.child_of(agency.site.root_page).first()


def section_pages(section):
    return (
        Page.objects.child_of(section)
        .annotate_approved_schedule()
        .select_related("content_type")
        .order_by("-latest_revision_created_at", "-pk")
    )


def agency_row(agency, limit=LATEST_PER_AGENCY):
    section = section_of(agency)
    if section is None:
        return AgencyRow(agency, None, 0, [])
    pages = section_pages(section)
    return AgencyRow(agency, section, pages.count(), [page_row(page) for page in pages[:limit]])


class SupervisionMixin(WagtailAdminTemplateMixin):
    header_icon = "view"

    def dispatch(self, request, *args, **kwargs):
        if not can_supervise(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SupervisionIndexView(SupervisionMixin, TemplateView):
    template_name = "news57/admin/supervision_index.html"
    page_title = _("Supervision")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["provinces"] = [
            (province, [agency_row(agency) for agency in supervised_agencies_of(province)])
            for province in supervised_provinces(self.request.user)
        ]
        return context


def supervised_agencies_of(province):
    return province.province_agencies().select_related("site__root_page").order_by("-level", "name")


class SupervisionAgencyView(SupervisionMixin, TemplateView):
    """Every page of one agency's section, a screen at a time."""

    template_name = "news57/admin/supervision_agency.html"

    def get(self, request, slug):
        self.agency = supervised_agencies(request.user).filter(slug=slug).first()
        if self.agency is None:
            raise Http404
        return super().get(request, slug=slug)

    def get_page_title(self):
        return self.agency.name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("news57_supervision"), "label": _("Supervision")},
            {"url": "", "label": self.agency.name},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        section = section_of(self.agency)
        screen = Paginator(section_pages(section) if section else Page.objects.none(), PAGES_PER_SCREEN).get_page(
            self.request.GET.get("p")
        )
        context.update(
            agency=self.agency,
            section=section,
            screen=screen,
            pages=[page_row(page) for page in screen.object_list],
        )
        return context


class SupervisionMenuItem(MenuItem):
    def is_shown(self, request):
        return can_supervise(request.user)


def menu_item():
    return SupervisionMenuItem(_("Supervision"), reverse("news57_supervision"), icon_name="view", order=250)


urlpatterns = [
    path("supervision/", SupervisionIndexView.as_view(), name="news57_supervision"),
    path("supervision/<slug:slug>/", SupervisionAgencyView.as_view(), name="news57_supervision_agency"),
]
