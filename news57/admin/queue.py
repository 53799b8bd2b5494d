"""The approval queue: what subscriptions queued for the user's own site(s), oldest due first.

Editors and leaders publish several at once or decline one with a reason; each
decision goes through news57.republishing.actions, so it is locked and audit-logged.
A publication of another agency's site is not found here, and a bulk request
naming one is refused whole. GET never changes anything.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..access import can_use_queue, own_site_ids
from ..models import Publication, PublicationStatus
from ..republishing import actions
from ..republishing.queue import queued_publications, time_left
from ..vietnam_time import shown
from .columns import NO_VALUE
from .documents import ReasonForm

INDEX_URL_NAME = "news57_queue"


class QueueRow:
    def __init__(self, publication, now):
        self.publication = publication
        document = publication.document
        self.pk = publication.pk
        self.code = document.code or NO_VALUE
        self.title = document.title
        self.issuer = document.issuer or NO_VALUE
        self.site = publication.site.agency.name
        names = sorted({entry.source.name for entry in document.source_entries.all()})
        self.sources = ", ".join(names) or NO_VALUE
        self.due = shown(publication.due_at) or NO_VALUE
        self.time_left, self.is_overdue = time_left(publication.due_at, now)
        # Beside every due time, how it was counted: the rule's terms as the publication keeps them.
        self.terms = publication.deadline_terms


class QueueMixin(WagtailAdminTemplateMixin):
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        if not can_use_queue(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": reverse(INDEX_URL_NAME), "label": _("Awaiting approval")}]


class QueueIndexView(QueueMixin, TemplateView):
    template_name = "news57/admin/queue/index.html"
    page_title = _("Awaiting approval")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        now = timezone.now()
        rows = [QueueRow(publication, now) for publication in queued_publications(own_site_ids(self.request.user))]
        return super().get_context_data(
            rows=rows,
            several_sites=len(own_site_ids(self.request.user)) > 1,
            publish_url=reverse("news57_queue_publish"),
            **kwargs,
        )


class PublishSelectedView(QueueMixin, View):
    """Publish the ticked rows, each through actions.publish; any id outside the user's sites refuses all."""

    http_method_names = ["post"]

    def post(self, request):
        try:
            ids = {int(value) for value in request.POST.getlist("publication")}
        except ValueError:
            raise Http404 from None
        if not ids:
            messages.warning(request, _("No document was selected."))
            return redirect(INDEX_URL_NAME)
        chosen = list(
            Publication.objects.filter(pk__in=ids, site_id__in=own_site_ids(request.user)).select_related(
                "document", "site__agency"
            )
        )
        if len(chosen) != len(ids):
            raise Http404
        published = skipped = 0
        for publication in chosen:
            # The queue shows queued rows only; one decided meanwhile is refused under its lock and left alone.
            try:
                actions.publish(publication, request.user, seen=PublicationStatus.QUEUED)
            except actions.PublicationRefused:
                skipped += 1
            else:
                published += 1
        if published:
            messages.success(
                request,
                ngettext("%(count)d document is now published.", "%(count)d documents are now published.", published)
                % {"count": published},
            )
        if skipped:
            messages.warning(
                request,
                ngettext(
                    "%(count)d document was no longer awaiting approval and was left as it is.",
                    "%(count)d documents were no longer awaiting approval and were left as they are.",
                    skipped,
                )
                % {"count": skipped},
            )
        return redirect(INDEX_URL_NAME)


class DeclineView(QueueMixin, FormView):
    """Decline one queued publication of the user's own site, for a stated reason."""

    template_name = "news57/admin/documents/publication_action.html"
    form_class = ReasonForm
    page_title = pgettext_lazy("publication action", "Decline")
    header_icon = "cross"

    def dispatch(self, request, pk):
        if not can_use_queue(request.user):
            raise PermissionDenied
        self.publication = get_object_or_404(
            Publication.objects.select_related("document", "site__agency").filter(
                site_id__in=own_site_ids(request.user)
            ),
            pk=pk,
        )
        if self.publication.status != PublicationStatus.QUEUED:
            messages.error(request, _("This document is no longer awaiting approval."))
            return redirect(INDEX_URL_NAME)
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return str(self.publication.document)

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()}
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            publication=self.publication,
            site_name=self.publication.site.agency.name,
            publication_action={"label": self.page_title, "needs_reason": True},
            cancel_url=reverse(INDEX_URL_NAME),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            actions.decline(
                self.publication, self.request.user, form.cleaned_data["reason"], seen=PublicationStatus.QUEUED
            )
        except actions.PublicationRefused as refusal:
            messages.error(self.request, str(refusal))
        else:
            names = {"document": str(self.publication.document), "site": self.publication.site.agency.name}
            messages.success(self.request, _("“%(document)s” was declined for %(site)s.") % names)
        return redirect(INDEX_URL_NAME)


class QueueMenuItem(MenuItem):
    """Shown to editors and leaders of an agency with a site; the label carries the number waiting."""

    def is_shown(self, request):
        return can_use_queue(request.user)

    def render_component(self, request):
        component = super().render_component(request)
        count = Publication.objects.filter(
            status=PublicationStatus.QUEUED, site_id__in=own_site_ids(request.user)
        ).count()
        if count:
            component.label = f"{self.label} ({count})"
        return component


def menu_item():
    return QueueMenuItem(
        _("Awaiting approval"), reverse(INDEX_URL_NAME), name="news57-queue", icon_name="tasks", order=205
    )


urlpatterns = [
    path("queue/", QueueIndexView.as_view(), name=INDEX_URL_NAME),
    path("queue/publish/", PublishSelectedView.as_view(), name="news57_queue_publish"),
    path("queue/<int:pk>/decline/", DeclineView.as_view(), name="news57_queue_decline"),
]
