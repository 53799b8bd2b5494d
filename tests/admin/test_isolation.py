"""An agency's editors reach only their own site's pages, images and documents in the admin.

Every case runs twice: against Thanh tra tỉnh Lạng Sơn's content (hidden from
an editor of xã Hoàng Văn Thụ) and against the editor's own content (shown), so
a check that passes for the wrong reason fails its twin.
"""

from dataclasses import dataclass
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import GroupPagePermission, Page

from news57.models import ArticlePage

FOREIGN, OWN = "thanhtra-langson", "hoangvanthu"


@dataclass
class Content:
    marker: str
    home: Page
    section: Page
    page: ArticlePage
    image: object
    document: object
    collection: object


def _png(name):
    buffer = BytesIO()
    PILImage.new("RGB", (24, 16), "red").save(buffer, "PNG")
    return ImageFile(buffer, name=name)


def _content(setup, marker):
    article = setup.section.add_child(
        instance=ArticlePage(title=f"Kết luận zebra {marker}", slug=f"ket-luan-{marker}", lead="Tóm tắt")
    )
    article.save_revision().publish()
    article.title = f"Bản nháp zebra {marker}"
    article.save_revision()
    image = get_image_model().objects.create(
        title=f"Ảnh zebra {marker}", file=_png(f"{marker}.png"), collection=setup.collection
    )
    document = get_document_model().objects.create(
        title=f"Văn bản zebra {marker}",
        file=ContentFile(b"%PDF-1.4 test", name=f"{marker}.pdf"),
        collection=setup.collection,
    )
    return Content(
        marker,
        setup.home,
        setup.section,
        ArticlePage.objects.get(pk=article.pk),
        image,
        document,
        setup.collection,
    )


@pytest.fixture(scope="module")
def made_sides(module_platform, django_db_blocker, tmp_path_factory):
    """Both sides' content, made once for the module on its shared platform: {side: row ids}."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        with django_db_blocker.unblock():
            platform = module_platform.fresh()
            made = {
                FOREIGN: _content(platform[FOREIGN], "zebrathanhtra"),
                OWN: _content(platform[OWN], "zebrahoangvanthu"),
            }
        yield {side: (content.marker, content.page.pk, content.image.pk, content.document.pk) for side, content in made.items()}


@pytest.fixture
def sides(platform, made_sides):
    """Fresh instances for each test, so one test's changes to an object never reach the next."""
    sides = {}
    for side, (marker, page_id, image_id, document_id) in made_sides.items():
        setup = platform[side]
        sides[side] = Content(
            marker,
            setup.home,
            setup.section,
            ArticlePage.objects.get(pk=page_id),
            get_image_model().objects.get(pk=image_id),
            get_document_model().objects.get(pk=document_id),
            setup.collection,
        )
    return sides


@pytest.fixture
def editor_client(client, editor_of):
    client.force_login(editor_of(OWN))
    return client


def body(response):
    return response.content.decode()


# Views that show one object or a listing: the foreign side must be refused or
# not mention the marker; the own side answers 200 and mentions it.
SHOWING_VIEWS = {
    "explorer of the section": lambda c: f"/admin/pages/{c.section.pk}/",
    "explorer results": lambda c: f"/admin/pages/{c.section.pk}/results/",
    "page edit form": lambda c: f"/admin/pages/{c.page.pk}/edit/",
    "page draft": lambda c: f"/admin/pages/{c.page.pk}/view_draft/",
    "page revision view": lambda c: f"/admin/pages/{c.page.pk}/revisions/{c.page.latest_revision_id}/view/",
    "page revision compare": lambda c: f"/admin/pages/{c.page.pk}/revisions/compare/earliest...latest/",
    "page history": lambda c: f"/admin/pages/{c.page.pk}/history/",
    "page workflow history": lambda c: f"/admin/pages/{c.page.pk}/workflow_history/",
    "page usage": lambda c: f"/admin/pages/{c.page.pk}/usage/",
    "page copy form": lambda c: f"/admin/pages/{c.page.pk}/copy/",
    "page move form": lambda c: f"/admin/pages/{c.page.pk}/move/",
    "page delete form": lambda c: f"/admin/pages/{c.page.pk}/delete/",
    "page unpublish form": lambda c: f"/admin/pages/{c.page.pk}/unpublish/",
    "page chooser inside the section": lambda c: f"/admin/choose-page/{c.section.pk}/",
    "page chooser opened at the page": lambda c: f"/admin/choose-page/{c.page.pk}/",
    "page chooser search": lambda c: "/admin/choose-page/search/?q=zebra",
    "page chooser search for articles": lambda c: "/admin/choose-page/search/?q=zebra&page_type=news57.articlepage",
    "page chooser for articles": lambda c: "/admin/choose-page/?page_type=news57.articlepage",
    "page chooser chosen": lambda c: f"/admin/choose-page/chosen-multiple/?id={c.page.pk}",
    "admin page search": lambda c: "/admin/pages/search/?q=zebra",
    "admin page search results": lambda c: "/admin/pages/search/results/?q=zebra",
    "admin api page listing": lambda c: f"/admin/api/main/pages/?child_of={c.section.pk}&fields=title",
    "admin api page detail": lambda c: f"/admin/api/main/pages/{c.page.pk}/",
    "image listing": lambda c: "/admin/images/?q=zebra",
    "image listing results": lambda c: "/admin/images/results/?q=zebra",
    "image edit form": lambda c: f"/admin/images/{c.image.pk}/",
    "image delete form": lambda c: f"/admin/images/{c.image.pk}/delete/",
    "image usage": lambda c: f"/admin/images/usage/{c.image.pk}/",
    "image chooser": lambda c: "/admin/images/chooser/?q=zebra",
    "image chooser results": lambda c: "/admin/images/chooser/results/?q=zebra",
    "image chooser chosen": lambda c: f"/admin/images/chooser/chosen/{c.image.pk}/",
    "image chooser select format": lambda c: f"/admin/images/chooser/{c.image.pk}/select_format/",
    "admin api image listing": lambda c: "/admin/api/main/images/?fields=title",
    "admin api image detail": lambda c: f"/admin/api/main/images/{c.image.pk}/",
    "document listing": lambda c: "/admin/documents/?q=zebra",
    "document listing results": lambda c: "/admin/documents/results/?q=zebra",
    "document edit form": lambda c: f"/admin/documents/edit/{c.document.pk}/",
    "document delete form": lambda c: f"/admin/documents/delete/{c.document.pk}/",
    "document usage": lambda c: f"/admin/documents/usage/{c.document.pk}/",
    "document chooser": lambda c: "/admin/documents/chooser/?q=zebra",
    "document chooser results": lambda c: "/admin/documents/chooser/results/?q=zebra",
    "document chooser chosen": lambda c: f"/admin/documents/chooser/chosen/{c.document.pk}/",
    "admin api document listing": lambda c: "/admin/api/main/documents/?fields=title",
    "admin api document detail": lambda c: f"/admin/api/main/documents/{c.document.pk}/",
}

# Editors may not move, delete, unpublish or restrict even their own pages.
LEADER_ONLY_VIEWS = {"page move form", "page delete form", "page unpublish form"}


@pytest.mark.parametrize("view", SHOWING_VIEWS)
def test_an_agencys_editor_and_leader_cannot_see_another_agencys_content_through(
    view, sides, client, editor_of, leader_of
):
    foreign = sides[FOREIGN]
    for user in (editor_of(OWN), leader_of(OWN)):
        client.force_login(user)
        response = client.get(SHOWING_VIEWS[view](foreign), follow=True)
        assert response.status_code in (403, 404) or foreign.marker not in body(response), user


@pytest.mark.parametrize("view", SHOWING_VIEWS)
def test_an_agency_sees_its_own_content_through(view, sides, client, editor_of, leader_of):
    own = sides[OWN]
    client.force_login(leader_of(OWN) if view in LEADER_ONLY_VIEWS else editor_of(OWN))
    response = client.get(SHOWING_VIEWS[view](own))
    assert response.status_code == 200
    assert own.marker in body(response)


def test_the_explorer_refuses_another_agencys_home_page(sides, editor_client):
    foreign = sides[FOREIGN]
    response = editor_client.get(f"/admin/pages/{foreign.home.pk}/", follow=True)
    assert f"/admin/pages/{foreign.section.pk}/" not in body(response)


def test_the_explorer_lists_the_editors_own_section_under_their_home_page(sides, editor_client):
    own = sides[OWN]
    response = editor_client.get(f"/admin/pages/{own.home.pk}/")
    assert f"/admin/pages/{own.section.pk}/" in body(response)


def test_an_editor_cannot_open_the_add_page_form_under_another_agencys_section(sides, editor_client):
    response = editor_client.get(f"/admin/pages/{sides[FOREIGN].section.pk}/add_subpage/")
    assert response.status_code in (302, 403)


def test_an_editor_can_open_the_add_page_form_under_their_own_section(sides, editor_client):
    response = editor_client.get(f"/admin/pages/{sides[OWN].section.pk}/add_subpage/")
    assert response.status_code == 200


def test_the_page_chooser_root_lists_only_the_editors_own_site(sides, editor_client):
    response = editor_client.get("/admin/choose-page/")
    assert response.status_code == 200
    assert f"/admin/choose-page/{sides[OWN].home.pk}/" in body(response)
    assert f"/admin/choose-page/{sides[FOREIGN].home.pk}/" not in body(response)


def test_the_page_chooser_refuses_to_open_another_agencys_section(sides, editor_client):
    response = editor_client.get(f"/admin/choose-page/{sides[FOREIGN].section.pk}/")
    assert response.status_code == 404


def test_the_page_chooser_still_needs_an_admin_login(sides, client):
    response = client.get(f"/admin/choose-page/{sides[OWN].section.pk}/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_editor_cannot_change_the_privacy_of_another_agencys_page(sides, leader_of, client):
    client.force_login(leader_of(OWN))
    assert client.get(f"/admin/pages/{sides[FOREIGN].page.pk}/privacy/").status_code in (302, 403)


def test_a_leader_can_change_the_privacy_of_their_own_page(sides, leader_of, client):
    client.force_login(leader_of(OWN))
    assert client.get(f"/admin/pages/{sides[OWN].page.pk}/privacy/").status_code == 200


def test_the_explorer_root_does_not_list_another_agencys_site(sides, editor_client):
    response = editor_client.get("/admin/pages/", follow=True)
    assert f"/admin/pages/{sides[FOREIGN].home.pk}/" not in body(response)


def test_the_page_type_usage_listing_hides_another_agencys_articles(sides, editor_client):
    response = editor_client.get("/admin/pages/usage/news57/articlepage/")
    assert sides[FOREIGN].marker not in body(response)


def test_the_page_type_usage_listing_shows_the_editors_own_articles(sides, editor_client):
    response = editor_client.get("/admin/pages/usage/news57/articlepage/")
    assert response.status_code == 200 and sides[OWN].marker in body(response)


@pytest.mark.parametrize(
    "report", ["/admin/reports/site-history/", "/admin/reports/aging-pages/", "/admin/reports/locked/"]
)
def test_admin_reports_hide_another_agencys_pages(report, sides, editor_client):
    foreign = sides[FOREIGN]
    foreign.page.locked, foreign.page.locked_by = True, None
    foreign.page.save(update_fields=["locked", "locked_by"])
    response = editor_client.get(report)
    assert response.status_code in (302, 403, 404) or foreign.marker not in body(response)


def _preview_data(content):
    return {
        "title": f"Xem trước {content.marker}",
        "slug": content.page.slug,
        "lead": "",
        "date": "2025-08-12 10:00",
        "body-count": "0",
    }


def test_an_editor_cannot_preview_another_agencys_page(sides, editor_client):
    foreign = sides[FOREIGN]
    url = f"/admin/pages/{foreign.page.pk}/edit/preview/"
    posted = editor_client.post(url, _preview_data(foreign))
    shown = editor_client.get(url)
    assert posted.status_code in (302, 403, 404)
    assert shown.status_code in (302, 403, 404) or foreign.marker not in body(shown)


def test_an_editor_can_preview_their_own_page(sides, editor_client):
    own = sides[OWN]
    url = f"/admin/pages/{own.page.pk}/edit/preview/"
    assert editor_client.post(url, _preview_data(own)).status_code == 200


def _copy_data(content, destination, slug):
    return {
        "new_title": f"Bản sao {content.marker}",
        "new_slug": slug,
        "new_parent_page": destination.pk,
        "copy_subpages": "",
        "publish_copies": "",
        "alias": "",
    }


def test_an_editor_cannot_copy_another_agencys_page_into_their_own_section(sides, editor_client):
    foreign, own = sides[FOREIGN], sides[OWN]
    editor_client.post(f"/admin/pages/{foreign.page.pk}/copy/", _copy_data(foreign, own.section, "ban-sao-ngoai"))
    assert not Page.objects.filter(slug="ban-sao-ngoai").exists()


def test_an_editor_can_copy_their_own_page_within_their_section(sides, editor_client):
    own = sides[OWN]
    editor_client.post(f"/admin/pages/{own.page.pk}/copy/", _copy_data(own, own.section, "ban-sao-cua-minh"))
    assert Page.objects.child_of(own.section).filter(slug="ban-sao-cua-minh").exists()


def test_an_editor_cannot_edit_another_agencys_page(sides, editor_client):
    foreign = sides[FOREIGN]
    data = {**_preview_data(foreign), "title": "Bị sửa trái phép", "action-publish": "1"}
    editor_client.post(f"/admin/pages/{foreign.page.pk}/edit/", data)
    foreign.page.refresh_from_db()
    assert foreign.page.latest_revision.content["title"] != "Bị sửa trái phép"


def test_an_editor_can_save_a_draft_of_their_own_page(sides, editor_client):
    own = sides[OWN]
    data = {**_preview_data(own), "title": "Sửa hợp lệ"}
    editor_client.post(f"/admin/pages/{own.page.pk}/edit/", data)
    own.page.refresh_from_db()
    assert own.page.latest_revision.content["title"] == "Sửa hợp lệ"


def test_an_editor_cannot_move_another_agencys_page_into_their_section(sides, editor_client):
    foreign, own = sides[FOREIGN], sides[OWN]
    editor_client.post(f"/admin/pages/{foreign.page.pk}/move/{own.section.pk}/confirm/")
    assert foreign.page.get_parent().specific.pk == foreign.section.pk
    assert Page.objects.get(pk=foreign.page.pk).get_parent().pk == foreign.section.pk


@pytest.mark.parametrize("action", ["delete", "unpublish"])
def test_an_editor_cannot_take_down_another_agencys_page(action, sides, editor_client):
    foreign = sides[FOREIGN]
    editor_client.post(f"/admin/pages/{foreign.page.pk}/{action}/")
    assert Page.objects.filter(pk=foreign.page.pk, live=True).exists()


def test_an_editor_cannot_lock_another_agencys_page(sides, editor_client):
    foreign = sides[FOREIGN]
    editor_client.post(f"/admin/pages/{foreign.page.pk}/lock/")
    assert not Page.objects.get(pk=foreign.page.pk).locked


def test_an_editor_cannot_add_a_page_under_another_agencys_section(sides, editor_client):
    foreign = sides[FOREIGN]
    url = f"/admin/pages/add/news57/articlepage/{foreign.section.pk}/"
    editor_client.post(url, {"title": "Bài cài cắm", "slug": "bai-cai-cam", "date": "2025-08-12 10:00"})
    assert not Page.objects.filter(slug="bai-cai-cam").exists()


def test_an_editor_cannot_change_another_agencys_image(sides, editor_client):
    foreign = sides[FOREIGN]
    editor_client.post(
        f"/admin/images/{foreign.image.pk}/",
        {"title": "Ảnh bị sửa", "collection": foreign.collection.pk, "tags": ""},
    )
    foreign.image.refresh_from_db()
    assert foreign.image.title != "Ảnh bị sửa"


def test_an_editor_cannot_delete_another_agencys_document(sides, editor_client):
    foreign = sides[FOREIGN]
    editor_client.post(f"/admin/documents/delete/{foreign.document.pk}/")
    assert get_document_model().objects.filter(pk=foreign.document.pk).exists()


def test_an_editor_cannot_move_their_image_into_another_agencys_collection(sides, editor_client):
    own, foreign = sides[OWN], sides[FOREIGN]
    editor_client.post(
        f"/admin/images/{own.image.pk}/", {"title": own.image.title, "collection": foreign.collection.pk, "tags": ""}
    )
    own.image.refresh_from_db()
    assert own.image.collection_id == own.collection.pk


def test_a_superuser_still_sees_every_agencys_pages_in_the_chooser(sides, client, make_user):
    client.force_login(make_user("root", superuser=True))
    response = client.get("/admin/choose-page/search/?q=zebra")
    assert sides[FOREIGN].marker in body(response) and sides[OWN].marker in body(response)


def test_a_superuser_still_sees_every_agencys_images_in_the_chooser(sides, client, make_user):
    client.force_login(make_user("root", superuser=True))
    response = client.get("/admin/images/chooser/results/?q=zebra")
    assert sides[FOREIGN].marker in body(response) and sides[OWN].marker in body(response)


@pytest.mark.parametrize("action", ["delete", "unpublish"])
def test_an_editor_cannot_take_down_another_agencys_page_through_bulk_actions(action, sides, leader_of, client):
    foreign = sides[FOREIGN]
    client.force_login(leader_of(OWN))
    client.post(f"/admin/bulk/wagtailcore/page/{action}/?id={foreign.page.pk}", {"include_descendants": ""})
    assert Page.objects.filter(pk=foreign.page.pk, live=True).exists()


def test_an_editor_cannot_delete_another_agencys_image_through_bulk_actions(sides, leader_of, client):
    foreign = sides[FOREIGN]
    client.force_login(leader_of(OWN))
    client.post(f"/admin/bulk/wagtailimages/image/delete/?id={foreign.image.pk}")
    assert get_image_model().objects.filter(pk=foreign.image.pk).exists()


def test_an_editor_cannot_delete_another_agencys_document_through_bulk_actions(sides, leader_of, client):
    foreign = sides[FOREIGN]
    client.force_login(leader_of(OWN))
    client.post(f"/admin/bulk/wagtaildocs/document/delete/?id={foreign.document.pk}")
    assert get_document_model().objects.filter(pk=foreign.document.pk).exists()


def test_a_leader_can_delete_their_own_image_through_bulk_actions(sides, leader_of, client):
    own = sides[OWN]
    client.force_login(leader_of(OWN))
    client.post(f"/admin/bulk/wagtailimages/image/delete/?id={own.image.pk}")
    assert not get_image_model().objects.filter(pk=own.image.pk).exists()


def test_an_editor_cannot_rename_another_agencys_image_through_the_multiple_upload_form(sides, editor_client):
    foreign = sides[FOREIGN]
    editor_client.post(
        f"/admin/images/multiple/{foreign.image.pk}/",
        {f"image-{foreign.image.pk}-title": "Ảnh bị sửa", f"image-{foreign.image.pk}-collection": foreign.collection.pk},
    )
    foreign.image.refresh_from_db()
    assert foreign.image.title != "Ảnh bị sửa"


def test_an_editor_cannot_revert_another_agencys_page_to_an_old_revision(sides, editor_client):
    foreign = sides[FOREIGN]
    response = editor_client.get(
        f"/admin/pages/{foreign.page.pk}/revisions/{foreign.page.live_revision_id}/revert/", follow=True
    )
    assert response.status_code in (403, 404) or foreign.marker not in body(response)


def test_an_editor_cannot_preview_a_new_page_under_another_agencys_section(sides, editor_client):
    foreign = sides[FOREIGN]
    url = f"/admin/pages/add/news57/articlepage/{foreign.section.pk}/preview/"
    response = editor_client.post(url, {**_preview_data(foreign), "slug": "xem-truoc"})
    assert response.status_code in (302, 403, 404)


def test_an_editor_cannot_preview_another_agencys_page_awaiting_approval(sides, editor_client, editor_of):
    foreign = sides[FOREIGN]
    workflow = foreign.page.get_workflow()
    state = workflow.start(foreign.page, editor_of(FOREIGN))
    task = state.current_task_state.task
    response = editor_client.get(f"/admin/pages/workflow/preview/{foreign.page.pk}/{task.pk}/", follow=True)
    assert response.status_code in (403, 404) or foreign.marker not in body(response)


def test_wagtails_default_groups_give_no_agency_editor_extra_reach(sides, editor_of):
    editor = editor_of(OWN)
    assert not editor.groups.filter(name__in=["Biên tập viên", "Người kiểm duyệt"]).exists()
    assert {p.page_id for p in GroupPagePermission.objects.filter(group__user=editor)} == {sides[OWN].home.pk}
