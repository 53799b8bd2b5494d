"""manage.py add_agency creates everything a new agency needs, once."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Site, WorkflowPage

from news57.models import Agency, HomePage, SectionPage

TAN_THANH = [
    "--name=Ủy ban nhân dân xã Tân Thanh",
    "--short-name=UBND xã Tân Thanh",
    "--level=commune",
    "--parent=langson",
    "--slug=tanthanh",
    "--host=tanthanh.localhost",
]


def add_agency(*args):
    out = StringIO()
    call_command("add_agency", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def tanthanh(platform):
    output = add_agency(*TAN_THANH)
    return Agency.objects.select_related("site").get(slug="tanthanh"), output


def page_codenames(group, page):
    return set(GroupPagePermission.objects.filter(group=group, page=page).values_list("permission__codename", flat=True))


def collection_codenames(group, collection):
    return set(
        GroupCollectionPermission.objects.filter(group=group, collection=collection).values_list(
            "permission__codename", flat=True
        )
    )


def test_the_new_agency_answers_on_its_own_host(tanthanh, client):
    response = client.get("/", HTTP_HOST="tanthanh.localhost")
    assert response.status_code == 200
    assert "Ủy ban nhân dân xã Tân Thanh" in response.content.decode()


def test_the_new_agencys_section_is_live_and_routable(tanthanh, client):
    agency, _output = tanthanh
    section = SectionPage.objects.child_of(agency.site.root_page).get()
    assert section.live
    assert client.get("/nghi-quyet-57/", HTTP_HOST="tanthanh.localhost").status_code == 200


def test_the_new_agency_hangs_under_its_province(tanthanh, platform):
    agency, _output = tanthanh
    assert agency.parent == platform["langson"].agency and agency.province == platform["langson"].agency
    assert agency in platform["langson"].agency.province_agencies()


def _groups(agency):
    home = agency.site.root_page
    group_ids = GroupPagePermission.objects.filter(page=home).values_list("group", flat=True)
    groups = list(Group.objects.filter(pk__in=group_ids))
    leaders = [g for g in groups if "publish_page" in page_codenames(g, home)]
    editors = [g for g in groups if g not in leaders]
    return editors, leaders


def test_the_new_agency_has_one_editor_and_one_leader_group(tanthanh):
    agency, _output = tanthanh
    editors, leaders = _groups(agency)
    assert len(editors) == 1 and len(leaders) == 1
    assert "UBND xã Tân Thanh" in editors[0].name and "UBND xã Tân Thanh" in leaders[0].name


def test_editors_may_write_but_not_publish_on_the_new_site(tanthanh):
    agency, _output = tanthanh
    (editors,), _leaders = _groups(agency)
    assert page_codenames(editors, agency.site.root_page) == {"add_page", "change_page", "lock_page"}


def test_leaders_may_publish_on_the_new_site(tanthanh):
    agency, _output = tanthanh
    _editors, (leaders,) = _groups(agency)
    assert {"publish_page", "unlock_page"} <= page_codenames(leaders, agency.site.root_page)


def test_both_groups_reach_the_admin(tanthanh):
    agency, _output = tanthanh
    for group in sum(_groups(agency), []):
        assert group.permissions.filter(codename="access_admin").exists()


def test_the_new_collection_is_the_groups_only_media(tanthanh):
    agency, _output = tanthanh
    collection = Collection.objects.get(name="Ủy ban nhân dân xã Tân Thanh")
    (editors,), (leaders,) = _groups(agency)
    assert collection_codenames(editors, collection) == {
        "add_image", "change_image", "choose_image", "add_document", "change_document", "choose_document"
    }
    assert {"delete_image", "delete_document"} <= collection_codenames(leaders, collection)
    assert set(GroupCollectionPermission.objects.filter(group=editors).values_list("collection", flat=True)) == {
        collection.pk
    }


def test_the_leaders_approve_what_the_editors_submit(tanthanh):
    agency, _output = tanthanh
    _editors, (leaders,) = _groups(agency)
    workflow = WorkflowPage.objects.get(page=agency.site.root_page).workflow
    assert list(workflow.tasks.get().specific.groups.all()) == [leaders]


def test_an_editor_of_the_new_agency_can_open_the_editor_of_its_section(tanthanh, make_user, client):
    agency, _output = tanthanh
    (editors,), _leaders = _groups(agency)
    client.force_login(make_user("tanthanh-editor", editors))
    section = SectionPage.objects.child_of(agency.site.root_page).get()
    assert client.get(f"/admin/pages/{section.pk}/edit/").status_code == 200


def test_the_command_reports_the_site_address(tanthanh):
    _agency, output = tanthanh
    assert "http://tanthanh.localhost/" in output


def test_running_the_command_twice_creates_nothing_twice(tanthanh):
    counts = (Agency.objects.count(), Site.objects.count(), Group.objects.count(), Collection.objects.count())
    add_agency(*TAN_THANH)
    assert counts == (Agency.objects.count(), Site.objects.count(), Group.objects.count(), Collection.objects.count())
    assert HomePage.objects.filter(slug="tanthanh").count() == 1


def test_an_unknown_parent_is_refused(platform):
    with pytest.raises(CommandError, match="khong-co-that"):
        add_agency(*TAN_THANH[:3], "--parent=khong-co-that", "--slug=tanthanh")
    assert not Agency.objects.filter(slug="tanthanh").exists()


def test_an_unknown_level_is_refused(platform):
    with pytest.raises(CommandError, match="village"):
        add_agency(TAN_THANH[0], TAN_THANH[1], "--level=village")


def test_a_host_serving_another_agency_is_refused(platform):
    with pytest.raises(CommandError, match="hoangvanthu.localhost"):
        add_agency(*TAN_THANH[:5], "--host=hoangvanthu.localhost")
    assert platform["hoangvanthu"].site.root_page.specific == platform["hoangvanthu"].home
    assert not Agency.objects.filter(slug="tanthanh").exists()


def test_an_agency_without_a_site_gets_no_site(platform):
    add_agency("--name=Ban Chỉ đạo tỉnh Lạng Sơn", "--short-name=Ban Chỉ đạo", "--level=province", "--no-site")
    agency = Agency.objects.get(slug="ban-chi-dao")
    assert agency.site is None and agency.supervisors is not None



def test_the_issuer_part_of_an_agencys_codes_is_recorded_for_the_feeds(platform):
    add_agency(
        "--name=Sở Khoa học và Công nghệ tỉnh Lạng Sơn", "--short-name=Sở KH&CN Lạng Sơn", "--level=department",
        "--parent=langson", "--slug=skhcn-langson", "--code-issuer=SKHCN",
    )  # fmt: skip
    assert Agency.objects.get(slug="skhcn-langson").code_issuer == "SKHCN"
