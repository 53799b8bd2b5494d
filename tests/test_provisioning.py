from django.contrib.auth.models import Group
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Site, WorkflowPage

from news57.models import Agency, HomePage, SectionPage
from news57.provisioning import provision_agency


def test_provisioning_twice_creates_everything_once(db):
    kwargs = dict(name="Sở Khoa học và Công nghệ tỉnh Lạng Sơn", short_name="Sở KH&CN Lạng Sơn", level="department")
    first = provision_agency(**kwargs)
    second = provision_agency(**kwargs)
    assert first.agency == second.agency and first.site == second.site
    assert Agency.objects.count() == 1
    assert HomePage.objects.count() == 1 and SectionPage.objects.count() == 1
    assert Site.objects.filter(hostname="so-khcn-lang-son.localhost").count() == 1


def test_agency_pages_are_published_under_the_site_root(db):
    setup = provision_agency(name="Ủy ban nhân dân xã Tân Thanh", short_name="UBND xã Tân Thanh", level="commune")
    assert setup.site.root_page.specific == setup.home
    assert setup.home.live and setup.section.live
    assert setup.section.get_parent().specific == setup.home
    assert setup.section.slug == "nghi-quyet-57"


def test_editors_and_leaders_get_page_permissions_on_their_home_only(db):
    setup = provision_agency(name="Ủy ban nhân dân xã Tân Thanh", short_name="UBND xã Tân Thanh", level="commune")
    editor_codenames = set(
        GroupPagePermission.objects.filter(group=setup.editors).values_list("permission__codename", flat=True)
    )
    leader_codenames = set(
        GroupPagePermission.objects.filter(group=setup.leaders).values_list("permission__codename", flat=True)
    )
    assert "publish_page" not in editor_codenames and "publish_page" in leader_codenames
    granted = GroupPagePermission.objects.filter(group__in=[setup.editors, setup.leaders])
    assert set(granted.values_list("page_id", flat=True)) == {setup.home.pk}
    assert WorkflowPage.objects.get(page=setup.home).workflow.tasks.get().specific.groups.get() == setup.leaders


def test_a_province_gets_a_supervisor_group(db):
    setup = provision_agency(name="Ủy ban nhân dân tỉnh Cao Bằng", short_name="UBND tỉnh Cao Bằng", level="province")
    assert setup.agency.supervisors == setup.supervisors
    assert setup.supervisors.permissions.filter(codename="view_supervision").exists()


def test_the_demo_tree_knows_each_agencys_province(platform):
    assert platform["hoangvanthu"].agency.province == platform["langson"].agency
    assert platform["vpubnd-laichau"].agency.province == platform["laichau"].agency
    assert platform["trunguong"].agency.province is None
    assert Site.objects.get(is_default_site=True) == platform["trunguong"].site


def test_wagtails_default_groups_reach_no_agency(db):
    # Wagtail's "Editors" and "Moderators", renamed in Vietnamese by migration 0014.
    defaults = Group.objects.filter(name__in=["Biên tập viên", "Người kiểm duyệt"])
    assert defaults.count() == 2
    assert not GroupPagePermission.objects.filter(group__in=defaults).exists()
    assert not GroupCollectionPermission.objects.filter(group__in=defaults).exists()
    assert not any(group.permissions.exists() for group in defaults)
