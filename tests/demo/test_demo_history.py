"""The demo's year of publications (2025): the supervisor's figures show every outcome, Tết lengthens due times
and makes more late, and a second load adds nothing."""

from collections import Counter
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from wagtail.models import Site

from module_data import module_transaction
from news57.demo.agencies import provision_demo_agencies
from news57.demo.documents import DIRECTIVES, LANGSON_SITES, load_directives
from news57.demo.history import HISTORY, TET_RUSH, load_history
from news57.demo.users import ensure_users
from news57.models import DirectiveDocument, Publication, PublicationLogEntry, PublicationStatus
from news57.promptness.figures import site_figures
from news57.promptness.periods import Period
from news57.promptness.warnings import send_warnings
from news57.republishing.actions import DECLINE, PUBLISH

# Every test here is a database test, so they run together while the module's
# transaction is open, never interleaved with transactional tests.
pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# Long after the year, whatever the machine's clock says.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=VN)
CATEGORIES = ("on_time", "late", "missing", "declined")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo's agencies, accounts, hand-written documents and the year, loaded twice; rolled back at the end."""
    with module_transaction(django_db_blocker, tmp_path_factory):
        with django_db_blocker.unblock():
            setups = provision_demo_agencies(port=80)
            ensure_users(setups)
            load_directives(setups)
            first = load_history(setups)
            after_first = counts()
            second = load_history(setups)
            after_second = counts()
        yield SimpleNamespace(first=first, after_first=after_first, second=second, after_second=after_second)


def counts():
    return {
        "documents": DirectiveDocument.objects.count(),
        "publications": Publication.objects.count(),
        "log entries": PublicationLogEntry.objects.count(),
    }


def history():
    return Publication.objects.filter(document__code__in={item.code for item in HISTORY})


def sites(slugs):
    return list(Site.objects.filter(agency__slug__in=slugs).select_related("agency").order_by("pk"))


def figures(period, slugs):
    return site_figures(Period.parse(period), sites(slugs), now=NOW)


def totals(period, slugs):
    rows = figures(period, slugs)
    return {category: sum(getattr(row, category) for row in rows) for category in CATEGORIES}


def vn_date(moment):
    return moment.astimezone(VN).date()


def test_the_province_s_sites_show_every_outcome_in_the_first_half_of_2025(demo, db):
    shown = totals("2025-H1", LANGSON_SITES)
    assert all(shown[category] > 0 for category in CATEGORIES), shown


def test_the_province_is_mostly_on_time_and_the_commune_often_late_in_2025(demo, db):
    by_site = {row.agency: row for row in figures("2025", ["langson", "hoangvanthu"])}
    province, commune = by_site["Ủy ban nhân dân tỉnh Lạng Sơn"], by_site["Ủy ban nhân dân xã Hoàng Văn Thụ"]
    assert province.on_time_share > 0.75
    assert commune.on_time_share < 0.5 and commune.late > commune.on_time


def test_a_document_issued_on_the_last_working_day_before_tet_is_due_the_first_working_day_after_it(demo, db):
    # Tết Ất Tỵ: days off from Saturday 25/1 to Sunday 2/2/2025; one working day from Friday 24/1 is Monday 3/2.
    dispatch = DirectiveDocument.objects.get(issued_on=date(2025, 1, 24), issuer__slug="thu-tuong")
    due = {(p.obligated_at, p.due_at) for p in dispatch.publications.all()}
    assert due == {(datetime(2025, 1, 24, 8, 0, tzinfo=VN), datetime(2025, 2, 3, 8, 0, tzinfo=VN))}


def test_more_of_what_falls_due_around_tet_goes_up_late(demo, db):
    live = Counter()
    for publication in history().filter(status=PublicationStatus.PUBLISHED):
        around_tet = TET_RUSH[0] <= vn_date(publication.due_at) <= TET_RUSH[1]
        live[around_tet, publication.on_time] += 1
    late_share = {tet: live[tet, False] / (live[tet, False] + live[tet, True]) for tet in (True, False)}
    assert late_share[True] > 2 * late_share[False], live


def test_a_second_load_adds_nothing(demo, db):
    assert demo.first == Counter(
        history_directives=len(HISTORY), history_publications=sum(len(item.outcomes) for item in HISTORY)
    )
    assert not any(demo.second.values())
    assert demo.after_second == demo.after_first


def test_the_year_s_codes_never_repeat_a_hand_written_document_s(demo, db):
    assert {item.code for item in HISTORY}.isdisjoint({item.code for item in DIRECTIVES})
    assert DirectiveDocument.objects.count() == len(HISTORY) + len(DIRECTIVES)


def test_every_publication_of_the_year_was_obligated_and_fell_due_in_2025(demo, db):
    publications = list(history())
    assert {vn_date(p.obligated_at).year for p in publications} == {2025}
    assert {vn_date(p.due_at).year for p in publications} == {2025}
    assert {vn_date(p.due_at).month for p in publications} == set(range(1, 13))
    assert all(p.first_published_at > p.obligated_at for p in publications if p.first_published_at)


def test_the_commune_carries_only_what_was_issued_once_it_was_formed(demo, db):
    issued = history().filter(site__agency__slug="hoangvanthu").values_list("document__issued_on", flat=True)
    assert issued and min(issued) >= date(2025, 7, 1)


def test_a_declined_publication_says_why_was_never_live_and_was_logged_when_it_was_declined(demo, db):
    declined = list(history().filter(status=PublicationStatus.DECLINED))
    logged = dict(PublicationLogEntry.objects.filter(action=DECLINE).values_list("publication_id", "timestamp"))
    assert declined
    for publication in declined:
        assert publication.reason.startswith(("Không thuộc", "Văn bản", "Nội dung")), publication.reason
        assert publication.first_published_at is None and publication.on_time is None
        assert publication.obligated_at < publication.decided_at < NOW
        assert logged[publication.pk] == publication.decided_at


def test_each_live_publication_of_the_year_is_logged_when_it_went_live(demo, db):
    live = dict(history().filter(status=PublicationStatus.PUBLISHED).values_list("pk", "published_at"))
    logged = dict(PublicationLogEntry.objects.filter(action=PUBLISH, publication_id__in=live).values_list(
        "publication_id", "timestamp"))  # fmt: skip
    assert live and logged == live


def test_the_year_sends_no_deadline_e_mail_now_as_its_notices_went_out_back_then(demo, db):
    never_put_up = history().filter(status=PublicationStatus.QUEUED)
    assert never_put_up and all(p.overdue_sent_at == p.due_at for p in never_put_up)
    send_warnings(NOW)
    codes = {item.code for item in HISTORY}
    assert not [message for message in mail.outbox if any(code in message.body for code in codes)]
