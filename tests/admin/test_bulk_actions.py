"""Wagtail's bulk actions, as an agency's editor or leader asks for a mix of their own and another agency's ids.

The confirmation page (GET) names only what the user may act on, counts the
rest without naming it, and the action (POST) changes only the user's own
objects. Thanh tra tỉnh Lạng Sơn acts; Văn phòng UBND tỉnh Lai Châu's content
must neither show nor change.
"""

from dataclasses import dataclass
from io import BytesIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import override_settings
from django.utils import translation
from django.utils.html import escape
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from news57.admin.bulk_actions import left_out_message
from news57.models import Agency, AgencyLevel, ArticlePage, DirectiveDocument, SectionPage, Topic

OWN, FOREIGN = "thanhtra-langson", "vpubnd-laichau"
Image, Document, User = get_image_model(), get_document_model(), get_user_model()


@dataclass
class Side:
    marker: str
    home: Page
    section: Page
    other_section: Page
    page: Page
    image: object
    document: object
    directive: DirectiveDocument
    collection: object
    subcollection: object


def _png(name):
    buffer = BytesIO()
    PILImage.new("RGB", (24, 16), "blue").save(buffer, "PNG")
    return ImageFile(buffer, name=name)


def _content(setup, marker):
    """A live article with a newer draft, an image, a file, a directive document, and where to move them."""
    article = setup.section.add_child(
        instance=ArticlePage(title=f"Kết luận zebra {marker}", slug=f"ket-luan-{marker}", lead="Tóm tắt")
    )
    article.save_revision().publish()
    article.title = f"Bản nháp zebra {marker}"
    article.save_revision()
    other_section = setup.home.add_child(instance=SectionPage(title=f"Chuyên mục khác {marker}", slug="chuyen-muc-khac"))
    subcollection = setup.collection.add_child(name=f"Ảnh sự kiện {marker}")
    image = Image.objects.create(title=f"Ảnh zebra {marker}", file=_png(f"{marker}.png"), collection=setup.collection)
    document = Document.objects.create(
        title=f"Tệp zebra {marker}", file=ContentFile(b"%PDF-1.4 test", name=f"{marker}.pdf"), collection=setup.collection
    )
    directive = DirectiveDocument.objects.create(
        title=f"Kế hoạch {marker}", issuer=setup.agency, entered_by=setup.agency
    )
    return [marker, article.pk, other_section.pk, image.pk, document.pk, directive.pk, subcollection.pk]


@pytest.fixture(scope="module")
def made_sides(module_platform, django_db_blocker, tmp_path_factory):
    """Both sides' content, made once for the module on its shared platform: {side: row ids}."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        with django_db_blocker.unblock():
            platform = module_platform.fresh()
            made = {OWN: _content(platform[OWN], "zebrathanhtra"), FOREIGN: _content(platform[FOREIGN], "zebralaichau")}
        yield made


@pytest.fixture
def sides(platform, made_sides):
    """Fresh instances for each test, so one test's changes to an object never reach the next."""
    sides = {}
    for side, (marker, page_id, other_id, image_id, document_id, directive_id, sub_id) in made_sides.items():
        setup = platform[side]
        sides[side] = Side(
            marker,
            setup.home,
            setup.section,
            Page.objects.get(pk=other_id),
            Page.objects.get(pk=page_id),
            Image.objects.get(pk=image_id),
            Document.objects.get(pk=document_id),
            DirectiveDocument.objects.get(pk=directive_id),
            setup.collection,
            setup.collection.get_children().get(pk=sub_id),
        )
    return sides


def body(response):
    return response.content.decode()


def left_out(count):
    """The confirmation page's count of left-out items, as the admin shows it."""
    with translation.override(settings.LANGUAGE_CODE):
        return escape(left_out_message(count))


def query(*ids):
    return "?" + "&".join(f"id={pk}" for pk in ids)


def page_state(pk):
    return Page.objects.filter(pk=pk).values("live", "title", "path", "live_revision_id").first()


def media_state(model):
    def state(pk):
        row = model.objects.filter(pk=pk).first()
        return row and (row.collection_id, sorted(row.tags.names()))

    return state


def directive_state(pk):
    return DirectiveDocument.objects.filter(pk=pk).exists()


@dataclass(frozen=True)
class Case:
    url: str
    role: str  # who may act on their own object: "editor" or "leader"
    target: str  # the Side attribute acted on
    state: object  # pk -> what the action would change
    data: object = lambda side: {}


CASES = {
    "page delete": Case("/admin/bulk/wagtailcore/page/delete/", "leader", "page", page_state),
    "page publish": Case("/admin/bulk/wagtailcore/page/publish/", "leader", "page", page_state),
    "page unpublish": Case("/admin/bulk/wagtailcore/page/unpublish/", "leader", "page", page_state),
    "page move": Case(
        "/admin/bulk/wagtailcore/page/move/", "leader", "page", page_state, lambda side: {"chooser": side.other_section.pk}
    ),
    "image delete": Case("/admin/bulk/wagtailimages/image/delete/", "leader", "image", media_state(Image)),
    "image add to collection": Case(
        "/admin/bulk/wagtailimages/image/add_to_collection/",
        "editor",
        "image",
        media_state(Image),
        lambda side: {"collection": side.subcollection.pk},
    ),
    "image add tags": Case(
        "/admin/bulk/wagtailimages/image/add_tags/", "editor", "image", media_state(Image), lambda side: {"tags": "ngựa vằn"}
    ),
    "document delete": Case("/admin/bulk/wagtaildocs/document/delete/", "leader", "document", media_state(Document)),
    "document add to collection": Case(
        "/admin/bulk/wagtaildocs/document/add_to_collection/",
        "editor",
        "document",
        media_state(Document),
        lambda side: {"collection": side.subcollection.pk},
    ),
    "document add tags": Case(
        "/admin/bulk/wagtaildocs/document/add_tags/",
        "editor",
        "document",
        media_state(Document),
        lambda side: {"tags": "ngựa vằn"},
    ),
    "directive document delete": Case(
        "/admin/bulk/news57/directivedocument/delete/", "editor", "directive", directive_state
    ),
}


@pytest.fixture
def member_of(editor_of, leader_of):
    return {"editor": editor_of, "leader": leader_of}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("role", ["editor", "leader"])
def test_the_confirmation_page_never_names_another_agencys_item(case, role, sides, client, member_of):
    own, foreign = sides[OWN], sides[FOREIGN]
    spec = CASES[case]
    client.force_login(member_of[role](OWN))
    response = client.get(spec.url + query(getattr(own, spec.target).pk, getattr(foreign, spec.target).pk))
    assert response.status_code == 200
    assert foreign.marker not in body(response)


@pytest.mark.parametrize("case", CASES)
def test_the_confirmation_page_names_the_users_own_item_and_counts_the_rest(case, sides, client, member_of):
    own, foreign = sides[OWN], sides[FOREIGN]
    spec = CASES[case]
    client.force_login(member_of[spec.role](OWN))
    response = client.get(spec.url + query(getattr(own, spec.target).pk, getattr(foreign, spec.target).pk))
    assert response.status_code == 200
    assert own.marker in body(response)
    assert left_out(1) in body(response)


@pytest.mark.parametrize("case", CASES)
def test_the_action_changes_the_users_own_item_and_not_the_other_agencys(case, sides, client, member_of):
    own, foreign = sides[OWN], sides[FOREIGN]
    spec = CASES[case]
    own_pk, foreign_pk = getattr(own, spec.target).pk, getattr(foreign, spec.target).pk
    before = spec.state(own_pk), spec.state(foreign_pk)
    client.force_login(member_of[spec.role](OWN))
    response = client.post(spec.url + query(own_pk, foreign_pk), spec.data(own))
    assert response.status_code == 302
    assert spec.state(own_pk) != before[0]
    assert spec.state(foreign_pk) == before[1]


@pytest.mark.parametrize("case", CASES)
def test_the_action_changes_nothing_when_only_another_agencys_items_are_asked_for(case, sides, client, member_of):
    foreign = sides[FOREIGN]
    spec = CASES[case]
    foreign_pk = getattr(foreign, spec.target).pk
    before = spec.state(foreign_pk)
    client.force_login(member_of[spec.role](OWN))
    response = client.post(spec.url + query(foreign_pk), spec.data(sides[OWN]))
    assert response.status_code in (200, 302)
    assert foreign.marker not in body(response)
    assert spec.state(foreign_pk) == before


def test_the_count_covers_every_item_left_out(sides, client, leader_of):
    own, foreign = sides[OWN], sides[FOREIGN]
    client.force_login(leader_of(OWN))
    ids = (own.page.pk, foreign.page.pk, foreign.section.pk, foreign.home.pk)
    response = client.get("/admin/bulk/wagtailcore/page/delete/" + query(*ids))
    assert left_out(3) in body(response)
    assert foreign.marker not in body(response)


def test_an_editor_sees_only_a_count_for_their_own_page_they_may_not_delete(sides, client, editor_of):
    own = sides[OWN]
    client.force_login(editor_of(OWN))
    response = client.get("/admin/bulk/wagtailcore/page/delete/" + query(own.page.pk))
    assert response.status_code == 200
    assert own.marker not in body(response)
    assert left_out(1) in body(response)


@pytest.mark.parametrize("bad", ["abc", "1.5", "", "999999999", "99999999999999999999999999"])
def test_ids_that_name_no_row_are_counted_and_never_fail(bad, sides, client, leader_of):
    own = sides[OWN]
    client.force_login(leader_of(OWN))
    for url in ("/admin/bulk/wagtailcore/page/delete/", "/admin/bulk/wagtailimages/image/delete/"):
        target = own.page if "page" in url else own.image
        response = client.get(f"{url}?id={target.pk}&id={bad}")
        assert response.status_code == 200
        assert own.marker in body(response)
        assert left_out(1) in body(response)


def test_a_page_answers_with_the_count_when_nothing_asked_for_exists(sides, client, leader_of):
    client.force_login(leader_of(OWN))
    response = client.get("/admin/bulk/wagtailcore/page/delete/?id=999999999&id=abc")
    assert response.status_code == 200
    assert left_out(2) in body(response)


def test_select_all_under_another_agencys_section_selects_nothing(sides, client, leader_of):
    foreign = sides[FOREIGN]
    client.force_login(leader_of(OWN))
    response = client.get(f"/admin/bulk/wagtailcore/page/delete/?id=all&childOf={foreign.section.pk}")
    assert response.status_code == 200
    assert foreign.marker not in body(response)
    assert left_out(1) not in body(response)


def test_select_all_under_the_users_own_section_selects_their_page(sides, client, leader_of):
    own = sides[OWN]
    client.force_login(leader_of(OWN))
    response = client.get(f"/admin/bulk/wagtailcore/page/delete/?id=all&childOf={own.section.pk}")
    assert response.status_code == 200
    assert own.marker in body(response)


def test_select_all_pages_without_a_parent_names_only_the_users_own(sides, client, leader_of):
    own, foreign = sides[OWN], sides[FOREIGN]
    client.force_login(leader_of(OWN))
    response = client.get("/admin/bulk/wagtailcore/page/publish/?id=all")
    assert response.status_code == 200
    assert own.marker in body(response)
    assert foreign.marker not in body(response)


def test_select_all_pages_deletes_only_the_users_own(sides, client, leader_of):
    own, foreign = sides[OWN], sides[FOREIGN]
    client.force_login(leader_of(OWN))
    client.post(f"/admin/bulk/wagtailcore/page/delete/?id=all&childOf={foreign.section.pk}")
    client.post(f"/admin/bulk/wagtailcore/page/delete/?id=all&childOf={own.section.pk}")
    assert Page.objects.filter(pk=foreign.page.pk).exists()
    assert not Page.objects.filter(pk=own.page.pk).exists()


@pytest.mark.parametrize("parent", ["abc", "999999999"])
def test_select_all_under_a_parent_that_does_not_exist_selects_nothing(parent, sides, client, leader_of):
    client.force_login(leader_of(OWN))
    response = client.get(f"/admin/bulk/wagtailcore/page/delete/?id=all&childOf={parent}")
    assert response.status_code == 200
    assert sides[FOREIGN].marker not in body(response)


@pytest.mark.parametrize("model", ["wagtailimages/image", "wagtaildocs/document"])
def test_select_all_media_names_only_the_users_own(model, sides, client, editor_of):
    own, foreign = sides[OWN], sides[FOREIGN]
    client.force_login(editor_of(OWN))
    response = client.get(f"/admin/bulk/{model}/add_tags/?id=all")
    assert response.status_code == 200
    assert own.marker in body(response)
    assert foreign.marker not in body(response)


SEARCHES = ["/admin/bulk/wagtailcore/page/publish/?id=all&q=zebra", "/admin/bulk/wagtailimages/image/add_tags/?id=all&q=zebra"]


@pytest.mark.parametrize("url", SEARCHES)
def test_select_all_of_a_search_names_only_the_users_own(url, sides, client, leader_of):
    own, foreign = sides[OWN], sides[FOREIGN]
    client.force_login(leader_of(OWN))
    response = client.get(url)
    assert response.status_code == 200
    assert own.marker in body(response)
    assert foreign.marker not in body(response)


@pytest.mark.parametrize("url", SEARCHES)
def test_select_all_of_a_search_names_every_agencys_items_to_a_superuser(url, sides, client, make_user):
    client.force_login(make_user("root", superuser=True))
    response = client.get(url)
    assert sides[OWN].marker in body(response) and sides[FOREIGN].marker in body(response)


def test_a_supervisor_sees_no_title_of_the_provinces_pages(sides, client, supervisor_of):
    own = sides[OWN]
    client.force_login(supervisor_of("langson"))
    response = client.get("/admin/bulk/wagtailcore/page/unpublish/" + query(own.page.pk, sides[FOREIGN].page.pk))
    assert response.status_code in (200, 302, 403)
    assert own.marker not in body(response) and sides[FOREIGN].marker not in body(response)


def test_a_superuser_is_offered_every_agencys_pages(sides, client, make_user):
    own, foreign = sides[OWN], sides[FOREIGN]
    client.force_login(make_user("root", superuser=True))
    response = client.get("/admin/bulk/wagtailcore/page/unpublish/" + query(own.page.pk, foreign.page.pk))
    assert own.marker in body(response) and foreign.marker in body(response)
    assert left_out(1) not in body(response)


def test_a_superuser_deletes_every_agencys_images(sides, client, make_user):
    own, foreign = sides[OWN], sides[FOREIGN]
    client.force_login(make_user("root", superuser=True))
    client.post("/admin/bulk/wagtailimages/image/delete/" + query(own.image.pk, foreign.image.pk))
    assert not Image.objects.filter(pk__in=[own.image.pk, foreign.image.pk]).exists()


# Users: agencies' editors and leaders hold no user rights; Wagtail's user policy decides for everyone else.
USER_ACTIONS = ["delete", "assign_role", "set_active_state"]


@pytest.mark.parametrize("action", USER_ACTIONS)
@pytest.mark.parametrize("role", ["editor", "leader"])
def test_an_agency_member_sees_no_user_through_the_user_bulk_actions(action, role, client, member_of, editor_of):
    foreign_user = editor_of(FOREIGN)
    client.force_login(member_of[role](OWN))
    response = client.get(f"/admin/bulk/auth/user/{action}/" + query(foreign_user.pk))
    assert response.status_code in (200, 302, 403)
    assert foreign_user.username not in body(response)


@pytest.mark.parametrize("role", ["editor", "leader"])
def test_an_agency_member_cannot_deactivate_or_delete_users(role, client, member_of, editor_of):
    foreign_user = editor_of(FOREIGN)
    client.force_login(member_of[role](OWN))
    client.post(f"/admin/bulk/auth/user/set_active_state/{query(foreign_user.pk)}", {"mark_as_active": "False"})
    client.post(f"/admin/bulk/auth/user/delete/{query(foreign_user.pk)}")
    assert User.objects.filter(pk=foreign_user.pk, is_active=True).exists()


def test_a_user_manager_who_may_not_delete_users_sees_only_a_count(client, make_user, editor_of):
    foreign_user = editor_of(FOREIGN)
    manager = make_user("quan-ly-tai-khoan")
    manager.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="auth", codename="change_user"),
    )
    client.force_login(manager)
    response = client.get("/admin/bulk/auth/user/delete/" + query(foreign_user.pk))
    assert response.status_code == 200
    assert foreign_user.username not in body(response)
    assert left_out(1) in body(response)


def test_a_superuser_deactivates_any_user(client, make_user, editor_of):
    foreign_user = editor_of(FOREIGN)
    client.force_login(make_user("root", superuser=True))
    response = client.get("/admin/bulk/auth/user/set_active_state/" + query(foreign_user.pk))
    assert foreign_user.username in body(response)
    client.post("/admin/bulk/auth/user/set_active_state/" + query(foreign_user.pk), {"mark_as_active": "False"})
    assert User.objects.filter(pk=foreign_user.pk, is_active=False).exists()


# Topics and agencies: no agency's editor or leader may change them.
@pytest.fixture
def unowned_snippets(platform):
    topic = Topic.objects.create(name="Chủ đề zebratopic", slug="chu-de-zebratopic")
    agency = Agency.objects.create(
        name="Sở zebraagency", short_name="Sở zebraagency", slug="so-zebraagency", level=AgencyLevel.DEPARTMENT
    )
    return {"topic": topic, "agency": agency}


@pytest.mark.parametrize("model", ["topic", "agency"])
@pytest.mark.parametrize("role", ["editor", "leader"])
def test_an_agency_member_sees_no_topic_or_agency_through_snippet_bulk_delete(
    model, role, unowned_snippets, client, member_of
):
    snippet = unowned_snippets[model]
    client.force_login(member_of[role](OWN))
    url = f"/admin/bulk/news57/{model}/delete/" + query(snippet.pk)
    response = client.get(url)
    assert response.status_code == 200
    assert "zebra" + model not in body(response)
    assert left_out(1) in body(response)
    client.post(url)
    assert type(snippet).objects.filter(pk=snippet.pk).exists()


def test_a_superuser_deletes_topics_through_snippet_bulk_delete(unowned_snippets, client, make_user):
    topic = unowned_snippets["topic"]
    client.force_login(make_user("root", superuser=True))
    url = "/admin/bulk/news57/topic/delete/" + query(topic.pk)
    assert "zebratopic" in body(client.get(url))
    client.post(url)
    assert not Topic.objects.filter(pk=topic.pk).exists()
