"""Directive documents and their publications through the admin's own URLs: who sees, changes and publishes what.

The cast: an editor of xã Hoàng Văn Thụ (a commune of Lạng Sơn), whose
neighbour Thanh tra tỉnh Lạng Sơn has a site of its own; the province's
People's Committee, which enters provincial documents; the Lạng Sơn and Lai
Châu supervisors, each of whom must see only their own province.
"""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from news57.republishing import actions
from news57.admin.documents import PublicationViewSet
from news57.models import DirectiveDocument, Publication, PublicationLogEntry, PublicationStatus

DOCUMENTS = DirectiveDocument.snippet_viewset
PUBLICATIONS = PublicationViewSet()
ADMIN_HOME = "/admin/"


def document_url(name, document=None):
    return reverse(DOCUMENTS.get_url_name(name), args=[document.pk] if document else [])


def publication_url(name, publication=None):
    return reverse(PUBLICATIONS.get_url_name(name), args=[publication.pk] if publication else [])


def action_url(publication, action):
    return reverse(PUBLICATIONS.get_url_name("action"), args=[publication.pk, action])


@pytest.fixture
def provincial(platform):
    """A plan the province's People's Committee entered by hand."""
    langson = platform["langson"].agency
    return DirectiveDocument.objects.create(
        code="211/KH-UBND",
        title="Kế hoạch số 211/KH-UBND ngày 12/8/2025 của UBND tỉnh Lạng Sơn",
        issuer=langson,
        entered_by=langson,
    )


@pytest.fixture
def from_feed(platform):
    return DirectiveDocument.objects.create(
        code="57-NQ/TW",
        title="Nghị quyết số 57-NQ/TW về đột phá phát triển khoa học, công nghệ",
        issuer=platform["bo-chinh-tri"].agency,
        entered_by=None,
    )


@pytest.fixture
def hoangvanthu_editor(editor_of, client):
    user = editor_of("hoangvanthu")
    client.force_login(user)
    return user


def publication_on(platform, slug, document, status=PublicationStatus.PUBLISHED, **fields):
    published = status in (PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN)
    return Publication.objects.create(
        document=document,
        site=platform[slug].site,
        status=status,
        published_at=datetime(2025, 8, 13, 1, 30, tzinfo=UTC) if published else None,
        **fields,
    )


def document_form(issuer, **overrides):
    data = {
        "code": "12/KH-UBND",
        "doc_type": "KH",
        "issuer": issuer.pk,
        "signer": "Nguyễn Văn A",
        "title": "Kế hoạch số 12/KH-UBND ngày 03/03/2025 về chuyển đổi số",
        "summary": "Triển khai Nghị quyết 57 trên địa bàn xã",
        "issued_on": "2025-03-03",
        "effective_on": "",
        "body": rich_text("<p>Nội dung kế hoạch</p>"),
        "attachments": inline_formset([]),
        "legal_status": "in_force",
        "replaced_by": "",
        "source_url": "",
        "source_published_at": "",
        **overrides,
    }
    return nested_form_data(data)


# Documents: everyone sees, only the entering agency changes


def test_editor_of_a_commune_can_republish_a_provincial_document_on_their_site(
    platform, provincial, hoangvanthu_editor, client
):
    response = client.post(document_url("republish", provincial), {"site": platform["hoangvanthu"].site.pk})

    assert response.status_code == 302
    publication = Publication.objects.get(document=provincial)
    assert (publication.site, publication.status) == (platform["hoangvanthu"].site, PublicationStatus.PUBLISHED)
    assert publication.published_by == hoangvanthu_editor


def test_republishing_tells_the_editor_in_vietnamese(platform, provincial, hoangvanthu_editor, client):
    response = client.post(
        document_url("republish", provincial), {"site": platform["hoangvanthu"].site.pk}, follow=True
    )

    assert "đã được đăng trên Ủy ban nhân dân xã Hoàng Văn Thụ" in response.content.decode()


def test_republishing_twice_leaves_one_publication(platform, provincial, hoangvanthu_editor, client):
    for _attempt in range(2):
        client.post(document_url("republish", provincial), {"site": platform["hoangvanthu"].site.pk})

    assert Publication.objects.filter(document=provincial).count() == 1
    assert PublicationLogEntry.objects.filter(action=actions.PUBLISH).count() == 1


def test_an_editor_of_two_agencies_chooses_the_site_to_republish_on(platform, provincial, make_user, client):
    user = make_user("two-hats", platform["hoangvanthu"].editors, platform["thanhtra-langson"].editors)
    client.force_login(user)

    form = client.get(document_url("republish", provincial)).content.decode()
    client.post(document_url("republish", provincial), {"site": platform["thanhtra-langson"].site.pk})

    assert f'value="{platform["hoangvanthu"].site.pk}"' in form
    assert f'value="{platform["thanhtra-langson"].site.pk}"' in form
    assert Publication.objects.get(document=provincial).site == platform["thanhtra-langson"].site


def test_editor_cannot_republish_on_another_agencys_site(platform, provincial, hoangvanthu_editor, client):
    response = client.post(document_url("republish", provincial), {"site": platform["thanhtra-langson"].site.pk})

    assert response.status_code == 200
    assert not Publication.objects.filter(document=provincial).exists()


def test_supervisor_cannot_republish(platform, provincial, supervisor_of, client):
    client.force_login(supervisor_of("langson"))

    response = client.post(document_url("republish", provincial), {"site": platform["langson"].site.pk})

    assert response.status_code in (302, 403)
    assert response.get("Location", ADMIN_HOME) == ADMIN_HOME
    assert not Publication.objects.exists()


def test_editor_sees_another_agencys_document_with_republish_but_no_edit_link(
    provincial, hoangvanthu_editor, client
):
    listing = client.get(document_url("list")).content.decode()

    assert provincial.title in listing
    assert document_url("republish", provincial) in listing
    assert document_url("edit", provincial) not in listing
    assert document_url("delete", provincial) not in listing


def test_editor_cannot_open_the_edit_view_of_another_agencys_document(provincial, hoangvanthu_editor, client):
    response = client.get(document_url("edit", provincial))

    assert response.status_code in (302, 403)
    assert response.get("Location", ADMIN_HOME) == ADMIN_HOME


def test_editor_cannot_change_another_agencys_document_by_posting(platform, provincial, hoangvanthu_editor, client):
    client.post(document_url("edit", provincial), document_form(platform["langson"].agency, title="Đã bị sửa"))

    provincial.refresh_from_db()
    assert provincial.title.startswith("Kế hoạch số 211/KH-UBND")


def test_editor_cannot_delete_another_agencys_document(provincial, hoangvanthu_editor, client):
    client.post(document_url("delete", provincial))

    assert DirectiveDocument.objects.filter(pk=provincial.pk).exists()


def test_an_agency_cannot_delete_its_document_while_another_site_carries_it(
    platform, provincial, leader_of, client
):
    publication_on(platform, "hoangvanthu", provincial)
    client.force_login(leader_of("langson"))

    client.post(document_url("delete", provincial))

    assert DirectiveDocument.objects.filter(pk=provincial.pk).exists()


def test_an_agency_can_delete_its_document_no_other_site_carries(platform, provincial, leader_of, client):
    publication_on(platform, "langson", provincial)
    client.force_login(leader_of("langson"))

    client.post(document_url("delete", provincial))

    assert not DirectiveDocument.objects.filter(pk=provincial.pk).exists()


def test_editor_cannot_change_a_document_a_feed_brought(platform, from_feed, leader_of, client):
    client.force_login(leader_of("langson"))

    response = client.get(document_url("edit", from_feed))

    assert response.status_code in (302, 403)


def test_superuser_can_change_a_document_a_feed_brought(from_feed, make_user, client):
    client.force_login(make_user("root", superuser=True))

    assert client.get(document_url("edit", from_feed)).status_code == 200


def test_leader_of_langson_can_edit_a_document_langson_entered(platform, provincial, leader_of, client):
    client.force_login(leader_of("langson"))
    form = document_form(
        platform["langson"].agency, code="211/KH-UBND", title="Kế hoạch số 211/KH-UBND (sửa đổi trích yếu)"
    )

    response = client.post(document_url("edit", provincial), form)

    assert response.status_code == 302
    provincial.refresh_from_db()
    assert provincial.title == "Kế hoạch số 211/KH-UBND (sửa đổi trích yếu)"


def test_editor_creates_a_document_entered_by_their_agency(platform, hoangvanthu_editor, client):
    response = client.post(document_url("add"), document_form(platform["hoangvanthu"].agency))

    assert response.status_code == 302
    document = DirectiveDocument.objects.get(code="12/KH-UBND")
    assert document.entered_by == platform["hoangvanthu"].agency
    assert document.year == 2025


def test_an_editor_may_change_the_document_their_agency_created(platform, hoangvanthu_editor, client):
    client.post(document_url("add"), document_form(platform["hoangvanthu"].agency))
    document = DirectiveDocument.objects.get(code="12/KH-UBND")

    assert client.get(document_url("edit", document)).status_code == 200


def test_supervisor_sees_documents_but_cannot_open_the_editor(provincial, supervisor_of, client):
    client.force_login(supervisor_of("langson"))

    assert provincial.title in client.get(document_url("list")).content.decode()
    assert client.get(document_url("edit", provincial)).status_code in (302, 403)
    assert client.get(document_url("add")).status_code in (302, 403)


def test_hostile_code_and_title_show_escaped_in_the_listing(platform, hoangvanthu_editor, client):
    DirectiveDocument.objects.create(
        code="<script>alert(1)</script>",
        title="Kế hoạch <script>alert(2)</script>",
        issuer=platform["langson"].agency,
        entered_by=platform["langson"].agency,
    )

    listing = client.get(document_url("list")).content.decode()

    assert "<script>alert" not in listing
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in listing


def test_search_finds_a_document_typed_without_diacritics(provincial, from_feed, hoangvanthu_editor, client):
    listing = client.get(document_url("list"), {"q": "ke hoach"}).content.decode()

    assert provincial.title in listing
    assert from_feed.title not in listing


# Publications: own site managed, province supervised, the rest invisible


@pytest.fixture
def neighbours(platform, provincial):
    """The same plan on the commune's site (queued), Thanh tra's site and Lai Châu's."""
    return {
        "own": publication_on(platform, "hoangvanthu", provincial, PublicationStatus.QUEUED),
        "thanhtra": publication_on(platform, "thanhtra-langson", provincial),
        "laichau": publication_on(platform, "vpubnd-laichau", provincial),
    }


def test_editor_lists_only_their_own_sites_publications(neighbours, hoangvanthu_editor, client):
    listing = client.get(publication_url("index")).content.decode()

    assert publication_url("inspect", neighbours["own"]) in listing
    assert publication_url("inspect", neighbours["thanhtra"]) not in listing
    assert publication_url("inspect", neighbours["laichau"]) not in listing


@pytest.mark.parametrize("view", ["inspect", "history"])
def test_editor_cannot_open_thanh_tras_publication(neighbours, hoangvanthu_editor, client, view):
    assert client.get(publication_url(view, neighbours["thanhtra"])).status_code == 404
    assert client.get(publication_url(view, neighbours["own"])).status_code == 200


def test_editor_cannot_withdraw_thanh_tras_publication(neighbours, hoangvanthu_editor, client):
    response = client.post(action_url(neighbours["thanhtra"], "withdraw"), {"reason": "Không phù hợp"})

    assert response.status_code == 404
    neighbours["thanhtra"].refresh_from_db()
    assert neighbours["thanhtra"].status == PublicationStatus.PUBLISHED


def test_editor_publishes_a_queued_publication_of_their_site(neighbours, hoangvanthu_editor, client):
    response = client.post(action_url(neighbours["own"], "publish"))

    assert response.status_code == 302
    neighbours["own"].refresh_from_db()
    assert neighbours["own"].status == PublicationStatus.PUBLISHED


def test_langson_supervisor_sees_langson_publications_and_not_lai_chau(neighbours, supervisor_of, client):
    client.force_login(supervisor_of("langson"))

    listing = client.get(publication_url("index")).content.decode()

    assert publication_url("inspect", neighbours["own"]) in listing
    assert publication_url("inspect", neighbours["thanhtra"]) in listing
    assert publication_url("inspect", neighbours["laichau"]) not in listing
    assert client.get(publication_url("inspect", neighbours["laichau"])).status_code == 404


def test_superuser_sees_every_publication(neighbours, make_user, client):
    client.force_login(make_user("root", superuser=True))

    listing = client.get(publication_url("index")).content.decode()

    assert all(publication_url("inspect", publication) in listing for publication in neighbours.values())


def test_supervisor_reads_publications_but_cannot_act_on_them(neighbours, supervisor_of, client):
    client.force_login(supervisor_of("langson"))

    listing = client.get(publication_url("index")).content.decode()
    response = client.post(action_url(neighbours["own"], "publish"))

    assert action_url(neighbours["own"], "publish") not in listing
    assert response.status_code == 404
    neighbours["own"].refresh_from_db()
    assert neighbours["own"].status == PublicationStatus.QUEUED


def test_publication_times_show_in_vietnam_time(neighbours, leader_of, client):
    client.force_login(leader_of("thanhtra-langson"))

    listing = client.get(publication_url("index")).content.decode()

    assert "13/08/2025 08:30" in listing


@pytest.mark.parametrize(
    ("status", "action", "posted", "logged"),
    [
        (PublicationStatus.QUEUED, "publish", {}, actions.PUBLISH),
        (PublicationStatus.QUEUED, "decline", {"reason": "Không thuộc phạm vi của xã"}, actions.DECLINE),
        (PublicationStatus.PUBLISHED, "withdraw", {"reason": "Văn bản đã bị thay thế"}, actions.WITHDRAW),
    ],
)
def test_every_publication_action_lands_in_the_audit_log(
    platform, provincial, hoangvanthu_editor, client, status, action, posted, logged
):
    publication = publication_on(platform, "hoangvanthu", provincial, status)

    client.post(action_url(publication, action), posted)

    entry = PublicationLogEntry.objects.get(action=logged, publication=publication)
    assert entry.user == hoangvanthu_editor
    assert entry.data.get("reason", "") == posted.get("reason", "")


def test_the_publications_history_shows_its_actions(platform, provincial, hoangvanthu_editor, client):
    publication = publication_on(platform, "hoangvanthu", provincial, PublicationStatus.QUEUED)
    client.post(action_url(publication, "decline"), {"reason": "Không thuộc phạm vi của xã"})

    history = client.get(publication_url("history", publication)).content.decode()

    entry = PublicationLogEntry.objects.get(action=actions.DECLINE)
    assert str(entry.message) in history


def test_decline_requires_a_reason(neighbours, hoangvanthu_editor, client):
    response = client.post(action_url(neighbours["own"], "decline"), {"reason": "   "})

    assert response.status_code == 200
    neighbours["own"].refresh_from_db()
    assert neighbours["own"].status == PublicationStatus.QUEUED
    assert not PublicationLogEntry.objects.filter(action=actions.DECLINE).exists()


def test_only_a_live_publication_can_be_withdrawn(neighbours, hoangvanthu_editor, client):
    response = client.post(action_url(neighbours["own"], "withdraw"), {"reason": "Nhầm"}, follow=True)

    neighbours["own"].refresh_from_db()
    assert neighbours["own"].status == PublicationStatus.QUEUED
    assert not PublicationLogEntry.objects.filter(action=actions.WITHDRAW).exists()
    assert "Chỉ có thể gỡ văn bản đang được đăng" in response.content.decode()


def test_an_unknown_action_is_not_found(neighbours, hoangvanthu_editor, client):
    assert client.post(action_url(neighbours["own"], "delete")).status_code == 404


def test_publications_cannot_be_edited_through_a_form(neighbours, hoangvanthu_editor, client):
    listing = client.get(publication_url("index")).content.decode()

    assert "/admin/publications/edit/" not in listing
    assert client.get(f"/admin/publications/edit/{neighbours['own'].pk}/").status_code == 404
