"""The admin's reports show each agency only its own rows, and a province's supervisor only its province's.

Every report is read four ways (the page, its results fragment, CSV and XLSX)
by an editor and a leader of Thanh tra tỉnh Lạng Sơn and by Lạng Sơn's
supervisor. Văn phòng UBND tỉnh Lai Châu's pages, publications, workflows and
people must never show; Thanh tra's own must (the twin, so a report that shows
nothing fails too). Xã Hoàng Văn Thụ, in the same province, shows only to the
supervisor.
"""

import csv
import importlib
from dataclasses import dataclass
from io import BytesIO, StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.admin.menu import reports_menu
from wagtail.models import ModelLogEntry, Page

from news57.admin import reports
from news57.models import ArticlePage, DirectiveDocument, Publication, PublicationLogEntry
from news57.republishing import actions

OWN, SIBLING, FOREIGN = "thanhtra-langson", "hoangvanthu", "vpubnd-laichau"
PROVINCE = "langson"
MARKERS = {OWN: "zebrathanhtra", SIBLING: "zebrahoangvanthu", FOREIGN: "zebralaichau"}
# What of Lai Châu could leak besides its marker: its agency's and groups' names, its people's usernames.
FOREIGN_NAMES = ["Lai Châu", "laichau"]

REPORTS = {
    "site history": "/admin/reports/site-history/",
    "page types usage": "/admin/reports/page-types-usage/",
    "workflows": "/admin/reports/workflow/",
    "workflow tasks": "/admin/reports/workflow_tasks/",
    "aging pages": "/admin/reports/aging-pages/",
    "locked pages": "/admin/reports/locked/",
}
FORMATS = {"page": "", "results": "results/", "csv": "?export=csv", "xlsx": "?export=xlsx"}
ROLES = ["editor", "leader", "supervisor"]


@dataclass
class Side:
    marker: str
    page_id: int
    publication_id: int


def _author(setup, slug):
    author = get_user_model().objects.create_user(f"{slug}-author", password="x")
    author.groups.add(setup.editors, setup.leaders)
    return author


def _content(setup, slug):
    """A published article, then edited, locked and sent for approval, and a document published on the site."""
    marker, author = MARKERS[slug], _author(setup, slug)
    article = setup.section.add_child(
        instance=ArticlePage(title=f"Bài {marker}", slug=f"bai-{marker}", lead="Tóm tắt")
    )
    article.save_revision(user=author).publish(user=author)
    article.title = f"Bài sửa {marker}"
    article.save_revision(user=author, log_action=True)
    Page.objects.filter(pk=article.pk).update(locked=True, locked_by=author, locked_at=timezone.now())
    article.get_workflow().start(article, author)
    document = DirectiveDocument.objects.create(title=f"Kế hoạch {marker}", issuer=setup.agency)
    publication = actions.republish(document, setup.site, author)
    return Side(marker, article.pk, publication.pk)


@pytest.fixture(scope="module")
def made_sides(module_platform, django_db_blocker):
    """Made once for the module; Lai Châu's last, so an unscoped report would show its article as the latest."""
    with django_db_blocker.unblock():
        platform = module_platform.fresh()
        return {slug: _content(platform[slug], slug) for slug in (SIBLING, OWN, FOREIGN)}


@pytest.fixture
def sides(platform, made_sides):
    return made_sides


@pytest.fixture
def viewer(editor_of, leader_of, supervisor_of):
    def make(role):
        if role == "supervisor":
            return supervisor_of(PROVINCE)
        return {"editor": editor_of, "leader": leader_of}[role](OWN)

    return make


def shown(response):
    """What a person reads in the response: the page's HTML, the CSV's text, or every cell of the workbook."""
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = load_workbook(BytesIO(data), read_only=True)
        rows = (row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
        return "\n".join(str(cell) for row in rows for cell in row if cell is not None)
    return data.decode()


def read(client, user, report, form):
    client.force_login(user)
    response = client.get(REPORTS[report] + FORMATS[form])
    assert response.status_code == 200, (report, form, response.status_code)
    return shown(response)


@pytest.mark.parametrize("form", FORMATS)
@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("role", ROLES)
def test_a_report_never_shows_another_provinces_rows(role, report, form, sides, viewer, client):
    text = read(client, viewer(role), report, form)
    assert MARKERS[FOREIGN] not in text
    assert not [name for name in FOREIGN_NAMES if name in text]


@pytest.mark.parametrize("form", FORMATS)
@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("role", ROLES)
def test_a_report_shows_the_viewers_own_agencys_rows(role, report, form, sides, viewer, client):
    assert MARKERS[OWN] in read(client, viewer(role), report, form)


@pytest.mark.parametrize("form", FORMATS)
@pytest.mark.parametrize("report", REPORTS)
@pytest.mark.parametrize("role", ["editor", "leader"])
def test_a_report_hides_another_agency_of_the_same_province_from_an_agency(role, report, form, sides, viewer, client):
    assert MARKERS[SIBLING] not in read(client, viewer(role), report, form)


@pytest.mark.parametrize("report", ["site history", "workflows", "aging pages", "locked pages"])
def test_a_report_shows_the_supervisor_every_agency_of_the_province(report, sides, viewer, client):
    assert MARKERS[SIBLING] in read(client, viewer("supervisor"), report, "csv")


@pytest.mark.parametrize("role", ROLES)
def test_the_site_history_links_a_publication_to_its_inspect_view(role, sides, viewer, client):
    """It answered 500 to editors: Wagtail looked for a publication edit view, which does not exist."""
    client.force_login(viewer(role))
    response = client.get(REPORTS["site history"])
    assert response.status_code == 200
    inspect = reverse("news57_publications:inspect", args=[sides[OWN].publication_id])
    assert f'href="{inspect}"' in response.content.decode()


def test_the_site_history_user_filter_names_only_the_agencys_people(sides, viewer, client):
    client.force_login(viewer("editor"))
    users = client.get(REPORTS["site history"]).context["filters"].filters["user"].extra["queryset"]
    assert set(users.values_list("username", flat=True)) == {f"{OWN}-author"}


def test_the_site_history_user_filter_names_the_provinces_people_to_its_supervisor(sides, viewer, client):
    client.force_login(viewer("supervisor"))
    users = client.get(REPORTS["site history"]).context["filters"].filters["user"].extra["queryset"]
    assert set(users.values_list("username", flat=True)) == {f"{OWN}-author", f"{SIBLING}-author"}


def test_the_site_history_filters_by_a_publications_type(sides, viewer, client):
    client.force_login(viewer("supervisor"))
    publication_type = ContentType.objects.get_for_model(Publication)
    text = shown(client.get(REPORTS["site history"], {"object_type": publication_type.pk, "export": "csv"}))
    assert f"Kế hoạch {MARKERS[OWN]}" in text and f"Bài {MARKERS[OWN]}" not in text


def test_the_page_types_usage_counts_only_the_agencys_pages(sides, viewer, client):
    client.force_login(viewer("editor"))
    _headings, *rows = csv.reader(StringIO(shown(client.get(REPORTS["page types usage"], {"export": "csv"}))))
    counts = {model: count for _type, model, count, *_last_edit in rows}
    assert counts["news57.articlepage"] == "1"


def test_the_page_types_usage_offers_only_the_users_own_sites(sides, viewer, client):
    client.force_login(viewer("supervisor"))
    choices = client.get(REPORTS["page types usage"]).context["filters"].filters["site"].extra["choices"]
    assert {label for _path, label in choices} == {"Thanh tra tỉnh Lạng Sơn", "Ủy ban nhân dân xã Hoàng Văn Thụ",
                                                   "Ủy ban nhân dân tỉnh Lạng Sơn"}


@pytest.mark.parametrize("report", REPORTS)
def test_a_report_stays_closed_to_someone_with_only_admin_access(report, sides, make_user, client):
    from django.contrib.auth.models import Permission

    user = make_user("visitor")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(REPORTS[report]).status_code in (302, 403)


@pytest.mark.parametrize("name", ["locked_pages", "workflow", "workflow_tasks", "site_history", "aging_pages",
                                  "page_types_usage"])
def test_wagtails_report_url_names_lead_to_the_scoped_reports(name):
    for url_name in (name, f"{name}_results"):
        match = resolve(reverse(f"wagtailadmin_reports:{url_name}"))
        assert match.func.view_class.__module__ == reports.__name__, url_name
        assert match.func.view_initkwargs.get("results_only", False) == url_name.endswith("_results")


def _menu_for(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return reports_menu.menu_items_for_request(request)


@pytest.mark.parametrize("role", ROLES)
def test_the_reports_menu_links_every_scoped_report(role, viewer):
    items = _menu_for(viewer(role))
    assert {item.name for item in items} >= reports.REPORT_NAMES
    assert all(isinstance(item, reports.ReportMenuItem) for item in items if item.name in reports.REPORT_NAMES)
    assert {item.url for item in items} >= set(REPORTS.values())


def test_the_reports_menu_links_no_report_to_someone_who_cannot_open_one(make_user):
    assert not {item.name for item in _menu_for(make_user("visitor"))} & reports.REPORT_NAMES


def test_a_publications_actions_are_logged_in_its_own_log(platform, editor_of):
    editor = editor_of(OWN)
    document = DirectiveDocument.objects.create(title="Kế hoạch nhật ký", issuer=platform[OWN].agency)
    publication = actions.republish(document, platform[OWN].site, editor)
    actions.withdraw(publication, editor, "Hết hiệu lực")
    logged = PublicationLogEntry.objects.filter(publication=publication).order_by("timestamp", "pk")
    assert [(entry.action, entry.user, entry.data["site"]) for entry in logged] == [
        (actions.PUBLISH, editor, platform[OWN].site.pk),
        (actions.WITHDRAW, editor, platform[OWN].site.pk),
    ]
    assert not ModelLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Publication)).exists()


def test_the_migration_moves_publication_entries_out_of_wagtails_generic_log(platform, editor_of):
    migration = importlib.import_module("news57.migrations.0007_publication_log")
    editor = editor_of(OWN)
    document = DirectiveDocument.objects.create(title="Kế hoạch cũ", issuer=platform[OWN].agency)
    publication = Publication.objects.create(document=document, site=platform[OWN].site)
    old = ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Publication),
        object_id=str(publication.pk),
        label=str(publication),
        action=actions.PUBLISH,
        timestamp=timezone.now(),
        user=editor,
        data={"site": publication.site_id},
    )
    other = ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(DirectiveDocument),
        object_id=str(document.pk),
        label=str(document),
        action="wagtail.create",
        timestamp=timezone.now(),
    )

    migration.move_into_publication_log(apps, None)

    moved = PublicationLogEntry.objects.get(publication=publication)
    assert (moved.action, moved.user, moved.timestamp, moved.label) == (old.action, editor, old.timestamp, old.label)
    assert list(ModelLogEntry.objects.values_list("pk", flat=True)) == [other.pk]

    migration.move_back_into_model_log(apps, None)

    assert not PublicationLogEntry.objects.exists()
    assert ModelLogEntry.objects.filter(object_id=str(publication.pk), action=actions.PUBLISH, user=editor).exists()


def test_a_publications_history_still_shows_its_log(sides, viewer, client):
    client.force_login(viewer("editor"))
    history = client.get(reverse("news57_publications:history", args=[sides[OWN].publication_id]))
    assert history.status_code == 200
    assert str(PublicationLogEntry.objects.get(publication_id=sides[OWN].publication_id).message) in history.content.decode()
