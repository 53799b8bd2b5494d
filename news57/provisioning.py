"""Everything a new agency needs, made in one step (and again without duplicates)."""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .models import Agency, AgencyLevel, HomePage, SectionPage
from .text import slugify

SECTION_SLUG = "nghi-quyet-57"
SECTION_TITLE = "Chuyên mục Nghị quyết 57"

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page"]
LEADER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
EDITOR_MEDIA_PERMISSIONS = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]
LEADER_MEDIA_PERMISSIONS = EDITOR_MEDIA_PERMISSIONS + ["wagtailimages.delete_image", "wagtaildocs.delete_document"]
# Model-wide rights; news57.access narrows them to the agency's own documents and site.
DOCUMENT_PERMISSIONS = [
    "news57.add_directivedocument",
    "news57.change_directivedocument",
    "news57.view_directivedocument",
    "news57.view_publication",
    "news57.change_publication",
]
# A province's administrators manage its agencies' sources, subscriptions and report deadlines; news57.access narrows
# these model-wide rights to the province, and lets them pick (not change) the central sources.
ADMINISTRATOR_PERMISSIONS = [
    "wagtailadmin.access_admin",
    "news57.add_source",
    "news57.change_source",
    "news57.delete_source",
    "news57.view_source",
    "news57.add_subscription",
    "news57.change_subscription",
    "news57.delete_subscription",
    "news57.view_subscription",
    "news57.view_deadlinerule",
    "news57.add_reportdeadline",
    "news57.change_reportdeadline",
    "news57.delete_reportdeadline",
    "news57.view_reportdeadline",
]
SUPERVISOR_PERMISSIONS = [
    "wagtailadmin.access_admin",
    "news57.view_supervision",
    "news57.view_directivedocument",
    "news57.view_publication",
]


@dataclass
class AgencySetup:
    agency: Agency
    site: Site | None
    home: HomePage | None
    section: SectionPage | None
    collection: Collection | None
    editors: Group | None
    leaders: Group | None
    supervisors: Group | None
    administrators: Group | None = None


def workflow_name(agency):
    """Read after Wagtail's "Gửi duyệt theo …" on the editor's submit button: a process, not an approval."""
    return f"Quy trình duyệt tin – {agency.short_name}"


def _permission(dotted):
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _publish(page):
    page.save_revision().publish()
    return page


def _home_and_section(agency, section_title):
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(depth=2, slug=agency.slug).first()
    if home is None:
        home = root.add_child(instance=HomePage(title=agency.name, slug=agency.slug))
        _publish(home)
    section = SectionPage.objects.child_of(home).first()
    if section is None:
        section = home.add_child(instance=SectionPage(title=section_title, slug=SECTION_SLUG))
        _publish(section)
    return home, section


class HostTaken(ValueError):
    """The host and port already serve another agency's site."""

    def __init__(self, hostname, port, owner):
        super().__init__(f"{hostname}:{port} already serves {owner}")
        self.hostname, self.port, self.owner = hostname, port, owner


def _site(agency, home, hostname, port):
    site = agency.site or Site.objects.filter(hostname=hostname, port=port).first()
    owner = getattr(site, "agency", None) if site else None
    if owner is not None and owner.pk != agency.pk:
        raise HostTaken(hostname, port, owner)
    if site is None:
        site = Site.objects.create(hostname=hostname, port=port, root_page=home, site_name=agency.name)
    return site


def _agency_group(agency, field, name):
    """The agency's group held in `field`, created under a Vietnamese name the first time."""
    group = getattr(agency, field)
    if group is None:
        group, _created = Group.objects.get_or_create(name=name)
        setattr(agency, field, group)
        agency.save(update_fields=[field])
    return group


def _groups(agency, home, collection):
    access_admin = _permission("wagtailadmin.access_admin")
    editors = _agency_group(agency, "editors", f"{agency.short_name} – Biên tập viên")
    leaders = _agency_group(agency, "leaders", f"{agency.short_name} – Lãnh đạo")
    for group, page_codenames, media_permissions in (
        (editors, EDITOR_PAGE_PERMISSIONS, EDITOR_MEDIA_PERMISSIONS),
        (leaders, LEADER_PAGE_PERMISSIONS, LEADER_MEDIA_PERMISSIONS),
    ):
        group.permissions.add(access_admin, *[_permission(dotted) for dotted in DOCUMENT_PERMISSIONS])
        for codename in page_codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=home, permission=_permission(f"wagtailcore.{codename}")
            )
        for dotted in media_permissions:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=_permission(dotted)
            )
    return editors, leaders


def _approval_workflow(agency, home, leaders):
    """Editors submit, the agency's leaders approve: Wagtail's own moderation."""
    assigned = WorkflowPage.objects.filter(page=home).select_related("workflow").first()
    workflow = assigned.workflow if assigned else Workflow.objects.create(name=workflow_name(agency))
    if not workflow.workflow_tasks.exists():
        task = GroupApprovalTask.objects.create(name=f"Lãnh đạo {agency.short_name} duyệt")
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for task in workflow.tasks.specific():
        if isinstance(task, GroupApprovalTask):
            task.groups.add(leaders)
    if not assigned:
        WorkflowPage.objects.create(page=home, workflow=workflow)
    return workflow


def supervisor_group(province):
    """The read-only group that watches every agency of a province."""
    group = _agency_group(province, "supervisors", f"Giám sát – {province.short_name}")
    group.permissions.add(*[_permission(dotted) for dotted in SUPERVISOR_PERMISSIONS])
    return group


def administrator_group(province):
    """The group that manages the sources and subscriptions of a province's agencies."""
    group = _agency_group(province, "administrators", f"Quản trị nguồn tin – {province.short_name}")
    group.permissions.add(*[_permission(dotted) for dotted in ADMINISTRATOR_PERMISSIONS])
    return group


@transaction.atomic
def provision_agency(
    *,
    name,
    short_name,
    level,
    parent=None,
    code_issuer="",
    slug=None,
    hostname=None,
    port=80,
    with_site=True,
    section_title=None,
):
    """Create (or complete) an agency with its site, pages, groups, workflow and collection."""
    if level not in AgencyLevel.values:
        raise ValueError(f"unknown level {level!r}; use one of {', '.join(AgencyLevel.values)}")
    slug = slug or slugify(short_name)[:100]
    agency, _created = Agency.objects.get_or_create(
        slug=slug,
        defaults={"name": name, "short_name": short_name, "level": level, "parent": parent, "code_issuer": code_issuer},
    )
    if code_issuer and not agency.code_issuer:
        agency.code_issuer = code_issuer
        agency.save(update_fields=["code_issuer"])
    is_province = level == AgencyLevel.PROVINCE
    supervisors = supervisor_group(agency) if is_province else None
    administrators = administrator_group(agency) if is_province else None
    if not with_site:
        return AgencySetup(agency, None, None, None, None, None, None, supervisors, administrators)

    home, section = _home_and_section(agency, section_title or SECTION_TITLE)
    site = _site(agency, home, hostname or f"{slug}.localhost", port)
    if agency.site_id != site.pk:
        agency.site = site
        agency.save(update_fields=["site"])
    root_collection = Collection.get_first_root_node()
    collection = root_collection.get_children().filter(name=name).first()
    if collection is None:
        collection = root_collection.add_child(name=name)
    editors, leaders = _groups(agency, home, collection)
    _approval_workflow(agency, home, leaders)
    return AgencySetup(agency, site, home, section, collection, editors, leaders, supervisors, administrators)
