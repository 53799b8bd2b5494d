"""Who may see and do what: every admin screen, chooser, policy and listing asks here.

Agencies are kept apart. Editors and leaders see every directive document (so
they can republish it) but change only what their own agency entered; they
manage only their own site's publications and pages. A province's supervisor
reads that province's agencies and publications, and changes nothing.
Wagtail's own views enforce this through the permission policies registered
here, so a hidden button and a typed-in URL give the same answer.
"""

from django.db.models import Q
from wagtail.models import Page, Site
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import page_permission_policy, policy_registry, register_permission_policy

from .models import Agency, AgencyLevel, DirectiveDocument, Publication

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


class DocumentPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, narrowed per document to the agency that entered it.

    Deleting needs no separate Django permission: whoever may change a document
    may delete it, unless another agency's site carries it.
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
            return documents
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


def can_see_page(page, user):
    if user.is_superuser:
        return True
    paths = permitted_paths(user)
    return any(page.path.startswith(p) for p in paths) or page.path in _ancestor_paths(paths)


def visible_media(model, user):
    """The images or documents of the collections the user may choose from."""
    return policy_registry.get_by_type(model).instances_user_has_any_permission_for(user, MEDIA_ACTIONS)
