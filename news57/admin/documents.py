"""The admin of directive documents and of their publications; news57.access says who may touch which."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Q, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import history
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import IndexView as ModelIndexView
from wagtail.admin.views.generic.models import InspectView as ModelInspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.models import Site
from wagtail.snippets.views import chooser, snippets

from ..access import (
    can_republish,
    can_see_document,
    document_permission_policy,
    manageable_publications,
    member_agency_ids,
    own_sites,
    publication_permission_policy,
    visible_documents,
    visible_publications,
)
from ..document_codes import DocumentCode
from ..models import DirectiveDocument, Publication, PublicationStatus
from ..ranking import Query, code_strength
from ..republishing import actions
from ..vietnam_time import shown
from .columns import VietnamTimeColumn
from .exports import VietnamSpreadsheetMixin


class DocumentFilterSet(WagtailFilterSet):
    year = django_filters.ChoiceFilter(label=_("year"), choices=lambda: document_years())

    class Meta:
        model = DirectiveDocument
        fields = ["doc_type", "issuer", "year", "legal_status"]


def document_years():
    years = DirectiveDocument.objects.exclude(year=None).order_by("-year").values_list("year", flat=True).distinct()
    return [(year, str(year)) for year in years]


def named_documents(queryset, text):
    """The ids of the documents whose code the text names, typed any way, with the year if one is given."""
    query = Query.parse(text)
    parsed = DocumentCode.parse(text)
    lookup = Q(number__in=query.numbers) | (Q(code_key=parsed.key) if parsed else Q(pk__in=[]))
    candidates = queryset.filter(lookup).values_list("pk", "code_key", "year")
    return [pk for pk, code_key, year in candidates if code_strength(query, code_key, year) >= 2]


class RepublishLinkMixin:
    """Offers "Republish" on a document to whoever has a site of their own to put it on."""

    republish_url_name = None

    @cached_property
    def user_can_republish(self):
        return can_republish(self.request.user)

    def republish_button(self, document):
        if self.user_can_republish:
            url = reverse(self.republish_url_name, args=[quote(document.pk)])
            return Button(_("Republish"), url=url, icon_name="upload", priority=5)
        return None


class DocumentIndexView(VietnamSpreadsheetMixin, RepublishLinkMixin, snippets.IndexView):
    def search_queryset(self, queryset):
        """Diacritic-blind on code, title, summary and signer, and by code however typed ("211 kh ubnd", "211-KH-UBND").

        The documents whose code was typed come first unless the editor sorted the list by a column.
        """
        if not self.is_searching:
            return queryset
        named = named_documents(queryset, self.search_query)
        # Every word typed, folded, anywhere in the folded text: a word being typed matches as a prefix.
        words = Q()
        for word in Query.parse(self.search_query).folded:
            words &= Q(search_text__icontains=word)
        query = (words if words else Q(pk__in=[])) | Q(code__icontains=self.search_query) | Q(pk__in=named)
        found = queryset.filter(query)
        if self.is_explicitly_ordered:
            return found
        ordering = found.query.order_by or DirectiveDocument._meta.ordering
        return found.annotate(named_first=Case(When(pk__in=named, then=0), default=1)).order_by("named_first", *ordering)

    def get_edit_url(self, instance):
        if document_permission_policy.user_has_permission_for_instance(self.request.user, "change", instance):
            return super().get_edit_url(instance)

    def get_delete_url(self, instance):
        if document_permission_policy.user_has_permission_for_instance(self.request.user, "delete", instance):
            return super().get_delete_url(instance)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if button := self.republish_button(instance):
            buttons.append(button)
        return buttons


class InstancePermissionMixin:
    """Refuse a view of one document to a user who may not take its action on that document."""

    instance_action = "change"

    def get_object(self, queryset=None):
        document = super().get_object(queryset)
        if not document_permission_policy.user_has_permission_for_instance(
            self.request.user, self.instance_action, document
        ):
            raise PermissionDenied
        return document


PROVISIONAL_NOTICE = _(
    "%(agency)s is not authoritative for documents of %(issuer)s, so this document is provisional: it shows on your "
    "site only, is not carried to other sites, and its text is replaced by the issuer's when an authoritative "
    "source brings it."
)


class ProvisionalNoticeMixin:
    def save_instance(self):
        instance = super().save_instance()
        if instance.is_provisional:
            names = {"agency": instance.entered_by, "issuer": instance.issuer}
            messages.warning(self.request, PROVISIONAL_NOTICE % names)
        return instance


class DocumentCreateView(ProvisionalNoticeMixin, snippets.CreateView):
    def save_instance(self):
        # entered_by is not a form field: it records who entered the document, it is not a choice.
        if not self.form.instance.entered_by_id and member_agency_ids(self.request.user):
            self.form.instance.entered_by_id = member_agency_ids(self.request.user)[0]
        return super().save_instance()


class DocumentEditView(ProvisionalNoticeMixin, RepublishLinkMixin, InstancePermissionMixin, snippets.EditView):
    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if button := self.republish_button(self.object):
            buttons.append(button)
        return buttons


class DocumentDeleteView(InstancePermissionMixin, snippets.DeleteView):
    instance_action = "delete"


class DocumentInspectView(RepublishLinkMixin, snippets.InspectView):
    def get_entered_by_display_value(self):
        return self.object.entered_by or _("A feed")

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return "-" if value is None else value

    def get_edit_url(self):
        if document_permission_policy.user_has_permission_for_instance(self.request.user, "change", self.object):
            return super().get_edit_url()

    def get_delete_url(self):
        if document_permission_policy.user_has_permission_for_instance(self.request.user, "delete", self.object):
            return super().get_delete_url()

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if button := self.republish_button(self.object):
            buttons.append(button)
        return buttons


OUT_OF_DATE = _("The form was out of date, so nothing was done. Open it again to see the document as it is now.")
SEEN_CHOICES = [(actions.NOT_CARRIED, actions.NOT_CARRIED), *PublicationStatus.choices]


def seen_field(initial=None):
    """A hidden field carrying the status the person was shown, for the action to compare under its lock."""
    return forms.ChoiceField(choices=SEEN_CHOICES, widget=forms.HiddenInput, required=False, initial=initial)


class RepublishForm(forms.Form):
    site = forms.ModelChoiceField(
        label=_("Publish on"), queryset=Site.objects.none(), widget=forms.RadioSelect, empty_label=None
    )

    def __init__(self, *args, sites, shown, **kwargs):
        """`shown`: {site pk: status shown on the page}; a site without a publication is NOT_CARRIED."""
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["site"].label_from_instance = lambda site: site.agency.name
        if sites.count() == 1:
            self.fields["site"].initial = sites.first()
        for site in sites:
            self.fields[f"seen_{site.pk}"] = seen_field(shown.get(site.pk, actions.NOT_CARRIED))

    def seen(self, site):
        """What the page showed for the chosen site; None when the post did not say (a form from before)."""
        return self.cleaned_data.get(f"seen_{site.pk}") or None


class RepublishView(WagtailAdminTemplateMixin, FormView):
    """"Đăng lại": put another agency's document live on the user's own site; a second click changes nothing."""

    template_name = "news57/admin/documents/republish.html"
    form_class = RepublishForm
    page_title = _("Republish")
    header_icon = "upload"
    index_url_name = None

    def dispatch(self, request, pk):
        if not request.user.has_perm("news57.view_directivedocument"):
            raise PermissionDenied
        self.sites = own_sites(request.user)
        if not self.sites.exists():
            raise PermissionDenied
        self.document = get_object_or_404(DirectiveDocument, pk=pk)
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return str(self.document)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": _("Directive documents")},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    @cached_property
    def carried(self):
        return list(
            Publication.objects.filter(document=self.document, site__in=self.sites).select_related("site__agency")
        )

    def get_form_kwargs(self):
        shown = {publication.site_id: publication.status for publication in self.carried}
        return {**super().get_form_kwargs(), "sites": self.sites, "shown": shown}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            document=self.document,
            carried=[(publication.site.agency.name, publication) for publication in self.carried],
            **kwargs,
        )

    def form_valid(self, form):
        site = form.cleaned_data["site"]
        at = timezone.now()
        try:
            publication = actions.republish(self.document, site, self.request.user, seen=form.seen(site), at=at)
        except actions.PublicationRefused as refusal:
            messages.error(self.request, str(refusal))
            # Back to the form, which now shows the publication as it is.
            return redirect(self.request.path)
        names = {"document": str(self.document), "site": site.agency.name}
        if publication.published_at != at:
            messages.info(self.request, _("“%(document)s” was already published on %(site)s.") % names)
        else:
            messages.success(self.request, _("“%(document)s” is now published on %(site)s.") % names)
        return redirect(self.index_url_name)


class VisibleDocumentsMixin:
    def get_object_list(self):
        return visible_documents(self.request.user)


class DocumentChooseView(VisibleDocumentsMixin, chooser.ChooseView):
    pass


class DocumentChooseResultsView(VisibleDocumentsMixin, chooser.ChooseResultsView):
    pass


class DocumentChosenView(chooser.SnippetChosenView):
    def get_object(self, pk):
        return visible_documents(self.request.user).get(pk=pk)


class DocumentChosenMultipleView(chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return visible_documents(self.request.user).filter(pk__in=pks)


class DocumentChooserViewSet(chooser.SnippetChooserViewSet):
    """The chooser offers, and answers for, only the documents the user may see."""

    choose_view_class = DocumentChooseView
    choose_results_view_class = DocumentChooseResultsView
    chosen_view_class = DocumentChosenView
    chosen_multiple_view_class = DocumentChosenMultipleView


class DocumentViewSet(snippets.SnippetViewSet):
    model = DirectiveDocument
    chooser_viewset_class = DocumentChooserViewSet
    icon = "doc-full"
    menu_label = _("Directive documents")
    menu_order = 200
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = ["title", "code", "issuer", "issued_on", "legal_status"]
    list_export = ["code", "title", "issuer", "issued_on", "get_legal_status_display", "source_url"]
    export_headings = {"get_legal_status_display": _("legal status")}
    export_filename = "van-ban-chi-dao"
    list_per_page = 50
    filterset_class = DocumentFilterSet
    # Searched with the folded text in DocumentIndexView; listing a field here turns the search box on.
    search_fields = ["search_text"]
    search_backend_name = None
    index_view_class = DocumentIndexView
    add_view_class = DocumentCreateView
    edit_view_class = DocumentEditView
    delete_view_class = DocumentDeleteView
    inspect_view_class = DocumentInspectView
    inspect_view_fields = [
        "code",
        "doc_type",
        "issuer",
        "entered_by",
        "is_provisional",
        "text_source",
        "text_changed_at",
        "title",
        "summary",
        "issued_on",
        "effective_on",
        "signer",
        "legal_status",
        "source_url",
        "created_at",
    ]

    def get_queryset(self, request):
        return visible_documents(request.user).select_related("issuer", "entered_by")

    def get_edit_handler(self):
        return ObjectList(self.model.panels, base_form_class=DocumentForm).bind_to_model(self.model)

    def _with_republish(self, kwargs):
        return {"republish_url_name": self.get_url_name("republish"), **kwargs}

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(**self._with_republish(kwargs))

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(**self._with_republish(kwargs))

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(**self._with_republish(kwargs))

    def get_urlpatterns(self):
        republish = RepublishView.as_view(index_url_name=self.get_url_name("list"))
        patterns = super().get_urlpatterns() + [path("republish/<int:pk>/", republish, name="republish")]
        for pattern in patterns:
            pattern.callback = only_visible_documents(pattern.callback)
        return patterns


def only_visible_documents(view):
    """Every view of one document answers 404 for a document the user may not see (another agency's provisional one)."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None:
            document = DirectiveDocument.objects.filter(pk=unquote(str(pk))).only("is_provisional", "entered_by").first()
            if document is not None and not can_see_document(request.user, document):
                raise Http404
        return view(request, *args, **kwargs)

    return checked


class DocumentForm(WagtailAdminModelForm):
    """The document form: documents it may point at are those the user may see; a provisional one is said so."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        for name in ("amended_by", "replaced_by"):
            if user is not None and name in self.fields:
                self.fields[name].queryset = visible_documents(user).exclude(pk=self.instance.pk)


@dataclass(frozen=True)
class PublicationAction:
    name: str
    label: str
    icon: str
    applies_to: str
    needs_reason: bool
    perform: Callable
    done: str


PUBLICATION_ACTIONS = {
    action.name: action
    for action in [
        PublicationAction(
            "publish",
            pgettext_lazy("publication action", "Publish"),
            "upload",
            PublicationStatus.QUEUED,
            False,
            lambda publication, user, reason, seen: actions.publish(publication, user, seen=seen),
            _("“%(document)s” is now published on %(site)s."),
        ),
        PublicationAction(
            "decline",
            pgettext_lazy("publication action", "Decline"),
            "cross",
            PublicationStatus.QUEUED,
            True,
            lambda publication, user, reason, seen: actions.decline(publication, user, reason, seen=seen),
            _("“%(document)s” was declined for %(site)s."),
        ),
        PublicationAction(
            "withdraw",
            pgettext_lazy("publication action", "Withdraw"),
            "warning",
            PublicationStatus.PUBLISHED,
            True,
            lambda publication, user, reason, seen: actions.withdraw(publication, user, reason, seen=seen),
            _("“%(document)s” was withdrawn from %(site)s."),
        ),
    ]
}
NOT_APPLICABLE = {
    "publish": actions.NOT_PUBLISHABLE,
    "decline": actions.NOT_DECLINABLE,
    "withdraw": actions.NOT_WITHDRAWABLE,
}


class SeenForm(forms.Form):
    """The form of an action on one publication: it carries the status the page showed."""

    seen = seen_field()


class SeenStatusMixin:
    """Shows an action's form with the status it was opened on, and turns a refusal into an error message.

    GET offers the form only while the action applies; POST leaves the check to the
    action, which compares what the page showed with the locked row.
    """

    refused_url_name = None

    def dispatch_when_applicable(self, request, applies, message):
        if request.method in ("GET", "HEAD") and not applies:
            messages.error(request, message)
            return redirect(self.refused_url_name)
        return None

    def get_initial(self):
        return {**super().get_initial(), "seen": self.publication.status}

    def form_invalid(self, form):
        if "seen" in form.errors:
            messages.error(self.request, OUT_OF_DATE)
            return redirect(self.refused_url_name)
        return super().form_invalid(form)

    def perform(self, do, done):
        """Run `do()`; on success show `done`, on refusal its message, and go back to the list."""
        try:
            do()
        except actions.PublicationRefused as refusal:
            messages.error(self.request, str(refusal))
        else:
            names = {"document": str(self.publication.document), "site": self.publication.site.agency.name}
            messages.success(self.request, done % names)
        return redirect(self.refused_url_name)


class ReasonForm(SeenForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Recorded with the decision and shown in the history."),
    )


class PublicationActionView(SeenStatusMixin, WagtailAdminTemplateMixin, FormView):
    """Publish, decline or withdraw one publication of the user's own site; anything else is not found."""

    template_name = "news57/admin/documents/publication_action.html"
    action = None
    index_url_name = None
    header_icon = "upload"

    def dispatch(self, request, pk, action):
        if action not in PUBLICATION_ACTIONS:
            raise Http404
        self.action = PUBLICATION_ACTIONS[action]
        self.publication = get_object_or_404(manageable_publications(request.user), pk=pk)
        self.refused_url_name = self.index_url_name
        refused = self.dispatch_when_applicable(
            request, self.publication.status == self.action.applies_to, NOT_APPLICABLE[self.action.name]
        )
        return refused or super().dispatch(request, pk, action)

    def get_page_title(self):
        return self.action.label

    def get_page_subtitle(self):
        return str(self.publication.document)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": _("Publications")},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_form_class(self):
        return ReasonForm if self.action.needs_reason else SeenForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            publication=self.publication,
            publication_action=self.action,
            site_name=self.publication.site.agency.name,
            **kwargs,
        )

    def form_valid(self, form):
        reason = form.cleaned_data.get("reason", "")
        seen = form.cleaned_data["seen"] or None
        return self.perform(
            lambda: self.action.perform(self.publication, self.request.user, reason, seen), self.action.done
        )


class PublicationActionLinksMixin:
    action_url_name = None

    def action_buttons(self, publication, button_class):
        if not publication_permission_policy.user_has_permission_for_instance(self.request.user, "change", publication):
            return []
        return [
            button_class(
                action.label,
                url=reverse(self.action_url_name, args=[quote(publication.pk), action.name]),
                icon_name=action.icon,
                priority=10,
            )
            for action in PUBLICATION_ACTIONS.values()
            if publication.status == action.applies_to
        ]


class PublicationIndexView(VietnamSpreadsheetMixin, PublicationActionLinksMixin, ModelIndexView):
    any_permission_required = ["view"]
    history_url_name = None

    def get_base_queryset(self):
        return visible_publications(self.request.user).order_by(*Publication._meta.ordering)

    def get_inspect_url(self, instance):
        return reverse(self.inspect_url_name, args=[quote(instance.pk)])

    def get_list_more_buttons(self, instance):
        buttons = self.action_buttons(instance, Button)
        buttons.append(
            Button(
                pgettext_lazy("publication", "History"),
                url=reverse(self.history_url_name, args=[quote(instance.pk)]),
                icon_name="history",
                priority=50,
            )
        )
        return buttons


class ScopedObjectMixin:
    """A publication outside the user's view answers 404, as if it did not exist."""

    def get_object(self, queryset=None):
        return get_object_or_404(visible_publications(self.request.user), pk=self.kwargs["pk"])


class PublicationInspectView(PublicationActionLinksMixin, ScopedObjectMixin, ModelInspectView):
    any_permission_required = ["view"]

    def get_edit_url(self):
        return None

    def get_delete_url(self):
        return None

    def get_field_label(self, field_name, field):
        if field_name == "deadline_terms":
            return _("Counted")
        return super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field):
        if field_name in {"source_time", "first_seen_at", "obligated_at", "due_at", "published_at", "decided_at", "created_at"}:
            return shown(getattr(self.object, field_name)) or "-"
        if field_name == "site":
            return self.object.site.agency.name
        if field_name == "deadline_terms":
            return self.object.deadline_terms or "-"
        if field_name == "published_by":
            return publisher(self.object) or "-"
        return super().get_field_display_value(field_name, field)

    @cached_property
    def header_more_buttons(self):
        return list(super().header_more_buttons) + self.action_buttons(self.object, Button)


class PublicationHistoryView(ScopedObjectMixin, history.HistoryView):
    any_permission_required = ["view"]


def document_code(publication):
    return publication.document.code or "—"


def document_title(publication):
    return publication.document.title


def site_name(publication):
    return publication.site.agency.name


def publisher(publication):
    if publication.published_by:
        return publication.published_by.get_full_name() or publication.published_by.get_username()
    return publication.get_published_via_display()


class PublicationViewSet(ModelViewSet):
    model = Publication
    name = "news57_publications"
    url_prefix = "publications"
    icon = "upload"
    menu_label = _("Publications")
    menu_order = 210
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    list_filter = ["status"]
    list_per_page = 50
    list_export = [
        "document.code", "document.title", "site.agency.name", "get_status_display", "obligated_at", "due_at",
        "deadline_rule", "deadline_terms", "first_published_at", "get_on_time_display", "published_at", "published_by",
    ]
    export_headings = {
        "document.code": _("code"),
        "document.title": _("title"),
        "site.agency.name": _("site"),
        "get_status_display": _("status"),
        "deadline_terms": _("counted"),
        "get_on_time_display": _("went live in time"),
        "published_by": _("published by"),
    }
    export_filename = "dang-tai-van-ban"
    search_fields = ["document__code", "document__title", "document__search_text"]
    search_backend_name = None
    index_view_class = PublicationIndexView
    inspect_view_class = PublicationInspectView
    history_view_class = PublicationHistoryView
    inspect_view_fields = [
        "document",
        "site",
        "status",
        "subscription",
        "is_backfill",
        "source_time",
        "first_seen_at",
        "obligated_at",
        "due_at",
        "deadline_rule",
        "deadline_terms",
        "on_time",
        "published_at",
        "published_by",
        "published_via",
        "decided_at",
        "reason",
    ]
    @cached_property
    def list_display(self):
        return [
            TitleColumn("code", label=_("code"), accessor=document_code, get_url=self._inspect_url),
            Column("title", label=_("title"), accessor=document_title),
            Column("site", label=_("site"), accessor=site_name),
            Column("status", label=_("status"), accessor="get_status_display", sort_key="status"),
            VietnamTimeColumn("obligated_at", label=_("obligation began"), sort_key="obligated_at"),
            VietnamTimeColumn("due_at", label=_("due"), sort_key="due_at"),
            Column("deadline_terms", label=_("counted"), accessor="deadline_terms"),
            VietnamTimeColumn("published_at", label=_("went live"), sort_key="published_at"),
            Column("on_time", label=_("went live in time"), accessor="get_on_time_display", sort_key="on_time"),
            Column("published_by", label=_("published by"), accessor=publisher),
        ]

    def _inspect_url(self, publication):
        return reverse(self.get_url_name("inspect"), args=[quote(publication.pk)])

    def get_common_view_kwargs(self, **kwargs):
        # No add, edit, delete or usage views: a publication changes only through its actions.
        return super().get_common_view_kwargs(
            add_url_name=None, edit_url_name=None, delete_url_name=None, usage_url_name=None, **kwargs
        )

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            history_url_name=self.get_url_name("history"), action_url_name=self.get_url_name("action"), **kwargs
        )

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(action_url_name=self.get_url_name("action"), **kwargs)

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path("history-results/<int:pk>/", self.history_results_view, name="history_results"),
            path(
                "<int:pk>/<str:action>/",
                PublicationActionView.as_view(index_url_name=self.get_url_name("index")),
                name="action",
            ),
        ]
