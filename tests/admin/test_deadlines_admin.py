"""The deadline screens: rules counted in working days or hours, the administrator's own calendar days,
and the superuser's explicit recompute of a period, each change in the publication's history."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from news57.models import (
    CalendarDay,
    CalendarDayKind,
    DeadlineClock,
    DeadlineRule,
    DeadlineUnit,
    DirectiveDocument,
    Publication,
    PublicationLogEntry,
)
from news57.promptness import calendar
from news57.promptness.recompute import RECOMPUTED

from shown import shown_text

pytestmark = pytest.mark.django_db
RECOMPUTE = reverse("news57_deadlines_recompute")


@pytest.fixture
def superuser(client, make_user):
    client.force_login(make_user("quantri", superuser=True))
    return client


def rule_form(**fields):
    return {"name": "Một ngày làm việc", "unit": "working_days", "amount": "1", "clock": "issuer", **fields}


def test_a_rule_is_made_in_working_days_from_the_source_s_arrival(superuser):
    response = superuser.post(reverse("news57_deadline_rules:add"), rule_form(clock="source"))
    assert response.status_code == 302
    rule = DeadlineRule.objects.get(name="Một ngày làm việc")
    assert (rule.unit, rule.amount, rule.clock) == (DeadlineUnit.WORKING_DAYS, 1, DeadlineClock.SOURCE)
    listing = shown_text(superuser.get(reverse("news57_deadline_rules:index")))
    assert "1 ngày làm việc, tính từ khi văn bản xuất hiện trên nguồn tin đăng ký nhận" in listing


@pytest.mark.parametrize(
    "amount, error",
    [("0", "lớn hơn hoặc bằng"), ("61", "Tối đa 60 đối với đơn vị tính này"), ("abc", "Nhập một số")],
)
def test_a_rule_with_an_impossible_amount_is_refused_in_vietnamese(superuser, amount, error):
    response = superuser.post(reverse("news57_deadline_rules:add"), rule_form(amount=amount))
    assert response.status_code == 200 and not DeadlineRule.objects.exists()
    assert error in shown_text(response)


def test_sixty_one_hours_is_a_valid_rule(superuser):
    superuser.post(reverse("news57_deadline_rules:add"), rule_form(unit="hours", amount="61"))
    assert DeadlineRule.objects.get().amount == 61


def test_a_make_up_saturday_is_saved_and_listed_beside_the_official_calendar(superuser):
    response = superuser.post(
        reverse("news57_calendar_days:add"), {"day": "2025-03-15", "kind": "working", "reason": "Làm bù thứ Hai"}
    )
    assert response.status_code == 302
    assert CalendarDay.objects.get().kind == CalendarDayKind.WORKING_DAY
    listing = shown_text(superuser.get(reverse("news57_calendar_days:index")))
    assert "15/03/2025" in listing and "Cuối tuần" in listing and "Làm bù thứ Hai" in listing


def test_the_calendar_screen_lists_the_official_holidays_and_make_up_saturdays_of_this_year_and_the_next(superuser):
    page = shown_text(superuser.get(reverse("news57_calendar_days:index")))
    this_year = timezone.localtime().year
    assert f"Năm {this_year}" in page and f"Năm {this_year + 1}" in page
    # Every year has Tết Dương lịch on 1 January.
    assert f"01/01/{this_year + 1} (" in page and "Tết Dương lịch" in page


def test_the_official_calendar_names_2025_s_holidays_and_its_make_up_saturday():
    days = dict(calendar.official_days(2025))
    assert days[date(2025, 1, 29)] == "Tết Nguyên Đán"
    assert days[date(2025, 9, 2)] == "Quốc khánh"
    assert days[date(2025, 4, 26)] == ""  # worked, for Friday 2/5


def test_a_day_the_official_calendar_already_has_off_is_refused(superuser):
    # 29/1/2025 is Tết Nguyên Đán.
    response = superuser.post(reverse("news57_calendar_days:add"), {"day": "2025-01-29", "kind": "off", "reason": "Tết"})
    assert response.status_code == 200 and not CalendarDay.objects.exists()
    assert "Lịch nhà nước đã có ngày này là ngày nghỉ" in shown_text(response)


def test_a_tet_day_off_granted_beyond_the_official_calendar_lists_its_holiday_neighbour(superuser):
    superuser.post(reverse("news57_calendar_days:add"), {"day": "2025-02-03", "kind": "off", "reason": "Nghỉ thêm"})
    CalendarDay.objects.create(day=date(2025, 1, 27), kind=CalendarDayKind.WORKING_DAY, reason="Làm việc")
    listing = shown_text(superuser.get(reverse("news57_calendar_days:index")))
    assert "03/02/2025" in listing and "29 Tết" in listing


@pytest.fixture
def queued(platform):
    """A publication due by a rule that has since changed."""
    plan = DirectiveDocument.objects.create(code="211/KH-UBND", title="Kế hoạch 211", issuer=platform["langson"].agency)
    from news57.models import Source, Subscription

    rule = DeadlineRule.objects.create(name="Năm ngày", unit="working_days", amount=5)
    source = Source.objects.create(
        name="Nguồn", url="https://ls.example.vn/rss", level="province", default_issuer=platform["langson"].agency
    )
    subscription = Subscription.objects.create(
        source=source, agency=platform["hoangvanthu"].agency, deadline_rule=rule, starts_at=datetime(2020, 1, 1, tzinfo=UTC)
    )
    publication = Publication.objects.create(
        document=plan, site=platform["hoangvanthu"].site, subscription=subscription,
        obligated_at=datetime(2025, 3, 7, 9, 45, tzinfo=UTC), due_at=datetime(2025, 3, 10, 9, 45, tzinfo=UTC),
        source_time=datetime(2025, 3, 7, 9, 45, tzinfo=UTC), **{**rule.terms, "deadline_amount": 1},
    )  # fmt: skip
    return publication


def test_the_superuser_recomputes_a_period_and_the_publication_history_says_so(superuser, queued):
    assert "Tính lại hạn đăng tải" in shown_text(superuser.get(reverse("news57_deadline_rules:index")))

    response = superuser.post(RECOMPUTE, {"first_day": "2025-03-01", "last_day": "2025-03-31", "agency": ""}, follow=True)

    assert "1/1" in shown_text(response) or "1 trong số 1" in shown_text(response)
    queued.refresh_from_db()
    assert queued.due_at == datetime(2025, 3, 14, 9, 45, tzinfo=UTC)
    entry = PublicationLogEntry.objects.get(publication=queued, action=RECOMPUTED)
    history = shown_text(superuser.get(reverse("news57_publications:history", args=[queued.pk])))
    assert "Hạn đăng tải được tính lại: 10/03/2025 16:45 → 14/03/2025 16:45 (Năm ngày)" in history
    assert entry.user.username == "quantri"


def test_a_period_ending_before_it_starts_is_refused(superuser, queued):
    response = superuser.post(RECOMPUTE, {"first_day": "2025-03-31", "last_day": "2025-03-01"})
    assert "Ngày kết thúc của kỳ ở trước ngày bắt đầu" in shown_text(response)
    queued.refresh_from_db()
    assert queued.due_at == datetime(2025, 3, 10, 9, 45, tzinfo=UTC)


def test_a_province_administrator_may_view_rules_but_not_recompute(client, administrator_of, queued):
    client.force_login(administrator_of("langson"))
    assert "Tính lại hạn đăng tải" not in shown_text(client.get(reverse("news57_deadline_rules:index")))
    # Wagtail answers a refusal inside the admin with a redirect to the dashboard.
    assert client.get(RECOMPUTE)["Location"] == reverse("wagtailadmin_home")
    client.post(RECOMPUTE, {"first_day": "2025-03-01", "last_day": "2025-03-31"})
    queued.refresh_from_db()
    assert queued.due_at == datetime(2025, 3, 10, 9, 45, tzinfo=UTC)
    assert client.get(reverse("news57_calendar_days:index"))["Location"] == reverse("wagtailadmin_home")


def test_the_publications_listing_and_its_export_show_how_each_due_time_was_counted(superuser, queued):
    Publication.objects.filter(pk=queued.pk).update(
        status="published", published_at=datetime(2025, 3, 11, 1, 0, tzinfo=UTC),
        first_published_at=datetime(2025, 3, 11, 1, 0, tzinfo=UTC), on_time=False,
    )  # fmt: skip
    listing = shown_text(superuser.get(reverse("news57_publications:index")))
    workbook = shown_text(superuser.get(reverse("news57_publications:index"), {"export": "xlsx"}))
    for shown in (listing, workbook):
        assert "1 ngày làm việc, tính từ khi cơ quan ban hành công bố" in shown
        assert "Trễ hạn" in shown
    inspect = shown_text(superuser.get(reverse("news57_publications:inspect", args=[queued.pk])))
    assert "Cách tính" in inspect and "Trễ hạn" in inspect
