"""The walk: every admin URL the resolver knows, as Lạng Sơn's people, against Lai Châu's objects.

Every admin URL pattern — ours and Wagtail's — is filled from ARGUMENTS with a
Lai Châu object (Văn phòng UBND tỉnh Lai Châu's page, image, document,
collection, publication, source, subscription, user, workflow…); a pattern the
table cannot fill fails the walk, so a new screen cannot slip past. Query-string
doors are walked too: `?id=` for every registered bulk action, `?q=` on every
URL without an object in its path, `?export=csv|xlsx` on every view that can
export.

Each foreign request has a twin with the walker's own object (Thanh tra tỉnh
Lạng Sơn's, in the walker's province), which must answer 200 and show the own
marker, unless EXPECTED says this role may not use that screen at all (then the
twin must be refused too) or that the screen shows no object. The foreign
request must not show the Lai Châu marker in any form (page, CSV, XLSX), must
not answer 500, and its POST must leave every table as it was.

Directive documents, topics, deadline rules and agencies are shared by design
(every agency republishes every directive); they carry neither marker, except
a provisional document (entered under an issuer its agency is not
authoritative for), which is its agency's alone: the walk's documents are those.

Each role walks in its own module (test_walk_<role>.py), so that the suite's
processes share the four walks instead of one process taking them all.
"""

import fnmatch
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import override_settings
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.admin.models import EditingSession
from wagtail.models import UploadedFile, Workflow

from news57.models import (
    ArticlePage,
    CalendarDay,
    DeadlineRule,
    DirectiveDocument,
    Publication,
    PublicationStatus,
    ReportDeadline,
    Source,
    SourceEntry,
    Subscription,
    Topic,
)
from news57.republishing.actions import republish
from shown import shown_text

FOREIGN, OWN = "vpubnd-laichau", "thanhtra-langson"
FOREIGN_MARK, OWN_MARK = "lcmarkq", "lsmarkq"
# In every private name of both sides: what the ?q= doors search for. Searching for a marker
# itself would find it echoed in the search box.
SEARCHED = "zebra"


@dataclass
class Side:
    """One agency's objects, by the kinds ARGUMENTS names."""

    mark: str
    ids: dict = field(default_factory=dict)


def _png(name):
    buffer = BytesIO()
    PILImage.new("RGB", (24, 16), "blue").save(buffer, "PNG")
    return ImageFile(buffer, name=name)


def _side(setup, side_mark, shared):
    """Everything private an agency has, each carrying the agency's marker."""
    mark = f"{SEARCHED} {side_mark}"
    slug_mark = f"{SEARCHED}-{side_mark}"
    User = get_user_model()
    person = User.objects.create_user(
        username=f"nguoi-{slug_mark}", first_name=f"Người {mark}", last_name="Biên tập", password="x"
    )
    person.groups.add(setup.editors, setup.leaders)
    for group in (setup.editors, setup.leaders):
        group.name = f"{group.name} {mark}"
        group.save()
    setup.site.site_name = f"Trang {mark}"
    setup.site.save()
    setup.collection.name = f"Thư viện {mark}"
    setup.collection.save()
    workflow = Workflow.objects.get(workflow_pages__page=setup.home)
    workflow.name = f"Phê duyệt {mark}"
    workflow.save()
    task = workflow.tasks.first().specific
    task.name = f"Duyệt {mark}"
    task.save()

    page = setup.section.add_child(instance=ArticlePage(title=f"Bài {mark}", slug=f"bai-{slug_mark}", lead="Tóm tắt"))
    page.save_revision(user=person).publish(user=person)
    page.title = f"Bài {mark} (bản nháp)"
    revision = page.save_revision(user=person)
    workflow_state = workflow.start(page, person)
    page = ArticlePage.objects.get(pk=page.pk)
    page.locked, page.locked_by, page.locked_at = True, person, timezone.now()
    page.save(update_fields=["locked", "locked_by", "locked_at"])

    image = get_image_model().objects.create(
        title=f"Ảnh {mark}", file=_png(f"{slug_mark}.png"), collection=setup.collection, uploaded_by_user=person
    )
    image.tags.add(f"the-{slug_mark}")
    document = get_document_model().objects.create(
        title=f"Tệp {mark}", file=ContentFile(b"%PDF-1.4 walk", name=f"{slug_mark}.pdf"), collection=setup.collection,
        uploaded_by_user=person,
    )
    document.tags.add(f"tep-{slug_mark}")
    uploaded = UploadedFile.objects.create(
        file=ContentFile(b"%PDF-1.4 upload", name=f"tai-len-{slug_mark}.pdf"),
        for_content_type=ContentType.objects.get_for_model(get_document_model()),
        uploaded_by_user=person,
    )
    redirect = Redirect.objects.create(old_path=f"/cu-{slug_mark}", site=setup.site, redirect_link="https://example.vn/")

    source = Source.objects.create(
        name=f"Nguồn {mark}", url=f"https://{slug_mark}.example.vn/rss", default_issuer=setup.agency, level="department"
    )
    subscription = Subscription.objects.create(source=source, agency=setup.agency, deadline_rule=shared["rule"])
    report_deadline = ReportDeadline.objects.create(
        agency=setup.agency, frequency="half_year", day=10, month=6, recipient=f"Nơi nhận {mark}",
        basis=f"Kế hoạch {mark}",
    )
    live = republish(shared["documents"][0], setup.site, person)
    waiting = DirectiveDocument.objects.create(
        code=f"{setup.agency.pk}/KH-VPUB", issuer=shared["issuer"], title=f"Văn bản chờ {SEARCHED} {setup.agency.pk}"
    )
    SourceEntry.objects.create(source=source, guid=f"urn:{slug_mark}", kind="document", document=waiting, title=waiting.title)
    pending = Publication.objects.create(
        document=waiting, site=setup.site, subscription=subscription, due_at=timezone.now() + timedelta(days=1)
    )
    # Declined with a reason of its own, due now: the promptness screens' drill-down and report list it.
    Publication.objects.create(
        document=DirectiveDocument.objects.create(
            code=f"{setup.agency.pk}/BC-VPUB", issuer=shared["issuer"], title=f"Văn bản từ chối {setup.agency.pk}"
        ),
        site=setup.site, status=PublicationStatus.DECLINED, reason=f"Lý do {mark}", due_at=timezone.now(),
        decided_at=timezone.now(),
    )  # fmt: skip
    # Entered under an issuer the agency is not authoritative for: provisional, so private to the agency.
    provisional = DirectiveDocument.objects.create(
        code=f"{setup.agency.pk}-NQ/TW", issuer=shared["issuer"], entered_by=setup.agency, title=f"Văn bản tạm {mark}"
    )
    assert provisional.is_provisional
    session = EditingSession.objects.create(
        user=person, content_type=ContentType.objects.get_for_model(page), object_id=str(page.pk),
        last_seen_at=timezone.now(),
    )
    return Side(
        side_mark,
        {
            "page": page.pk,
            "section": setup.section.pk,
            "revision": revision.pk,
            "workflow": workflow.pk,
            "task": task.pk,
            "workflow_state": workflow_state.pk,
            "task_state": workflow_state.current_task_state.pk,
            "image": image.pk,
            "document": document.pk,
            "uploaded_file": uploaded.pk,
            "collection": setup.collection.pk,
            "redirect": redirect.pk,
            "user": person.pk,
            "group": setup.editors.pk,
            "site": setup.site.pk,
            "source": source.pk,
            "subscription": subscription.pk,
            "report_deadline": report_deadline.pk,
            "publication": live.pk,
            "pending_publication": pending.pk,
            "editing_session": session.pk,
            "agency_slug": setup.agency.slug,
            "directive_document": provisional.pk,
            "directive_document_revision": provisional.save_revision(user=person, log_action=True).pk,
        },
    )


def _shared(platform):
    issuer = platform["chinh-phu"].agency
    documents = [
        DirectiveDocument.objects.create(code=f"{n}/QĐ-TTg", issuer=issuer, title=f"Văn bản chung {SEARCHED} số {n}")
        for n in (901, 902)
    ]
    return {
        "issuer": issuer,
        "documents": documents,
        "revision": documents[0].save_revision(),
        "rule": DeadlineRule.objects.create(name="Hạn chung", unit="hours", amount=24),
        "calendar_day": CalendarDay.objects.create(day=date(2025, 3, 15), kind="working", reason="Làm bù"),
        "topic": Topic.objects.create(name="Chủ đề chung"),
    }


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def sides(module_platform, django_db_blocker, media_root):
    with override_settings(MEDIA_ROOT=media_root):
        with django_db_blocker.unblock():
            platform = module_platform.fresh()
            shared = _shared(platform)
            made = {FOREIGN: _side(platform[FOREIGN], FOREIGN_MARK, shared), OWN: _side(platform[OWN], OWN_MARK, shared)}
            common = {
                "rule": shared["rule"].pk,
                "calendar_day": shared["calendar_day"].pk,
                "topic": shared["topic"].pk,
                "agency": platform[OWN].agency.pk,
            }
            for side in made.values():
                side.ids.update(common)
        yield made


# Which object fills an argument: (route glob, argument name) -> kind, the first match winning.
ARGUMENTS = [
    ("admin/pages/*", "pk", "page"),
    ("admin/api/main/^pages/*", "pk", "page"),
    ("admin/api/main/^images/*", "pk", "image"),
    ("admin/api/main/^documents/*", "pk", "document"),
    ("admin/collections/*", "pk", "collection"),
    ("admin/workflows/tasks/*", "pk", "task"),
    ("admin/workflows/*", "pk", "workflow"),
    ("admin/snippets/news57/topic/*", "pk", "topic"),
    ("admin/snippets/choose/news57/topic/*", "pk", "topic"),
    ("admin/snippets/news57/agency/*", "pk", "agency"),
    ("admin/snippets/choose/news57/agency/*", "pk", "agency"),
    ("admin/snippets/news57/directivedocument/*", "pk", "directive_document"),
    ("admin/snippets/choose/news57/directivedocument/*", "pk", "directive_document"),
    ("admin/snippets/news57/directivedocument/*", "revision_id", "directive_document_revision"),
    ("admin/publications/*", "pk", "publication"),
    ("admin/queue/*", "pk", "pending_publication"),
    ("admin/sources/*", "pk", "source"),
    ("admin/subscriptions/*", "pk", "subscription"),
    ("admin/report-deadlines/*", "pk", "report_deadline"),
    ("admin/deadline-rules/*", "pk", "rule"),
    ("admin/calendar-days/*", "pk", "calendar_day"),
    ("admin/sites/*", "pk", "site"),
    ("admin/users/*", "pk", "user"),
    ("admin/groups/*", "pk", "group"),
    ("admin/documents/*", "pk", "document"),
    ("admin/images/*", "pk", "image"),
    ("admin/settings/*", "pk", "site"),
    ("*", "page_id", "page"),
    ("*", "page_pk", "page"),
    ("*", "page_to_move_id", "page"),
    ("*", "parent_page_id", "section"),
    ("*", "destination_id", "section"),
    ("*", "revision_id", "revision"),
    ("*", "image_id", "image"),
    ("*", "document_id", "document"),
    ("*", "doc_id", "document"),
    ("*", "collection_id", "collection"),
    ("*", "uploaded_file_id", "uploaded_file"),
    ("*", "redirect_id", "redirect"),
    ("*", "workflow_pk", "workflow"),
    ("*", "task_id", "task"),
    ("*", "task_state_id", "task_state"),
    ("*", "workflow_state_id", "workflow_state"),
    ("*", "session_id", "editing_session"),
    ("*", "object_id", "page"),
    ("admin/supervision/*", "slug", "agency_slug"),
    ("admin/compliance/agency/*", "slug", "agency_slug"),
]

# Arguments that name no object: the same words for both sides.
CONSTANTS = {
    "revision_id_a": "earliest",
    "revision_id_b": "latest",
    "content_type_app_name": "news57",
    "content_type_model_name": "articlepage",
    "action_name": "approve",
    "filter_spec": "fill-10x10",
    "uidb64": "MQ",
    "token": "0-0",
}

# (route glob, argument) -> the word, where a word depends on the route.
ROUTE_CONSTANTS = [
    ("admin/pages/create/*", "app_label", "news57"),
    ("admin/pages/create/*", "model_name", "articlepage"),
    ("admin/editing-sessions/*", "app_label", "wagtailcore"),
    ("admin/editing-sessions/*", "model_name", "page"),
    ("admin/workflows/tasks/add/*", "app_label", "wagtailcore"),
    ("admin/workflows/tasks/add/*", "model_name", "groupapprovaltask"),
    ("admin/tag-autocomplete/*", "app_name", "wagtailimages"),
    ("admin/tag-autocomplete/*", "model_name", "image"),
    # No settings model is registered: these answer 404 for everyone.
    ("admin/settings/*", "app_name", "news57"),
    ("admin/settings/*", "model_name", "agency"),
    ("admin/publications/*", "action", "withdraw"),
]


def admin_patterns():
    """(route, pattern name, view) for every admin URL pattern the resolver knows."""

    def walk(resolver, prefix):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern), entry

    return [(route, entry) for route, entry in walk(get_resolver(), "") if route.startswith("admin/")]


ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def _kind(route, name):
    for glob, argument, kind in ARGUMENTS:
        if argument == name and fnmatch.fnmatchcase(route, glob):
            return kind
    return None


def _word(route, name):
    for glob, argument, word in ROUTE_CONSTANTS:
        if argument == name and fnmatch.fnmatchcase(route, glob):
            return word
    return CONSTANTS.get(name)


class Unfillable(Exception):
    pass


def fill(route, side):
    """The route with every argument replaced by the side's object (or a constant); raises Unfillable."""

    def value(match):
        name = match.group(2) or match.group(3)
        kind = _kind(route, name)
        if kind is not None:
            return str(side.ids[kind])
        word = _word(route, name)
        if word is None:
            raise Unfillable(f"{route}: no entry for the argument {name!r}")
        return word

    path = ARGUMENT.sub(value, route)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".")
    if route.endswith("^.*/$"):
        path = path.replace(".*/", "no-such-screen/")
    return "/" + path


def bulk_doors(route, side):
    """One bulk-action URL per registered action, with ?id= naming the side's object of that model."""
    kinds = {
        ("wagtailcore", "page"): "page",
        ("wagtailimages", "image"): "image",
        ("wagtaildocs", "document"): "document",
        ("auth", "user"): "user",
        ("news57", "directivedocument"): "directive_document",
        ("news57", "topic"): "topic",
        ("news57", "agency"): "agency",
    }
    bulk_action_registry._scan_for_bulk_actions()
    doors = []
    for app_label, models in bulk_action_registry.actions.items():
        for model_name, actions in models.items():
            kind = kinds.get((app_label, model_name))
            if kind is None:
                raise Unfillable(f"{route}: no object for bulk actions on {app_label}.{model_name}")
            for action in actions:
                doors.append(f"/admin/bulk/{app_label}/{model_name}/{action}/?id={side.ids[kind]}")
    return doors


LOGOUT_ROUTE = "admin/logout/"
BULK_ROUTE = "admin/bulk/<str:app_label>/<str:model_name>/<str:action>/"


def _exports(entry):
    view_class = getattr(entry.callback, "view_class", None)
    return isinstance(view_class, type) and issubclass(view_class, SpreadsheetExportMixin)


def doors(route, entry, side):
    """Every GET door of one pattern for one side: [(door, url)], the same doors for both sides."""
    if route == BULK_ROUTE:
        return [(url.split("?")[0], url) for url in bulk_doors(route, side)]
    url = fill(route, side)
    found = [("", url)]
    if not ARGUMENT.search(route):
        found.append(("?q=", f"{url}?q={SEARCHED}"))
    if _exports(entry):
        found += [("?export=csv", f"{url}?export=csv"), ("?export=xlsx", f"{url}?export=xlsx")]
    return found


# What the twin request (the walker's own object) must show, by route glob and role; anything
# not listed must answer 200 and show the own marker.
# REFUSED: the role may not use this screen at all, so its own object is not offered either (checked).
# BLANK: the screen shows no object, so there is no marker to find (only: no foreign marker, no 500).
REFUSED, BLANK = "refused", "blank"
EDITOR, LEADER, SUPERVISOR, ADMINISTRATOR = "editor", "leader", "supervisor", "administrator"
ROLES = [EDITOR, LEADER, SUPERVISOR, ADMINISTRATOR]
EVERYONE = set(ROLES)
STAFF = {EDITOR, LEADER}
NOT_EDITOR = {SUPERVISOR, ADMINISTRATOR}
EXPECTED = [
    # Objectless screens: forms to fill, link choosers, the account, the sign-in pages, assets.
    ("admin/account/", EVERYONE, BLANK),
    ("admin/choose-*-link/", EVERYONE, BLANK),
    ("admin/dismissibles/", EVERYONE, BLANK),
    ("admin/jsi18n/", EVERYONE, BLANK),
    ("admin/sprite/", EVERYONE, BLANK),
    ("admin/login/", EVERYONE, BLANK),
    ("admin/logout/", EVERYONE, BLANK),
    ("admin/password_reset/*", EVERYONE, BLANK),
    ("admin/test404/", EVERYONE, BLANK),
    ("admin/failwhale/", EVERYONE, BLANK),
    ("admin/^.*/$", EVERYONE, BLANK),
    ("admin/tag-autocomplete/*", EVERYONE, BLANK),
    ("admin/block-preview/", EVERYONE, BLANK),
    ("admin/embeds/chooser/*", EVERYONE, BLANK),
    ("admin/settings/*", EVERYONE, BLANK),  # no settings model is registered
    ("admin/pages/*/convert_alias/", EVERYONE, BLANK),  # the page is no alias
    ("admin/forms/submissions/*", EVERYONE, BLANK),  # an article is no form page
    ("admin/forms/*", EVERYONE, BLANK),  # no form pages
    ("admin/pages/*/revisions/<int:revision_id>/unschedule/", EVERYONE, BLANK),  # nothing is scheduled
    ("admin/pages/<int:page_id>/revisions/", EVERYONE, BLANK),  # redirects to the history
    # Screens that only accept a POST (lock, ping, enable…): their POST half is walked below.
    ("admin/api/main/^pages/<int:pk>/action/*", EVERYONE, BLANK),
    ("admin/pages/<int:page_id>/lock/", EVERYONE, BLANK),
    ("admin/pages/<int:page_id>/unlock/", EVERYONE, BLANK),
    ("admin/pages/<int:page_to_move_id>/set_position/", EVERYONE, BLANK),
    ("admin/editing-sessions/*", EVERYONE, BLANK),
    ("admin/*/multiple/*", EVERYONE, BLANK),
    ("admin/queue/publish/", EVERYONE, BLANK),
    ("admin/workflows/enable/*", EVERYONE, BLANK),
    ("admin/workflows/tasks/enable/*", EVERYONE, BLANK),
    ("admin/workflows/remove/*", EVERYONE, BLANK),
    # The admin API's searches and finders need parameters the walk does not give.
    ("admin/api/main/^*/find/", EVERYONE, BLANK),
    ("admin/api/main/^*?q=", EVERYONE, BLANK),  # 400: the API searches only with its own ordering
    ("admin/pages/", STAFF, BLANK),  # the explorer's root sends them to their site's home page
    ("admin/queue/<int:pk>/decline/", STAFF, BLANK),  # names the shared document
    ("admin/images/<int:image_id>/generate_url/*", EVERYONE, BLANK),  # no dynamic image serve view here
    ("admin/images/<int:image_id>/preview/*", EVERYONE, BLANK),  # the image's bytes
    # Empty forms: what is added is not there yet.
    ("admin/*/add/", EVERYONE, BLANK),
    ("admin/*/chooser/create/", EVERYONE, BLANK),
    ("admin/workflows/task_chooser/create/", EVERYONE, BLANK),
    ("admin/snippets/choose/*/create/", EVERYONE, BLANK),
    ("admin/pages/add/*", EVERYONE, BLANK),
    ("admin/pages/<int:parent_page_id>/add_subpage/", EVERYONE, BLANK),
    ("admin/pages/<int:page_id>/edit/preview/", EVERYONE, BLANK),  # a preview is shown from a POSTed form
    # Choosers opened without a choice: the page chooser opens at the site's home page.
    ("admin/choose-page/", EVERYONE, BLANK),
    ("admin/choose-page/search/", EVERYONE, BLANK),
    ("admin/choose-page/chosen-multiple/", EVERYONE, BLANK),
    ("admin/*/chooser/chosen-multiple/", EVERYONE, BLANK),
    ("admin/snippets/choose/*/chosen-multiple/", EVERYONE, BLANK),
    ("admin/sources/new/", {ADMINISTRATOR}, BLANK),
    ("admin/subscriptions/new/", {ADMINISTRATOR}, BLANK),
    ("admin/report-deadlines/new/", {ADMINISTRATOR}, BLANK),
    # A history's results alone list its log entries; the walk's sources and subscriptions have none.
    ("admin/sources/history-results/*", {ADMINISTRATOR}, BLANK),
    ("admin/subscriptions/history-results/*", {ADMINISTRATOR}, BLANK),
    ("admin/report-deadlines/history-results/*", {ADMINISTRATOR}, BLANK),
    # Source administrators hold no document permission; the chooser offers the shared documents.
    ("admin/snippets/choose/news57/directivedocument/*", {ADMINISTRATOR}, BLANK),
    ("admin/snippets/news57/directivedocument/*", {ADMINISTRATOR}, REFUSED),
    # Supervisors read documents (listing, inspect); changing, history and republishing are the agencies'.
    ("admin/snippets/news57/directivedocument/edit/*", {SUPERVISOR}, REFUSED),
    ("admin/snippets/news57/directivedocument/delete/*", {SUPERVISOR}, REFUSED),
    ("admin/snippets/news57/directivedocument/usage/*", {SUPERVISOR}, REFUSED),
    ("admin/snippets/news57/directivedocument/history*", {SUPERVISOR}, REFUSED),
    ("admin/snippets/news57/directivedocument/republish/*", {SUPERVISOR}, REFUSED),
    ("admin/snippets/*news57/topic/*", EVERYONE, BLANK),
    ("admin/snippets/*news57/agency/*", EVERYONE, BLANK),
    ("admin/bulk/*", EVERYONE, BLANK),  # its doors are judged one by one in BULK_EXPECTED
    ("admin/publications/<int:pk>/<str:action>/", STAFF, BLANK),  # names the shared document
    # Wagtail's own listings without an export: the file holds no rows for anyone.
    ("admin/images/*?export=*", EVERYONE, BLANK),
    ("admin/documents/*?export=*", EVERYONE, BLANK),
    # Superusers' screens: sites, users, groups, collections, workflows, redirects, snippets' index.
    ("admin/sites/*", EVERYONE, REFUSED),
    ("admin/users/*", EVERYONE, REFUSED),
    ("admin/groups/*", EVERYONE, REFUSED),
    ("admin/collections/*", EVERYONE, REFUSED),
    ("admin/workflows/*", EVERYONE, REFUSED),
    ("admin/redirects/*", EVERYONE, REFUSED),
    ("admin/snippets/", EVERYONE, REFUSED),
    ("admin/pages/create/*", EVERYONE, REFUSED),
    # Sources and subscriptions are their province's administrators'.
    ("admin/sources/*", STAFF | {SUPERVISOR}, REFUSED),
    ("admin/subscriptions/*", STAFF | {SUPERVISOR}, REFUSED),
    ("admin/report-deadlines/*", STAFF | {SUPERVISOR}, REFUSED),  # the calendar is its administrators'
    ("admin/deadline-rules/recompute/", EVERYONE, REFUSED),  # superusers only
    ("admin/calendar-days/*", EVERYONE, REFUSED),  # superusers only
    ("admin/deadline-rules/*", STAFF | {SUPERVISOR}, REFUSED),
    ("admin/deadline-rules/*", {ADMINISTRATOR}, BLANK),  # shared rules, read-only to them
    ("admin/supervision/*", STAFF | {ADMINISTRATOR}, REFUSED),
    # Promptness: editors and leaders read their own agency's, supervisors their province's; not administrators.
    ("admin/compliance/*", {ADMINISTRATOR}, REFUSED),
    # The figures per agency name agencies (shared), no private object; the drill-down and report list reasons.
    ("admin/compliance/", EVERYONE, BLANK),
    ("admin/compliance/results/", EVERYONE, BLANK),
    ("admin/compliance/[?]*", EVERYONE, BLANK),
    ("admin/compliance/results/[?]*", EVERYONE, BLANK),
    # Supervisors read, they do not decide: no queue, no publication actions.
    ("admin/queue/*", NOT_EDITOR, REFUSED),
    ("admin/inbox/", NOT_EDITOR, REFUSED),  # the inbox is the queue's and the moderation's
    ("admin/publications/<int:pk>/<str:action>/", NOT_EDITOR, REFUSED),
    # Source administrators set up feeds; publications and the reports are the agencies' and supervisors'.
    ("admin/publications/*", {ADMINISTRATOR}, REFUSED),
    ("admin/reports/*", {ADMINISTRATOR}, REFUSED),
    # Editors draft; only leaders delete, unpublish, move, set privacy and review.
    ("admin/pages/<int:page_id>/delete/", {EDITOR}, REFUSED),
    ("admin/pages/<int:page_id>/unpublish/", {EDITOR}, REFUSED),
    ("admin/pages/<int:page_to_move_id>/move/*", {EDITOR}, REFUSED),
    ("admin/pages/<int:page_id>/privacy/", {EDITOR}, REFUSED),
    # The article is locked by its editor and in review: a leader reviews it in a modal naming no page.
    ("admin/pages/<int:page_id>/unpublish/", {LEADER}, REFUSED),
    ("admin/pages/workflow/action/*", {LEADER}, BLANK),
    ("admin/pages/workflow/collect_action_data/*", {LEADER}, BLANK),
    # Supervisors and source administrators hold no page, image or document permission.
    ("admin/", NOT_EDITOR, BLANK),  # the dashboard lists the user's own pages: they have none
    ("admin/pages/*", NOT_EDITOR, REFUSED),
    ("admin/choose-page/*", NOT_EDITOR, REFUSED),
    ("admin/api/main/*", NOT_EDITOR, REFUSED),
    ("admin/images/*", NOT_EDITOR, REFUSED),
    ("admin/documents/*", NOT_EDITOR, REFUSED),
    ("admin/pages/workflow/action/*", {EDITOR}, REFUSED),
    ("admin/pages/workflow/collect_action_data/*", {EDITOR}, REFUSED),
    ("admin/pages/workflow/preview/*", {EDITOR}, REFUSED),
]


def expected(route, door, role):
    for glob, roles, expectation in EXPECTED:
        if role in roles and (fnmatch.fnmatchcase(route, glob) or fnmatch.fnmatchcase(route + door, glob)):
            return expectation
    return "shows"


@dataclass
class Walk:
    patterns: int = 0
    requests: int = 0
    posts: int = 0
    problems: list = field(default_factory=list)


def database_rows(walker):
    """Every row of every table, but the walker's own session and profile (dismissed tips, last seen)."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        if label in ("sessions.Session",):
            continue
        queryset = model._base_manager.order_by("pk")
        if label == "wagtailusers.UserProfile":
            queryset = queryset.exclude(user=walker)
        rows[label] = list(queryset.values_list())
    return rows


def _changed(before, after):
    return sorted(label for label in before if before[label] != after[label])


def writes_so_far():
    """Rows written on this connection so far: a cheap sign that a request wrote, before comparing every table."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT total_changes()")
        else:
            cursor.execute("SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_all_tables")
        return cursor.fetchone()[0]


class Database:
    """The rows as they stand, compared again only after a request that wrote something."""

    def __init__(self, walker):
        self.walker = walker
        self.rows = database_rows(walker)
        self.writes = writes_so_far()

    def changed(self):
        """The tables whose rows differ since the last call (mostly none, cheaply)."""
        writes = writes_so_far()
        if writes == self.writes:
            return []
        rows = database_rows(self.walker)
        changed = _changed(self.rows, rows)
        self.rows, self.writes = rows, writes
        return changed


POSTED = {"title": "Đã đổi", "name": "Đã đổi", "reason": "Đã đổi", "action-publish": "1", "action-submit": "1"}


def walk(client, walker, role, sides):
    foreign, own = sides[FOREIGN], sides[OWN]
    result = Walk()
    database = Database(walker)
    for route, entry in admin_patterns():
        result.patterns += 1
        try:
            pairs = list(zip(doors(route, entry, foreign), doors(route, entry, own), strict=True))
        except Unfillable as error:
            result.problems.append(str(error))
            continue
        for (door, foreign_url), (_door, own_url) in pairs:
            expectation = expected(route, door, role)
            label = f"{route} {door}".strip()
            for url, mark, is_own in ((foreign_url, FOREIGN_MARK, False), (own_url, OWN_MARK, True)):
                response = client.get(url)
                if route == LOGOUT_ROUTE:
                    client.force_login(walker)
                result.requests += 1
                status = response.status_code
                text = shown_text(response) if status == 200 else response.get("Location", "")
                if status >= 500:
                    result.problems.append(f"{label}: {status} for {url}")
                elif not is_own and FOREIGN_MARK in text:
                    result.problems.append(f"{label}: shows the foreign marker at {url}")
                elif is_own and expectation == "shows" and not (status == 200 and OWN_MARK in text):
                    result.problems.append(f"{label}: own twin answered {status} without the own marker at {url}")
                elif is_own and expectation == REFUSED and status == 200 and OWN_MARK in text:
                    result.problems.append(f"{label}: declared refused to {role}, but the own twin shows its object")
            if door in ("?q=", "?export=csv", "?export=xlsx"):
                continue
            data = dict(POSTED, publication=str(foreign.ids["pending_publication"]))
            database.changed()  # what the GETs wrote (the walker's own editing sessions, say) is not the POST's
            response = client.post(foreign_url, data)
            result.posts += 1
            if response.status_code >= 500:
                result.problems.append(f"{label}: POST answered {response.status_code} at {foreign_url}")
            if changed := database.changed():
                result.problems.append(f"{label}: POST to {foreign_url} changed {', '.join(changed)}")
            if route == LOGOUT_ROUTE:
                client.force_login(walker)
    return result


def walk_as(role, user, client, sides, media_root):
    """Walk every admin URL as `user` in `role`; fail with every problem found."""
    client.force_login(user)
    client.raise_request_exception = False
    with override_settings(MEDIA_ROOT=media_root):
        result = walk(client, user, role, sides)
    print(f"\n{role}: {result.patterns} patterns, {result.requests} GET requests, {result.posts} POSTs")
    if result.problems:
        pytest.fail("\n".join(result.problems), pytrace=False)
