"""Working days as Vietnamese agencies count them: weekends, public holidays (Tết by the lunar calendar),
the government's make-up Saturdays, and the days an administrator adds or removes.

Every expected time is written out here, never derived from the holidays package.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from news57.models import CalendarDay, CalendarDayKind, DeadlineUnit
from news57.promptness import calendar
from news57.promptness.deadlines import due_at

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(*args):
    return datetime(*args, tzinfo=VN)


def working_days(count, start):
    return due_at(DeadlineUnit.WORKING_DAYS, count, start, calendar.load())


def test_one_working_day_from_the_friday_before_tet_2025_is_the_monday_after_it():
    assert working_days(1, vn(2025, 1, 24, 16, 0)) == vn(2025, 2, 3, 16, 0)


def test_one_working_day_from_friday_afternoon_is_monday_at_the_same_time():
    assert working_days(1, vn(2025, 3, 7, 16, 45)) == vn(2025, 3, 10, 16, 45)


def test_an_obligation_starting_on_saturday_counts_from_monday_at_eight():
    assert working_days(1, vn(2025, 3, 8, 10, 0)) == vn(2025, 3, 11, 8, 0)


def test_the_law_s_five_working_days_skip_national_day():
    # Fri 29/8 is day 1; Mon 1/9 and Tue 2/9 are National Day; then Wed, Thu, Fri, Mon.
    assert working_days(5, vn(2025, 8, 28, 9, 0)) == vn(2025, 9, 8, 9, 0)


def test_the_government_s_make_up_saturday_counts():
    # Saturday 26/4/2025 was worked to make Friday 2/5 a day off.
    assert working_days(1, vn(2025, 4, 25, 10, 0)) == vn(2025, 4, 26, 10, 0)
    # 30/4 and 1/5 are holidays, 2/5 the day off it paid for: counted from Monday 5/5 08:00.
    assert working_days(1, vn(2025, 4, 30, 10, 0)) == vn(2025, 5, 6, 8, 0)


def test_an_administrator_s_make_up_saturday_counts():
    CalendarDay.objects.create(day=vn(2025, 3, 15).date(), kind=CalendarDayKind.WORKING_DAY, reason="Làm bù")
    assert working_days(1, vn(2025, 3, 14, 9, 0)) == vn(2025, 3, 15, 9, 0)


def test_a_day_off_the_administrator_adds_does_not_count():
    CalendarDay.objects.create(day=vn(2025, 3, 10).date(), kind=CalendarDayKind.DAY_OFF, reason="Nghỉ thêm")
    assert working_days(1, vn(2025, 3, 7, 16, 45)) == vn(2025, 3, 11, 16, 45)


def test_a_day_saved_counts_from_the_next_count_on():
    before = working_days(1, vn(2025, 3, 7, 16, 45))
    CalendarDay.objects.create(day=vn(2025, 3, 10).date(), kind=CalendarDayKind.DAY_OFF, reason="Nghỉ thêm")
    assert (before, working_days(1, vn(2025, 3, 7, 16, 45))) == (vn(2025, 3, 10, 16, 45), vn(2025, 3, 11, 16, 45))


def test_an_hours_rule_counts_calendar_hours_through_the_weekend():
    assert due_at(DeadlineUnit.HOURS, 24, vn(2025, 3, 8, 10, 0), calendar.load()) == vn(2025, 3, 9, 10, 0)


def test_the_due_time_is_a_moment_stored_as_utc_whatever_zone_it_came_in():
    start = datetime(2025, 3, 7, 9, 45, tzinfo=ZoneInfo("UTC"))  # 16:45 in Hà Nội
    assert working_days(1, start) == datetime(2025, 3, 10, 9, 45, tzinfo=ZoneInfo("UTC"))


def test_a_calendar_with_no_working_day_left_gives_no_due_time_instead_of_counting_for_ever():
    first = vn(2025, 3, 1).date()
    off = calendar.WorkingCalendar(days_off={first + timedelta(days=n) for n in range(100)})
    assert due_at(DeadlineUnit.WORKING_DAYS, 1, vn(2025, 3, 1, 9, 0), off) is None


def test_a_start_at_the_end_of_the_calendar_gives_no_due_time_instead_of_an_overflow():
    end = datetime(9999, 12, 31, 9, 0, tzinfo=ZoneInfo("UTC"))
    assert due_at(DeadlineUnit.WORKING_DAYS, 5, end, calendar.load()) is None
    assert due_at(DeadlineUnit.HOURS, 24, end, calendar.load()) is None
