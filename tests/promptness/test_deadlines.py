"""Each publication is given its due time by its subscription's rule, keeps that rule's terms as they were,
and is counted again only when a superuser recomputes a period."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from news57.models import (
    DeadlineClock,
    DeadlineRule,
    DeadlineUnit,
    DirectiveDocument,
    Publication,
    PublicationLogEntry,
    Source,
    SourceEntry,
    Subscription,
)
from news57.models.sources import key_hash
from news57.promptness.recompute import RECOMPUTED, recompute
from news57.republishing.fanout import fan_out

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)
# Issued on Friday 7/3/2025 at 16:45; the province's feed carried it on Saturday 8/3 at 10:00.
ISSUED = datetime(2025, 3, 7, 16, 45, tzinfo=VN)
ON_THE_FEED = datetime(2025, 3, 8, 10, 0, tzinfo=VN)


@pytest.fixture
def feed(platform):
    langson = platform["langson"].agency
    source = Source.objects.create(
        name="UBND tỉnh Lạng Sơn", url="https://langson.example.vn/rss", default_issuer=langson, level="province"
    )
    plan = DirectiveDocument.objects.create(
        code="211/KH-UBND", title="Kế hoạch số 211/KH-UBND", issuer=langson, issued_on=date(2025, 3, 7),
        source_published_at=ISSUED,
    )  # fmt: skip
    SourceEntry.objects.create(
        source=source, guid="urn:211", guid_hash=key_hash("urn:211"), kind="document", document=plan,
        title=plan.title, published_at=ON_THE_FEED,
    )  # fmt: skip
    return source, plan


def carry(feed, setup, **rule):
    source, plan = feed
    rule = DeadlineRule.objects.create(name=rule.pop("name", "Một ngày làm việc"), **rule)
    Subscription.objects.create(source=source, agency=setup.agency, deadline_rule=rule, starts_at=LONG_AGO)
    fan_out([plan.pk])
    return Publication.objects.get(document=plan, site=setup.site), rule


def test_a_working_days_rule_counts_from_the_issuer_s_publication(platform, feed):
    publication, _rule = carry(feed, platform["langson"], unit=DeadlineUnit.WORKING_DAYS, amount=1)
    assert (publication.obligated_at, publication.due_at) == (ISSUED, datetime(2025, 3, 10, 16, 45, tzinfo=VN))


def test_a_rule_may_start_the_clock_at_the_arrival_on_the_subscribed_source(platform, feed):
    publication, _rule = carry(
        feed, platform["langson"], unit=DeadlineUnit.WORKING_DAYS, amount=1, clock=DeadlineClock.SOURCE
    )
    # Saturday's arrival counts from Monday 08:00.
    assert (publication.obligated_at, publication.due_at) == (ON_THE_FEED, datetime(2025, 3, 11, 8, 0, tzinfo=VN))


def test_the_publication_keeps_the_rule_s_name_and_terms(platform, feed):
    publication, _rule = carry(feed, platform["langson"], name="24 giờ", unit=DeadlineUnit.HOURS, amount=24)
    assert (publication.deadline_rule, publication.deadline_unit, publication.deadline_amount) == (
        "24 giờ", DeadlineUnit.HOURS, 24,
    )  # fmt: skip
    assert publication.deadline_clock == DeadlineClock.ISSUER
    assert publication.deadline_terms == "24 giờ, tính từ khi cơ quan ban hành công bố"


def test_a_rule_changed_afterwards_leaves_stored_due_times_as_they_were(platform, feed):
    publication, rule = carry(feed, platform["langson"], unit=DeadlineUnit.WORKING_DAYS, amount=1)
    rule.unit, rule.amount, rule.name = DeadlineUnit.HOURS, 2, "Hai giờ"
    rule.save()
    fan_out([feed[1].pk])

    publication.refresh_from_db()
    assert publication.due_at == datetime(2025, 3, 10, 16, 45, tzinfo=VN)
    assert (publication.deadline_rule, publication.deadline_unit, publication.deadline_amount) == (
        "Một ngày làm việc", DeadlineUnit.WORKING_DAYS, 1,
    )  # fmt: skip


def test_whether_it_went_live_in_time_is_stored_when_it_goes_live(platform, feed):
    publication, _rule = carry(feed, platform["langson"], unit=DeadlineUnit.WORKING_DAYS, amount=1)
    # Published at once by the subscription, years after the due time.
    assert Publication.objects.filter(pk=publication.pk, on_time=False).exists()


def test_a_superuser_s_recompute_counts_the_period_again_by_the_rule_as_it_is_now(platform, feed, admin_user):
    publication, rule = carry(feed, platform["langson"], unit=DeadlineUnit.WORKING_DAYS, amount=1)
    rule.amount = 5
    rule.save()

    result = recompute(date(2025, 3, 1), date(2025, 3, 31), admin_user)

    publication.refresh_from_db()
    # Fri 7/3 16:45 + 5 working days = Fri 14/3 16:45.
    assert publication.due_at == datetime(2025, 3, 14, 16, 45, tzinfo=VN) and publication.deadline_amount == 5
    assert (result.examined, result.changed) == (1, 1)
    entry = PublicationLogEntry.objects.get(publication=publication, action=RECOMPUTED)
    assert entry.user == admin_user
    assert entry.data["old_due"] == "2025-03-10T09:45:00+00:00"


def test_a_recompute_leaves_other_periods_alone_and_logs_nothing_when_nothing_changed(platform, feed, admin_user):
    publication, rule = carry(feed, platform["langson"], unit=DeadlineUnit.WORKING_DAYS, amount=1)
    rule.amount = 5
    rule.save()
    assert recompute(date(2025, 4, 1), date(2025, 4, 30), admin_user).examined == 0

    rule.amount = 1
    rule.save()
    assert recompute(date(2025, 3, 1), date(2025, 3, 31), admin_user).changed == 0
    assert not PublicationLogEntry.objects.filter(action=RECOMPUTED).exists()
    publication.refresh_from_db()
    assert publication.due_at == datetime(2025, 3, 10, 16, 45, tzinfo=VN)
