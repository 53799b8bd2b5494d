"""The admin speaks Vietnamese to Lạng Sơn's editor, leader and supervisor, and asks nothing of other sites.

One walk in headless Chromium, one sign-in per role, over the screens each role reaches: the sign-in and
password-reset pages (before signing in), the dashboard (for the leader, with an editor's article awaiting
review), the section's page listing, the article editor, the page-type chooser, images and documents with
their upload pages, collections, snippets, the review and workflow history of the article in moderation,
the reports, the account settings, the page search and the project's own screens (inbox, queue,
publications, promptness, supervision). A screen the role is refused (4xx, or sent elsewhere) is recorded
and skipped.

Every visible string of a screen (text nodes outside script/style/noscript/template/textarea and hidden or
aria-hidden elements, plus placeholder, title, aria-label and alt of visible elements, the values of
buttons and the options of visible selects) is classified as Vietnamese, English, neutral or excluded:
see classify(). A screen must be at least 95% Vietnamese (of the strings that are either), and the
screens marked strict in SCREENS (sign-in, dashboard, page editor, image upload, moderation) must show no
English at all.

While walking, every request to a host other than this machine is aborted and logged: the admin must
send nothing to third parties (Gravatar, CDNs, fonts, analytics…), and the log must stay empty.

The table, the English strings per screen and the blocked requests are printed (pytest -s) and written
to var/test-output/admin-language/ (NEWS57_TEST_OUTPUT moves it).
"""

import json
import os
import re
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import polib
import pytest
import wagtail
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation.trans_real import DjangoTranslation
from PIL import Image as PILImage
from signing_in import sign_in
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Workflow

from june_2025 import add_june
from news57.models import ArticlePage, DirectiveDocument, Publication, PublicationStatus

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-nghiem-57"
AGENCY = "langson"
ROLES = ["editor", "leader", "supervisor"]
DRAFT_TITLE = "Kế hoạch chuyển đổi số năm 2025"
SUBMITTED_TITLE = "Hội nghị triển khai Nghị quyết 57 của tỉnh"
JUNE = "?period=2025-06"  # the month tests/june_2025.py fills, so the promptness screens have figures
SHARE_REQUIRED = 0.95


@dataclass(frozen=True)
class Screen:
    name: str
    url: object  # (objects) -> path
    strict: bool = False  # no English string at all
    signed_in: bool = True


# In walking order. Strict: the sign-in page, the dashboard, the page editor, the image upload and the
# moderation screens (the leader's review of the submitted article, its workflow history, the inbox and
# the queue), where the issue wants no English word at all.
SCREENS = [
    Screen("sign-in", lambda o: reverse("wagtailadmin_login"), strict=True, signed_in=False),
    Screen("password reset", lambda o: reverse("wagtailadmin_password_reset"), signed_in=False),
    Screen("dashboard", lambda o: reverse("wagtailadmin_home"), strict=True),
    Screen("page listing", lambda o: reverse("wagtailadmin_explore", args=[o["section"]])),
    Screen("page editor", lambda o: reverse("wagtailadmin_pages:edit", args=[o["draft"]]), strict=True),
    Screen("add child page", lambda o: reverse("wagtailadmin_pages:add_subpage", args=[o["section"]])),
    Screen(
        "new article",
        lambda o: reverse("wagtailadmin_pages:add", args=["news57", "articlepage", o["section"]]),
        strict=True,
    ),
    Screen("review", lambda o: reverse("wagtailadmin_pages:edit", args=[o["submitted"]]), strict=True),
    Screen(
        "workflow history", lambda o: reverse("wagtailadmin_pages:workflow_history", args=[o["submitted"]]), strict=True
    ),
    Screen("inbox", lambda o: reverse("news57_inbox"), strict=True),
    Screen("queue", lambda o: reverse("news57_queue"), strict=True),
    Screen("page search", lambda o: reverse("wagtailadmin_pages:search") + "?q=ke+hoach"),
    Screen("images", lambda o: reverse("wagtailimages:index")),
    Screen("image upload", lambda o: reverse("wagtailimages:add_multiple"), strict=True),
    Screen("documents", lambda o: reverse("wagtaildocs:index")),
    Screen("document upload", lambda o: reverse("wagtaildocs:add_multiple")),
    Screen("collections", lambda o: reverse("wagtailadmin_collections:index")),
    Screen("snippets", lambda o: reverse("wagtailsnippets:index")),
    Screen("directive documents", lambda o: reverse("wagtailsnippets_news57_directivedocument:list")),
    Screen("publications", lambda o: reverse("news57_publications:index")),
    Screen("locked pages", lambda o: reverse("wagtailadmin_reports:locked_pages")),
    Screen("workflows report", lambda o: reverse("wagtailadmin_reports:workflow")),
    Screen("workflow tasks report", lambda o: reverse("wagtailadmin_reports:workflow_tasks")),
    Screen("site history", lambda o: reverse("wagtailadmin_reports:site_history")),
    Screen("aging pages", lambda o: reverse("wagtailadmin_reports:aging_pages")),
    Screen("page types usage", lambda o: reverse("wagtailadmin_reports:page_types_usage")),
    Screen("account", lambda o: reverse("wagtailadmin_account")),
    Screen("promptness", lambda o: reverse("news57_compliance") + JUNE),
    Screen("promptness report", lambda o: reverse("news57_compliance_report") + JUNE),
    Screen("supervision", lambda o: reverse("news57_supervision")),
]

# Strings that are neither Vietnamese nor English, compared whole (after whitespace is normalised): names and
# content, which say nothing of the admin's language.
EXCLUSIONS = {
    # Product and installation names, the same in every language.
    "Wagtail",
    "news57",
    # The walkers' usernames, which the admin shows where a person has no full name.
    "langson-editor",
    "langson-leader",
    "langson-supervisor",
    # Names the demo's provisioning gives (news57/demo/agencies.py, news57/provisioning.py): agencies, the
    # section page, the workflow and its task, shown in breadcrumbs, listings and the promptness figures.
    "Ủy ban nhân dân tỉnh Lạng Sơn",
    "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN",
    "Ủy ban nhân dân xã Hoàng Văn Thụ",
    "Thanh tra tỉnh Lạng Sơn",
    "Chính phủ",
    "Chuyên mục Nghị quyết 57",
    "Quy trình duyệt tin – UBND tỉnh Lạng Sơn",
    "Lãnh đạo UBND tỉnh Lạng Sơn duyệt",
    # What this module's fixture made (its articles, image and document, June's directives) and typed.
    DRAFT_TITLE,
    SUBMITTED_TITLE,
    "Ảnh hội nghị chuyển đổi số",
    "Kế hoạch thực hiện Nghị quyết 57",
    *(f"Kế hoạch {name}" for name in "ABCDEFGHL"),
    "ke hoach",
    # A language's name in itself, as the account's language chooser should show it.
    "English",
}

# Vietnamese words written without a diacritic, and loanwords Vietnamese writes as they are: a string made
# only of these (and numbers or punctuation) is Vietnamese. "In" is "print", "trang" is "page", "sapo" the lead.
VIETNAMESE_WORDS = {"in", "trang", "sapo", "email", "video", "infographic"}

VIETNAMESE_LETTERS = set(
    "àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ"
    "ÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴÈÉẸẺẼÊỀẾỆỂỄÌÍỊỈĨÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠÙÚỤỦŨƯỪỨỰỬỮỲÝỴỶỸĐ"
)
NEUTRAL_PATTERNS = [
    re.compile(pattern)
    for pattern in (
        r"[\W\d_]*",  # numbers, dates, times, punctuation: no letter at all
        r"[\W\d_]*[^\W\d_][\W\d_]*",  # a single letter (an initial, a column's letter)
        r"(https?://|www\.|/)\S*",  # URLs and paths
        r"[\w.+-]+@[\w-]+(\.[\w-]+)+",  # e-mail addresses
        r"[\w.-]+\.(localhost|vn|com|org|net)(:\d+)?(/\S*)?",  # host names
        r"\S+\.(png|jpe?g|gif|webp|svg|avif|pdf|docx?|xlsx?|odt|ods|zip|mp4|webm|txt|csv)",  # file names
        r"[\dA-ZĐ][\dA-ZĐ/.:()+,×%–-]*( [\dA-ZĐ/.:()+,×%–-]+)*",  # codes and acronyms: 211/KH-UBND, PDF, 57-NQ/TW
        r"[\d.,]+\s*(B|KB|MB|GB|px|×|x)\s*[\d.,]*",  # sizes: 12 KB, 24×16
    )
]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|<[^>]+>|&\w+;")
WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")


def catalogues():
    """Wagtail's and Django's English catalogues, and the project's own: its msgids are English too."""
    packages = Path(wagtail.__file__).parent.parent
    found = sorted((packages / "wagtail").glob("**/locale/en/LC_MESSAGES/*.po"))
    found += sorted((packages / "django" / "conf" / "locale" / "en" / "LC_MESSAGES").glob("*.po"))
    installed = {app.split(".")[-1] for app in settings.INSTALLED_APPS if app.startswith("django.contrib.")}
    found += sorted(
        path for path in (packages / "django" / "contrib").glob("*/locale/en/LC_MESSAGES/*.po")
        if path.parents[3].name in installed
    )  # fmt: skip
    found += sorted(path for folder in settings.LOCALE_PATHS for path in Path(folder).glob("vi/LC_MESSAGES/*.po"))
    return found


@lru_cache(maxsize=1)
def english():
    """(msgids left untranslated in Vietnamese, the vocabulary of common English words in all msgids)."""
    untranslated, counts = set(), {}
    with translation.override("vi"):
        javascript = DjangoTranslation("vi", domain="djangojs")
        for path in catalogues():
            js = path.stem == "djangojs"
            for entry in polib.pofile(str(path)):
                if entry.obsolete:
                    continue
                forms = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
                for form in forms:
                    for word in {w.lower() for w in WORD.findall(PLACEHOLDER.sub(" ", form))}:
                        counts[word] = counts.get(word, 0) + 1
                if js:
                    shown = javascript.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else javascript.gettext(
                        entry.msgid
                    )
                elif entry.msgctxt:
                    shown = translation.pgettext(entry.msgctxt, entry.msgid)
                else:
                    shown = translation.gettext(entry.msgid)
                if shown == entry.msgid:
                    untranslated.update(" ".join(form.split()) for form in forms)
    # Common: in at least two msgids, and a word rather than a letter.
    vocabulary = {word for word, count in counts.items() if count >= 2 and len(word) >= 2}
    return untranslated, vocabulary


def is_neutral(text):
    return any(pattern.fullmatch(text) for pattern in NEUTRAL_PATTERNS)


def classify(text):
    """vietnamese, english, neutral or excluded, in that order of questions (exclusions first)."""
    if text in EXCLUSIONS:
        return "excluded"
    words = [word.lower() for word in WORD.findall(text)]
    if VIETNAMESE_LETTERS & set(text) or (words and set(words) <= VIETNAMESE_WORDS and text.isascii()):
        return "vietnamese"
    if is_neutral(text):
        return "neutral"
    untranslated, vocabulary = english()
    if text in untranslated:
        return "english"
    letters = [char for char in text if char.isalpha()]
    if all(char.isascii() for char in letters) and any(word.lower() in vocabulary for word in WORD.findall(text)):
        return "english"
    # Neither: ASCII that uses no English word (a name the exclusions missed): reported, counted neutral.
    return "neutral"


# What a person sees: the text of visible elements, and the words their attributes show or speak.
VISIBLE_STRINGS = """() => {
    const skipped = "script, style, noscript, template, textarea";
    const shown = el => el.checkVisibility({checkVisibilityCSS: true})
        && !el.closest('[aria-hidden="true"]') && !el.closest(skipped);
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (el && !el.closest("option") && node.nodeValue.trim() && shown(el)) found.push(node.nodeValue);
    }
    const attributed = "[placeholder], [title], [aria-label], [alt], input[type=submit], input[type=button], "
        + "input[type=reset], select";
    for (const el of document.body.querySelectorAll(attributed)) {
        if (!shown(el)) continue;
        for (const name of ["placeholder", "title", "aria-label", "alt"]) {
            if (el.getAttribute(name)) found.push(el.getAttribute(name));
        }
        if (el.matches("input[type=submit], input[type=button], input[type=reset]") && el.value) found.push(el.value);
        // A closed select's options have no box, but they are what it offers.
        if (el.tagName === "SELECT") for (const option of el.options) found.push(option.text);
    }
    return found;
}"""


@dataclass
class Visit:
    role: str
    screen: str
    url: str
    strict: bool
    status: str = "ok"  # or why it was skipped
    strings: dict = field(default_factory=dict)  # string -> class

    def of(self, kind):
        return sorted(text for text, found in self.strings.items() if found == kind)

    @property
    def share(self):
        vietnamese, english = len(self.of("vietnamese")), len(self.of("english"))
        return vietnamese / (vietnamese + english) if vietnamese + english else None


def output_dir():
    folder = Path(os.environ.get("NEWS57_TEST_OUTPUT", Path(settings.BASE_DIR) / "var" / "test-output"))
    folder = folder / "admin-language"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _png():
    buffer = BytesIO()
    PILImage.new("RGB", (48, 32), "teal").save(buffer, "PNG")
    return ImageFile(buffer, name="hoi-nghi.png")


def make_world(platform):
    """Lạng Sơn's three walkers, and something on each screen: June's directives (promptness), a queued
    directive (inbox, queue), a draft article, an article an editor submitted, an image and a document."""
    setup = platform[AGENCY]
    add_june(platform)
    User = get_user_model()
    users = {}
    for role, group in (("editor", setup.editors), ("leader", setup.leaders), ("supervisor", setup.supervisors)):
        # With an e-mail address, as real accounts have (password reset needs it): the admin draws
        # avatars from it, which is where a request to Gravatar would come from.
        users[role] = User.objects.create_user(
            f"{AGENCY}-{role}", email=f"{role}@{AGENCY}.example", password=PASSWORD
        )
        users[role].groups.add(group)
    editor = users["editor"]

    document = DirectiveDocument.objects.create(
        code="211/KH-UBND", title="Kế hoạch thực hiện Nghị quyết 57", issuer=setup.agency
    )
    Publication.objects.create(
        document=document, site=setup.site, status=PublicationStatus.QUEUED, due_at=timezone.now() + timedelta(days=2)
    )

    draft = setup.section.add_child(
        instance=ArticlePage(title=DRAFT_TITLE, slug="ke-hoach", lead="Tóm tắt", live=False)
    )
    draft.save_revision(user=editor)
    submitted = setup.section.add_child(
        instance=ArticlePage(title=SUBMITTED_TITLE, slug="hoi-nghi", lead="Tóm tắt", live=False)
    )
    submitted.save_revision(user=editor)
    # Submitted for the leaders' approval, as the editor's "Gửi duyệt" does: the leader's dashboard lists it.
    Workflow.objects.get(workflow_pages__page=setup.home).start(submitted, editor)

    get_image_model().objects.create(
        title="Ảnh hội nghị chuyển đổi số", file=_png(), collection=setup.collection, uploaded_by_user=editor
    )
    get_document_model().objects.create(
        title="Kế hoạch thực hiện Nghị quyết 57",
        file=ContentFile(b"%PDF-1.4 news57", name="ke-hoach-57.pdf"),
        collection=setup.collection,
        uploaded_by_user=editor,
    )
    return {"section": setup.section.pk, "draft": draft.pk, "submitted": submitted.pk}


def is_loopback(url, live_host):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "ws", "wss"):
        return True  # data:, blob: and the like never leave the browser
    return parts.hostname in {"127.0.0.1", "localhost", "::1", live_host}


def visit(page, live_server, role, screen, objects):
    path = screen.url(objects)
    found = Visit(role, screen.name, path, screen.strict)
    response = page.goto(live_server.url + path, wait_until="load")
    final = urlsplit(page.url)
    if response is None or response.status >= 500:
        # Not a refusal: the screen is broken, and the test fails on it (see the first test).
        found.status = f"error ({response.status if response else 'no response'})"
        return found
    if response.status >= 400:
        found.status = f"refused ({response.status})"
        return found
    if final.path != urlsplit(path).path:
        # Wagtail answers a screen the user may not open by sending them to the dashboard with a message.
        found.status = f"refused (sent to {final.path})"
        return found
    # Wagtail's sidebar is drawn by its script after the page loads: wait until it is there to be read.
    page.wait_for_function("() => !document.querySelector('#wagtail-sidebar.sidebar-loading')")
    for text in page.evaluate(VISIBLE_STRINGS):
        text = " ".join(text.split())
        if text:
            found.strings[text] = classify(text)
    return found


def walk_admin(browser, live_server, objects):
    """Each role in its own browser, signed in once: (visits, blocked requests)."""
    live_host = urlsplit(live_server.url).hostname
    visits, blocked = [], []
    for role in ROLES:
        context = browser.new_context(
            locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 900}
        )
        where = {"screen": "sign-in"}

        def guard(route, request, role=role, where=where):
            if is_loopback(request.url, live_host):
                route.continue_()
            else:
                entry = {"role": role, "screen": where["screen"], "type": request.resource_type, "url": request.url}
                blocked.append(entry)
                route.abort()

        context.route("**/*", guard)
        page = context.new_page()
        page.set_default_timeout(15_000)
        for screen in [screen for screen in SCREENS if not screen.signed_in]:
            where["screen"] = screen.name
            visits.append(visit(page, live_server, role, screen, objects))
        where["screen"] = "sign-in"
        sign_in(page, live_server, f"{AGENCY}-{role}", PASSWORD)
        for screen in [screen for screen in SCREENS if screen.signed_in]:
            where["screen"] = screen.name
            visits.append(visit(page, live_server, role, screen, objects))
        context.close()
    return visits, blocked


def report(visits, blocked):
    """The table and the English strings, as text; written with the JSON beside it."""
    header = ("role", "screen", "URL", "strings", "Vietnamese", "English", "neutral", "excluded", "share Vietnamese")
    rows = []
    for found in visits:
        if found.status != "ok":
            rows.append((found.role, found.screen, found.url, "—", "", "", "", "", found.status))
            continue
        share = "—" if found.share is None else f"{found.share:.1%}"
        counts = [str(len(found.of(kind))) for kind in ("vietnamese", "english", "neutral", "excluded")]
        name = found.screen + (" *" if found.strict else "")
        rows.append((found.role, name, found.url, str(len(found.strings)), *counts, share))
    widths = [max(len(row[n]) for row in [header, *rows]) for n in range(len(header))]
    line = lambda row: "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()  # noqa: E731
    lines = ["Admin language (* = no English allowed)", line(header), line(["-" * width for width in widths])]
    lines += [line(row) for row in rows]
    lines += ["", "English strings per screen:"]
    for found in visits:
        if found.of("english"):
            lines.append(f"  {found.role} / {found.screen} ({len(found.of('english'))}):")
            lines += [f"    {text!r}" for text in found.of("english")]
    lines += ["", f"Requests off this machine, blocked: {len(blocked)}"]
    lines += [f"  {entry['role']} / {entry['screen']}: {entry['type']} {entry['url']}" for entry in blocked]
    text = "\n".join(lines)
    folder = output_dir()
    (folder / "admin-language.txt").write_text(text + "\n")
    (folder / "admin-language.json").write_text(
        json.dumps(
            {
                "screens": [
                    {**asdict(found), "share_vietnamese": found.share, "english": found.of("english"),
                     "unclassified": [t for t in found.of("neutral") if not is_neutral(t)]}
                    for found in visits
                ],
                "blocked": blocked,
            },
            ensure_ascii=False,
            indent=2,
        )
    )  # fmt: skip
    return text


WALKED = {}


@pytest.fixture
def walked(request, browser):
    """The walk, once for the module: both tests read it (either may run alone, and then walks itself)."""
    if not WALKED:
        platform = request.getfixturevalue("platform")
        live_server = request.getfixturevalue("live_server")
        # Uploaded files go to a folder of the test's own, not the project's media/.
        request.getfixturevalue("settings").MEDIA_ROOT = str(request.getfixturevalue("tmp_path") / "media")
        visits, blocked = walk_admin(browser, live_server, make_world(platform))
        WALKED.update(visits=visits, blocked=blocked, report=report(visits, blocked))
    return WALKED


def test_the_admin_is_in_vietnamese_on_every_screen_each_role_reaches(walked):
    print("\n" + walked["report"])
    visits = walked["visits"]
    dashboard = next(found for found in visits if found.role == "leader" and found.screen == "dashboard")
    # Otherwise the moderation panel this walk means to read is not there.
    assert SUBMITTED_TITLE in dashboard.strings, "the leader's dashboard does not list the article awaiting review"
    for role in ROLES:
        assert any(found.role == role and found.screen == "dashboard" and found.status == "ok" for found in visits)

    failures = []
    for found in visits:
        if found.status.startswith("error"):
            failures.append(f"{found.role} / {found.screen}: {found.status}, so its language cannot be read")
        if found.status != "ok":
            continue
        if found.share is not None and found.share < SHARE_REQUIRED:
            failures.append(f"{found.role} / {found.screen}: {found.share:.1%} Vietnamese")
        if found.strict and found.of("english"):
            failures.append(f"{found.role} / {found.screen}: English where none may be: {found.of('english')}")
    assert not failures, "\n".join(failures)


def test_the_admin_sends_nothing_to_other_sites(walked):
    blocked = walked["blocked"]
    hosts = sorted({urlsplit(entry["url"]).hostname for entry in blocked})
    print(f"\nBlocked {len(blocked)} requests off this machine, to: {', '.join(hosts) or 'none'}")
    for entry in blocked:
        print(f"  {entry['role']} / {entry['screen']}: {entry['type']} {entry['url']}")
    assert not blocked, f"the admin asked {', '.join(hosts)}"
