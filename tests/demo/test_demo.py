import io
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils.translation import gettext
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from module_data import module_transaction
from news57.demo.agencies import DEMO_AGENCIES
from news57.demo.content import CONTENT, MEDIA_DIR, PHOTOS, VIDEOS
from news57.demo.documents import DIRECTIVES
from news57.demo.history import HISTORY, YEAR
from news57.models import Agency, ArticlePage, InfographicImage, InfographicPage, ReportDeadline, Topic, VideoPage

# Every test here is a database test, so they run together while the module's
# transaction is open, never interleaved with transactional tests.
pytestmark = pytest.mark.django_db

SITE_SLUGS = [demo.slug for demo in DEMO_AGENCIES if demo.has_site]
COLUMNS = re.compile(r"\s{2,}")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded twice, once for the module, rolled back at its end."""
    with module_transaction(django_db_blocker, tmp_path_factory):
        with django_db_blocker.unblock():
            first = load_demo()
            after_first = counts()
            second = load_demo()
            after_second = counts()
        yield SimpleNamespace(first=first, after_first=after_first, second=second, after_second=after_second)


def load_demo(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def printed_passwords(output):
    """{username: password} for the account lines of the command's table."""
    usernames = {"admin", "giamsat.langson", "giamsat.laichau", "quantri.langson", "quantri.laichau"} | {
        f"{slug}.{role}" for slug in SITE_SLUGS for role in ("bientap", "lanhdao")
    }
    found = {}
    for line in output.splitlines():
        cells = COLUMNS.split(line.strip())
        if cells[0] in usernames:
            found[cells[0]] = cells[-1]
    return found


def counts():
    return {
        "pages": Page.objects.count(),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
        "infographic images": InfographicImage.objects.count(),
        "users": get_user_model().objects.count(),
        "groups": Group.objects.count(),
        "topics": Topic.objects.count(),
        "sites": Site.objects.count(),
        "agencies": Agency.objects.count(),
    }


def test_loading_the_demo_twice_adds_nothing_the_second_time(demo, db):
    assert demo.after_first["pages"] > 40 and demo.after_first["users"] == 15
    assert demo.after_second == demo.after_first
    assert gettext("Nothing new was added: the demo data was already loaded.") in demo.second


def test_the_summary_counts_the_directive_documents_and_the_year_of_publications(demo, db):
    line = gettext(
        "Added %(directives)d directive documents and %(publications)d publications of them, and a year "
        "of publications (%(year)d): %(history_directives)d documents, %(history_publications)d publications."
    ) % {
        "directives": len(DIRECTIVES),
        "publications": sum(len(item.sites) for item in DIRECTIVES),
        "year": YEAR,
        "history_directives": len(HISTORY),
        "history_publications": sum(len(item.outcomes) for item in HISTORY),
    }
    assert line in demo.first


def test_loading_the_demo_adds_the_report_deadlines(demo, db):
    assert ReportDeadline.objects.filter(agency__slug="vpubnd-laichau").count() == 3


def test_new_accounts_get_a_working_password_printed_once(demo, db):
    first = printed_passwords(demo.first)
    assert len(first) == 15
    for username, password in first.items():
        assert get_user_model().objects.get(username=username).check_password(password), username
    assert not any(password in demo.second for password in first.values())
    assert set(printed_passwords(demo.second).values()) == {gettext("(unchanged)")}


def test_an_existing_account_keeps_a_password_its_owner_changed(demo, db):
    user = get_user_model().objects.get(username="langson.bientap")
    user.set_password("chosen-by-the-editor")
    user.save()
    output = load_demo()
    assert printed_passwords(output)["langson.bientap"] == gettext("(unchanged)")
    assert get_user_model().objects.get(username="langson.bientap").check_password("chosen-by-the-editor")


def test_reset_passwords_replaces_the_passwords_of_existing_accounts(demo, db):
    old = printed_passwords(demo.first)["giamsat.laichau"]
    new = printed_passwords(load_demo("--reset-passwords"))["giamsat.laichau"]
    user = get_user_model().objects.get(username="giamsat.laichau")
    assert new != old
    assert user.check_password(new) and not user.check_password(old)


def test_a_page_an_editor_deleted_comes_back_without_duplicating_the_others(demo, db):
    article = ArticlePage.objects.get(slug="lop-binh-dan-hoc-vu-so-cho-nguoi-cao-tuoi")
    article.delete()
    output = load_demo()
    assert ArticlePage.objects.filter(slug="lop-binh-dan-hoc-vu-so-cho-nguoi-cao-tuoi").count() == 1
    assert counts() == demo.after_first
    assert gettext("Nothing new was added: the demo data was already loaded.") not in output


def test_every_demo_site_has_a_live_section_with_articles_infographics_and_videos(demo, db):
    for slug in SITE_SLUGS:
        section = Agency.objects.get(slug=slug).site.root_page.get_children().live().get().specific
        for model in (ArticlePage, InfographicPage, VideoPage):
            assert model.objects.child_of(section).live().exists(), (slug, model.__name__)


def test_demo_files_are_in_the_collection_of_the_agency_that_uses_them(demo, db):
    for slug in SITE_SLUGS:
        agency = Agency.objects.get(slug=slug)
        for video in VideoPage.objects.descendant_of(agency.site.root_page):
            assert video.video_file.collection.name == agency.name
            assert video.poster.collection.name == agency.name


def test_demo_accounts_are_in_their_agency_and_province_groups(demo, db):
    User = get_user_model()
    thanhtra = Agency.objects.get(slug="thanhtra-langson")
    editor_groups = set(User.objects.get(username="thanhtra-langson.bientap").groups.all())
    leader_groups = set(User.objects.get(username="thanhtra-langson.lanhdao").groups.all())
    assert editor_groups and leader_groups and editor_groups.isdisjoint(leader_groups)
    assert all(thanhtra.short_name in group.name for group in editor_groups | leader_groups)
    langson = Agency.objects.get(slug="langson")
    assert langson.supervisors in User.objects.get(username="giamsat.langson").groups.all()
    assert User.objects.get(username="admin").is_superuser


def test_every_infographic_image_has_alt_text_and_a_long_description(demo, db):
    images = InfographicImage.objects.all()
    assert images.count() >= 2 * len(SITE_SLUGS)
    for item in images:
        assert item.alt_text.strip() and len(item.long_description) > len(item.alt_text), item.page.title


def test_the_demo_topics_exist(demo, db):
    names = set(Topic.objects.values_list("name", flat=True))
    assert {"Khoa học, công nghệ", "Đổi mới sáng tạo", "Chuyển đổi số", "Bình dân học vụ số"} <= names
    assert Topic.objects.get(name="Chuyển đổi số").short_name == "CĐS"


def test_one_demo_article_is_a_draft_nobody_can_read_yet(demo, db):
    drafts = ArticlePage.objects.filter(live=False)
    assert drafts.count() == 1
    assert drafts.get().latest_revision is not None


def test_a_demo_video_is_served_in_byte_ranges(demo, db, client):
    video = VideoPage.objects.live().first().video_file
    response = client.get(video.file.url, HTTP_RANGE="bytes=0-99")
    body = b"".join(response.streaming_content)
    assert response.status_code == 206
    assert len(body) == 100 and body[4:8] == b"ftyp"
    assert response["Content-Type"] == "video/mp4"


def test_every_media_file_the_demo_uses_is_committed_and_small():
    used = {photo.file for photo in PHOTOS.values()}
    used |= {name for video in VIDEOS.values() for name in (video.file, video.poster)}
    used |= {panel.file for content in CONTENT.values() for item in content.infographics for panel in item.panels}
    assert all((MEDIA_DIR / name).is_file() for name in used)
    assert sum(path.stat().st_size for path in MEDIA_DIR.iterdir()) < 3 * 1024 * 1024


def test_the_demo_chains_the_province_to_the_central_portal_and_its_agencies_to_the_province(platform):
    from news57.demo.syndication import load_chain
    from news57.models import Source, Subscription

    load_chain(platform, port=8123)
    assert load_chain(platform, port=8123) == 0, "a second run adds nothing"
    central = Source.objects.get(url="http://trunguong.localhost:8123/nghi-quyet-57/van-ban/rss/")
    province = Source.objects.get(url="http://langson.localhost:8123/nghi-quyet-57/van-ban/rss/")
    assert central.subscriptions.get().agency.slug == "langson"
    below = Subscription.objects.get(source=province)
    assert below.include_below and not below.include_agency
