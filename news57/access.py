"""Who may see and do what: every admin screen, chooser, policy and listing asks here.

Agencies are kept apart. Editors and leaders see every directive document (so
they can republish it) but change only what their own agency entered; they
manage only their own site's publications and pages. A province's supervisor
reads that province's agencies and publications, and changes nothing. A
province's administrators set up the sources and subscriptions of its agencies.
Wagtail's own views enforce this through the permission policies registered
here, so a hidden button and a typed-in URL give the same answer.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.models import ModelLogEntry, Page, PageLogEntry, Site, Task, Workflow, WorkflowState
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import page_permission_policy, policy_registry, register_permission_policy

from .models import Agency, AgencyLevel, DirectiveDocument, Publication, Source, SourceLevel, Subscription

SUPERVISION_PERMISSION = "news57.view_supervision"
# What a user must hold on an image or document to see it in a listing, chooser or the admin API.
MEDIA_ACTIONS = ["choose", "change"]
# Actions that alter a document; view is open to every holder of the model permission.
CHANGING_ACTIONS = {"change", "delete", "lock", "unlock", "publish"}


def member_agency_ids(user):
    """The agencies the user edits or leads, first by name; kept on the user for the request."""
    if not user.is_authenticated:
        return ()
    if not hasattr(user, "_news57_member_agency_ids"):
        user._news57_member_agency_ids = tuple(
            Agency.objects.of_member(user).order_by("name").values_list("pk", flat=True)
        )
    return user._news57_member_agency_ids


def own_site_ids(user):
    """own_sites() as ids, kept on the user for the request: listings ask once per row."""
    if not hasattr(user, "_news57_own_site_ids"):
        user._news57_own_site_ids = frozenset(own_sites(user).values_list("pk", flat=True))
    return user._news57_own_site_ids


def own_sites(user):
    """The sites whose publications the user manages: their agencies' sites (every agency site for a superuser)."""
    if not (user.is_active and user.has_perm("news57.change_publication")):
        return Site.objects.none()
    sites = Site.objects.filter(agency__isnull=False)
    if not user.is_superuser:
        sites = sites.filter(agency__in=member_agency_ids(user))
    return sites.select_related("agency").order_by("agency__name")


def provisional_viewer_agency_ids(user):
    """Whose provisional documents the user may see: their agencies' and, for a supervisor, their provinces'."""
    if not hasattr(user, "_news57_provisional_viewer_ids"):
        ids = set(member_agency_ids(user))
        if user.has_perm(SUPERVISION_PERMISSION):
            for province in supervised_provinces(user):
                ids.update(province.below_ids())
        user._news57_provisional_viewer_ids = frozenset(ids)
    return user._news57_provisional_viewer_ids


class DocumentPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, narrowed per document to the agency that entered it.

    Deleting needs no separate Django permission: whoever may change a document
    may delete it, unless another agency's site carries it. A provisional
    document is seen only by its entering agency (and that province's
    supervisors): its text is not the issuer's, and no other site carries it.
    """

    def user_has_permission(self, user, action):
        return super().user_has_permission(user, "change" if action == "delete" else action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission({"change" if action == "delete" else action for action in actions})

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self._allows(user, action, instance) for action in actions)

    def _allows(self, user, action, instance):
        if not user.is_active:
            return False
        if user.is_superuser:
            return True
        if not can_see_document(user, instance):
            return False
        if action not in CHANGING_ACTIONS:
            return self.user_has_permission(user, action)
        if not self.user_has_permission(user, "change"):
            return False
        if instance.entered_by_id is None or instance.entered_by_id not in member_agency_ids(user):
            return False
        if action == "delete":
            return not instance.publications.exclude(site__agency__in=member_agency_ids(user)).exists()
        return True

    def instances_user_has_any_permission_for(self, user, actions):
        documents = self.model._default_manager.all()
        if not user.is_active:
            return documents.none()
        if user.is_superuser:
            return documents
        if any(action not in CHANGING_ACTIONS and self.user_has_permission(user, action) for action in actions):
            return visible_documents(user)
        if set(actions) & CHANGING_ACTIONS and self.user_has_permission(user, "change"):
            return documents.filter(entered_by__in=member_agency_ids(user))
        return documents.none()

    def users_with_any_permission_for_instance(self, actions, instance):
        users = self.users_with_any_permission(actions)
        if not set(actions) & CHANGING_ACTIONS:
            return users
        owners = Q(is_superuser=True)
        if instance.entered_by_id:
            agency = instance.entered_by
            owners |= Q(groups__in=[group for group in (agency.editors, agency.leaders) if group])
        return users.filter(owners).distinct()


document_permission_policy = DocumentPermissionPolicy(DirectiveDocument)
# Before any view asks: Wagtail otherwise registers a plain model policy on first use.
register_permission_policy(DirectiveDocument, document_permission_policy)


def can_see_document(user, document):
    """Whether the user may learn the document exists: any document but another agency's provisional one."""
    if user.is_superuser or not document.is_provisional:
        return True
    return document.entered_by_id in provisional_viewer_agency_ids(user)


def visible_documents(user):
    """The documents the user may see in a listing, chooser or search (what can_see_document allows)."""
    documents = DirectiveDocument.objects.all()
    if user.is_superuser:
        return documents
    return documents.filter(Q(is_provisional=False) | Q(entered_by__in=provisional_viewer_agency_ids(user)))


def can_republish(user):
    return user.has_perm("news57.view_directivedocument") and bool(own_site_ids(user))


def supervised_provinces(user):
    """The provinces whose supervisor group the user belongs to (every province for a superuser)."""
    provinces = Agency.objects.filter(level=AgencyLevel.PROVINCE)
    if not user.is_superuser:
        provinces = provinces.filter(supervisors__user=user)
    return provinces.distinct().order_by("name")


def supervised_agencies(user):
    ids = set()
    for province in supervised_provinces(user):
        ids.update(province.province_agencies().values_list("pk", flat=True))
    return Agency.objects.filter(pk__in=ids).select_related("site__root_page", "parent").order_by("name")


def can_supervise(user):
    return user.has_perm(SUPERVISION_PERMISSION)


def can_use_queue(user):
    """Editors and leaders of an agency with a site have an approval queue."""
    return user.is_authenticated and bool(own_site_ids(user))


def can_recompute_deadlines(user):
    """Rewriting stored due times is the superusers' alone, and only by asking for a period explicitly."""
    return user.is_active and user.is_superuser


def compliance_sites(user):
    """The agency sites whose promptness figures the user may read: their own agencies' for an editor or leader,
    every agency's of the provinces they supervise, and every one for a superuser."""
    if not (user.is_authenticated and user.is_active):
        return Site.objects.none()
    sites = Site.objects.filter(agency__isnull=False)
    if user.is_superuser:
        return sites
    # Kept on the user for the request: the compliance screens ask several times, and the walk down a province's
    # tree takes a query per level.
    if not hasattr(user, "_news57_compliance_agency_ids"):
        agencies = set(member_agency_ids(user))
        if can_supervise(user):
            agencies.update(supervised_agencies(user).values_list("pk", flat=True))
        user._news57_compliance_agency_ids = frozenset(agencies)
    return sites.filter(agency__in=user._news57_compliance_agency_ids)


def compliance_provinces(user):
    """The provinces whose figures the user reads as a whole (supervised ones; all for a superuser)."""
    if not (user.is_authenticated and user.is_active and (user.is_superuser or can_supervise(user))):
        return Agency.objects.none()
    return supervised_provinces(user)


def can_read_compliance(user):
    return compliance_sites(user).exists()


def can_manage_workflows(user):
    """Workflows and their tasks are the superusers' (each agency's is made with it); no one else may list them."""
    return policy_registry.get_by_type(Task).user_has_any_permission(user, ["add", "change"])


def administered_agency_ids(user):
    """Every agency of the provinces whose administrator group the user is in; kept on the user for the request."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_news57_administered_agency_ids"):
        ids = set()
        for province in Agency.objects.filter(level=AgencyLevel.PROVINCE, administrators__user=user).distinct():
            ids.update(province.province_agencies().values_list("pk", flat=True))
        user._news57_administered_agency_ids = frozenset(ids)
    return user._news57_administered_agency_ids


class ProvinceScopedPolicy(ModelPermissionPolicy):
    """Model permissions, narrowed per row to the agencies of the provinces the user administers.

    `agency_field` names the row's agency: a source's default issuer, a subscription's agency.
    """

    def __init__(self, model, agency_field):
        super().__init__(model)
        self.agency_field = agency_field

    def instances_user_has_any_permission_for(self, user, actions):
        rows = self.model._default_manager.all()
        if not (user.is_active and self.user_has_any_permission(user, actions)):
            return rows.none()
        if user.is_superuser:
            return rows
        return rows.filter(**{f"{self.agency_field}__in": administered_agency_ids(user)})

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not (user.is_active and self.user_has_any_permission(user, actions)):
            return False
        return user.is_superuser or getattr(instance, f"{self.agency_field}_id") in administered_agency_ids(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def users_with_any_permission_for_instance(self, actions, instance):
        users = self.users_with_any_permission(actions)
        province = getattr(instance, self.agency_field).province
        owners = Q(is_superuser=True)
        if province is not None and province.administrators_id:
            owners |= Q(groups=province.administrators_id)
        return users.filter(owners).distinct()


source_permission_policy = ProvinceScopedPolicy(Source, "default_issuer")
subscription_permission_policy = ProvinceScopedPolicy(Subscription, "agency")
register_permission_policy(Source, source_permission_policy)
register_permission_policy(Subscription, subscription_permission_policy)


def manageable_sources(user):
    return source_permission_policy.instances_user_has_any_permission_for(user, ["change", "view"])


def manageable_subscriptions(user):
    return subscription_permission_policy.instances_user_has_any_permission_for(user, ["change", "view"])


def administered_agencies(user):
    """The agencies whose sources and subscriptions the user may set up."""
    agencies = Agency.objects.all()
    if not user.is_superuser:
        agencies = agencies.filter(pk__in=administered_agency_ids(user))
    return agencies.order_by("name")


def subscribable_sources(user):
    """What a subscription may name: the user's own province's sources, and every central one (read-only to them)."""
    if user.is_superuser:
        return Source.objects.all()
    if not administered_agency_ids(user):
        return Source.objects.none()
    return Source.objects.filter(Q(default_issuer__in=administered_agency_ids(user)) | Q(level=SourceLevel.CENTRAL))


class PublicationPermissionPolicy(ModelPermissionPolicy):
    """Publications change only through their actions (each one audit-logged), never through a form."""

    def user_has_permission(self, user, action):
        if action in {"add", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "view":
            return visible_publications(user).filter(pk=instance.pk).exists()
        if action == "change":
            return instance.site_id in own_site_ids(user)
        return False

    def instances_user_has_any_permission_for(self, user, actions):
        allowed = Publication.objects.none()
        if "view" in actions:
            allowed |= visible_publications(user)
        if "change" in actions:
            allowed |= manageable_publications(user)
        return allowed


publication_permission_policy = PublicationPermissionPolicy(Publication)
register_permission_policy(Publication, publication_permission_policy)


def visible_publications(user):
    """Own sites' publications for editors and leaders; the province's, read-only, for its supervisor."""
    rows = Publication.objects.select_related("document", "site__agency", "published_by")
    if not (user.is_active and user.has_perm("news57.view_publication")):
        return rows.none()
    if user.is_superuser:
        return rows
    agencies = set(member_agency_ids(user)) | set(supervised_agencies(user).values_list("pk", flat=True))
    return rows.filter(site__agency__in=agencies)


def manageable_publications(user):
    return Publication.objects.select_related("document", "site__agency").filter(site__in=own_sites(user))


def permitted_paths(user):
    """Tree paths of the pages (usually site home pages) where the user holds any page permission."""
    return {permission.page.path for permission in page_permission_policy.get_cached_permissions_for_user(user)}


def _ancestor_paths(paths):
    return {p[:end] for p in paths for end in range(Page.steplen, len(p), Page.steplen)}


def visible_pages(pages, user):
    """Narrow a page queryset to the user's own sites, plus the ancestors needed to browse down to them."""
    if user.is_superuser:
        return pages
    paths = permitted_paths(user)
    if not paths:
        return pages.none()
    inside = Q()
    for tree_path in paths:
        inside |= Q(path__startswith=tree_path)
    return pages.filter(inside | Q(path__in=_ancestor_paths(paths)))


def visible_sites(user):
    """The sites whose pages the user may see: their own sites' (every site for a superuser)."""
    if user is None or not user.is_authenticated:
        return Site.objects.none()
    if user.is_superuser:
        return Site.objects.all()
    inside = Q(pk__in=[])
    for tree_path in permitted_paths(user):
        inside |= Q(root_page__path__startswith=tree_path)
    return Site.objects.filter(inside)


def can_see_page(page, user):
    if user.is_superuser:
        return True
    paths = permitted_paths(user)
    return any(page.path.startswith(p) for p in paths) or page.path in _ancestor_paths(paths)


def pages_in_moderation(user):
    """The workflow states in progress of the pages under the user's permitted paths (every page's for a superuser).

    Ancestors are left out, unlike visible_pages(): only the user's own site's pages wait on them.
    """
    states = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS, base_content_type=ContentType.objects.get_for_model(Page)
    )
    if not user.is_active:
        return states.none()
    if user.is_superuser:
        return states
    paths = permitted_paths(user)
    if not paths:
        return states.none()
    # A workflow state keeps its object's key as text.
    keys = Page.objects.filter(_within(paths)).values_list(Cast("pk", output_field=CharField()), flat=True)
    return states.filter(object_id__in=keys)


def visible_media(model, user):
    """The images or documents of the collections the user may choose from."""
    return policy_registry.get_by_type(model).instances_user_has_any_permission_for(user, MEDIA_ACTIONS)


# Bulk actions

# What a user must hold on a row to see it in its model's admin listing: what Wagtail's index views ask.
LISTING_ACTIONS = ["add", "change", "delete", "view"]


def visible_instances(model, user):
    """The rows of a model with no rule of its own above (users, snippets) that its permission policy shows the user."""
    return policy_registry.get_by_type(model).instances_user_has_any_permission_for(user, LISTING_ACTIONS)


# Reports and logs


def supervised_site_paths(user):
    """Tree paths of the home pages of the agency sites the user supervises; kept on the user for the request."""
    if not hasattr(user, "_news57_supervised_site_paths"):
        user._news57_supervised_site_paths = frozenset(
            agency.site.root_page.path for agency in supervised_agencies(user) if agency.site_id
        )
    return user._news57_supervised_site_paths


def _within(paths):
    inside = Q()
    for tree_path in paths:
        inside |= Q(path__startswith=tree_path)
    return inside


def supervised_pages(pages, user):
    """Narrow a page queryset to the sites of the agencies the user supervises: what a supervisor may read."""
    paths = supervised_site_paths(user)
    return pages.filter(_within(paths)) if paths else pages.none()


def report_pages(pages, user):
    """The pages a report shows the user: their own sites' and, read-only, their supervised province's.

    Own sites' pages are visible_pages() without the ancestors it adds for browsing: a report browses nothing.
    """
    if user.is_superuser:
        return pages
    paths = permitted_paths(user) | supervised_site_paths(user)
    return pages.filter(_within(paths)) if paths else pages.none()


def can_read_reports(user):
    """Editors, leaders and supervisors open the admin's reports, each report scoped by report_pages and the logs."""
    return user.is_active and (user.is_superuser or bool(permitted_paths(user)) or can_supervise(user))


def report_sites(user):
    return Site.objects.filter(root_page__in=report_pages(Page.objects.all(), user).values("pk")).order_by("site_name")


def report_workflows(user):
    """The workflows assigned to the pages a report shows the user."""
    if user.is_superuser:
        return Workflow.objects.all()
    pages = report_pages(Page.objects.all(), user)
    return Workflow.objects.filter(workflow_pages__page__in=pages.values("pk")).distinct()


def report_tasks(user):
    return Task.objects.filter(workflow_tasks__workflow__in=report_workflows(user)).distinct()


def report_users(user):
    """The people a report may name: the user's agencies' editors and leaders and, for a supervisor,
    the province's agencies' editors, leaders and supervisors."""
    users = get_user_model().objects.all()
    if user.is_superuser:
        return users
    groups = set()
    for agency in Agency.objects.filter(pk__in=member_agency_ids(user)):
        groups.update((agency.editors_id, agency.leaders_id))
    for agency in supervised_agencies(user):
        groups.update((agency.editors_id, agency.leaders_id, agency.supervisors_id))
    groups.discard(None)
    return users.filter(groups__in=groups).distinct()


def visible_log_entries(log_model, user):
    """The entries of one log model a report shows the user.

    Pages' by report_pages, publications' by visible_publications (through their log's manager),
    every other model's by what its permission policy lets the user see (directive documents: all).
    """
    entries = log_model.objects.all()
    if user.is_superuser:
        return entries
    if issubclass(log_model, PageLogEntry):
        return entries.filter(page__in=report_pages(Page.objects.all(), user).values("pk"))
    if issubclass(log_model, ModelLogEntry):
        return entries.filter(_visible_objects(entries, user))
    return log_model.objects.viewable_by_user(user)


def _visible_objects(entries, user):
    """Entries whose object the user may see, one content type at a time; entries of a vanished model are not."""
    allowed = Q(pk__in=[])
    for content_type_id in entries.order_by().values_list("content_type_id", flat=True).distinct():
        model = ContentType.objects.get_for_id(content_type_id).model_class() if content_type_id else None
        if model is not None:
            # Log entries keep the object's key as text.
            keys = visible_instances(model, user).values_list(Cast("pk", output_field=CharField()), flat=True)
            allowed |= Q(content_type_id=content_type_id, object_id__in=keys)
    return allowed


# Report deadlines: a province's administrators keep its agencies' dates; the agencies and supervisors only read
# what is due next (news57.promptness.report_calendar), never the rows themselves.

from .models import ReportDeadline  # noqa: E402

report_deadline_permission_policy = ProvinceScopedPolicy(ReportDeadline, "agency")
register_permission_policy(ReportDeadline, report_deadline_permission_policy)


def report_deadline_agency_ids(user):
    """Whose next reports the user's admin home shows: their own agencies' and, for a supervisor, their provinces'."""
    if not user.is_active:
        return frozenset()
    ids = set(member_agency_ids(user))
    if can_supervise(user):
        ids.update(supervised_agencies(user).values_list("pk", flat=True))
    return frozenset(ids)
