"""When each periodic report is next due and which period it reports, from the plans' dates kept as rows:
Lạng Sơn's agencies before 10 June and 10 December, Lai Châu's office on the 15th of every month, by 15 June
and by 15 December, a commune's units before 5 June and 5 January (the latter for the half-year before).

A monthly report due on the 15th reports the month just ended when its row says "the period before",
as the demo's Lai Châu office does: due 15/02/2026, it is January's.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from news57.models import ReportCovers, ReportDeadline, ReportFrequency
from news57.promptness import report_calendar
from news57.promptness.report_calendar import due_next, next_due, occurrences

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
HALF, MONTH, YEAR = ReportFrequency.HALF_YEAR, ReportFrequency.MONTH, ReportFrequency.YEAR
PREVIOUS = ReportCovers.PREVIOUS


def row(frequency, day, month=None, covers=ReportCovers.CURRENT, **fields):
    fields = {"recipient": "Sở Khoa học và Công nghệ", **fields}
    return ReportDeadline(frequency=frequency, day=day, month=month, covers=covers, **fields)


def shown(due):
    return f"{due.on:%d/%m/%Y}", due.period.first_day, due.period.last_day, due.period.name


LANGSON = [row(HALF, 10, 6), row(HALF, 10, 12)]
COMMUNE = [row(HALF, 5, 6), row(HALF, 5, 1, PREVIOUS)]


def soonest(rows, today):
    return min((next_due(deadline, today) for deadline in rows), key=lambda due: due.on)


# Occurrences


def test_the_day_after_10_june_lang_son_s_next_report_is_due_10_december_for_the_second_half_of_the_year():
    assert shown(soonest(LANGSON, date(2026, 6, 11))) == (
        "10/12/2026", date(2026, 7, 1), date(2026, 12, 31), "6 tháng cuối năm 2026"
    )


def test_on_10_june_itself_lang_son_s_report_of_the_first_half_year_is_still_due():
    assert shown(soonest(LANGSON, date(2026, 6, 10))) == (
        "10/06/2026", date(2026, 1, 1), date(2026, 6, 30), "6 tháng đầu năm 2026"
    )


def test_after_10_december_lang_son_s_next_report_is_the_next_year_s_first_half():
    due = soonest(LANGSON, date(2026, 12, 11))
    assert (due.on, due.period_key) == (date(2027, 6, 10), "2027-H1")


def test_in_late_december_the_commune_s_next_report_is_due_5_january_for_the_half_year_just_ended():
    assert shown(soonest(COMMUNE, date(2026, 12, 20))) == (
        "05/01/2027", date(2026, 7, 1), date(2026, 12, 31), "6 tháng cuối năm 2026"
    )


def test_the_commune_s_report_due_5_june_is_of_the_half_year_it_falls_in():
    due = soonest(COMMUNE, date(2027, 1, 6))
    assert (due.on, due.period_key, due.period.name) == (date(2027, 6, 5), "2027-H1", "6 tháng đầu năm 2027")


def test_a_monthly_report_due_on_the_15th_is_due_today_on_the_15th():
    due = next_due(row(MONTH, 15, covers=PREVIOUS), date(2026, 1, 15))
    assert shown(due) == ("15/01/2026", date(2025, 12, 1), date(2025, 12, 31), "Tháng 12/2025")


def test_the_day_after_the_next_monthly_report_is_due_15_february_for_january():
    due = next_due(row(MONTH, 15, covers=PREVIOUS), date(2026, 1, 16))
    assert shown(due) == ("15/02/2026", date(2026, 1, 1), date(2026, 1, 31), "Tháng 01/2026")
    assert due.period_key == "2026-01"


def test_a_monthly_report_of_the_month_it_falls_in_reports_that_month():
    assert next_due(row(MONTH, 15), date(2026, 1, 16)).period_key == "2026-02"


def test_a_monthly_report_due_in_december_crosses_into_the_next_year():
    due = next_due(row(MONTH, 15, covers=PREVIOUS), date(2026, 12, 16))
    assert (due.on, due.period_key) == (date(2027, 1, 15), "2026-12")


def test_lai_chau_s_yearly_report_due_15_december_is_of_that_year():
    due = next_due(row(YEAR, 15, 12), date(2026, 12, 15))
    assert shown(due) == ("15/12/2026", date(2026, 1, 1), date(2026, 12, 31), "Năm 2026")


def test_a_yearly_report_of_the_year_before_names_that_year():
    assert next_due(row(YEAR, 31, 3, PREVIOUS), date(2026, 4, 1)).period_key == "2026"
    assert next_due(row(YEAR, 31, 3, PREVIOUS), date(2026, 3, 31)).period_key == "2025"


def test_a_row_saved_without_its_checks_falls_due_on_the_last_day_of_a_short_month():
    assert next_due(row(YEAR, 29, 2), date(2026, 1, 1)).on == date(2026, 2, 28)
    assert next_due(row(MONTH, 31), date(2026, 4, 1)).on == date(2026, 4, 30)


def test_a_half_yearly_row_without_its_month_never_falls_due():
    assert next_due(row(HALF, 10), date(2026, 1, 1)) is None


def test_every_occurrence_of_a_year_in_order():
    found = occurrences(row(MONTH, 15, covers=PREVIOUS), date(2026, 1, 1), date(2026, 12, 31))
    assert [due.on for due in found] == [date(2026, month, 15) for month in range(1, 13)]
    assert found[0].period_key == "2025-12" and found[-1].period_key == "2026-11"


def test_today_is_the_vietnam_date(monkeypatch):
    # 17:30 UTC on 31 December is already 1 January in Vietnam.
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 12, 31, 17, 30, tzinfo=ZoneInfo("UTC")))
    assert report_calendar.vietnam_today() == date(2027, 1, 1)


# The checks an administrator's row goes through


def errors(deadline):
    with pytest.raises(ValidationError) as raised:
        deadline.clean()
    return {field: " ".join(messages) for field, messages in raised.value.message_dict.items()}


def test_day_31_of_june_is_refused_in_vietnamese():
    assert errors(row(YEAR, 31, 6)) == {"day": "Tháng 6 không có ngày 31."}


def test_29_february_is_refused_for_a_date_due_every_year():
    assert errors(row(YEAR, 29, 2)) == {"day": "Tháng 2 không có ngày 29."}


def test_a_monthly_report_on_the_31st_is_refused_since_not_every_month_has_one():
    assert "Không phải tháng nào cũng có ngày 31" in errors(row(MONTH, 31))["day"]


def test_a_half_yearly_or_yearly_report_needs_its_month():
    assert "Chọn tháng đến hạn" in errors(row(HALF, 10))["month"]
    assert "Chọn tháng đến hạn" in errors(row(YEAR, 15))["month"]


def test_a_monthly_report_names_no_month():
    assert "để trống ô tháng" in errors(row(MONTH, 15, 6))["month"]


def test_a_half_yearly_report_due_5_january_must_report_the_half_year_before():
    assert "hãy chọn kỳ liền trước ngày đến hạn" in errors(row(HALF, 5, 1))["covers"]
    row(HALF, 5, 1, PREVIOUS).clean()


def test_a_monthly_report_due_on_the_first_must_report_the_month_before():
    assert "covers" in errors(row(MONTH, 1))
    row(MONTH, 1, covers=PREVIOUS).clean()


@pytest.mark.parametrize(
    "deadline",
    [row(HALF, 10, 6), row(HALF, 10, 12), row(MONTH, 15, covers=PREVIOUS), row(YEAR, 15, 12), *COMMUNE],
)
def test_the_plans_dates_pass_the_checks(deadline):
    deadline.clean()


# What each agency owes next


@pytest.fixture
def deadlines(platform):
    langson, laichau, commune = (platform[slug].agency for slug in ("langson", "vpubnd-laichau", "hoangvanthu"))
    made = {
        "langson_h1": row(HALF, 10, 6, agency=langson, covers_subordinates=True),
        "langson_h2": row(HALF, 10, 12, agency=langson, covers_subordinates=True),
        "laichau_month": row(MONTH, 15, covers=PREVIOUS, agency=laichau, recipient="UBND tỉnh Lai Châu"),
        "commune_h1": row(HALF, 5, 6, agency=commune, recipient="Văn phòng HĐND và UBND xã"),
        "commune_h2": row(HALF, 5, 1, PREVIOUS, agency=commune, recipient="Văn phòng HĐND và UBND xã"),
        # Set for the province's own report only: not the commune's to send.
        "langson_own": row(YEAR, 20, 12, agency=langson, recipient="Bộ Khoa học và Công nghệ"),
    }
    for deadline in made.values():
        deadline.save()
    return made


def test_a_commune_owes_its_own_reports_and_the_province_s_covering_ones_soonest_first(platform, deadlines):
    commune = platform["hoangvanthu"].agency

    found = due_next([commune], date(2026, 5, 20), limit=None)

    assert [(item.deadline, item.due.on, item.days_left) for item in found] == [
        (deadlines["commune_h1"], date(2026, 6, 5), 16),
        (deadlines["langson_h1"], date(2026, 6, 10), 21),
        (deadlines["langson_h2"], date(2026, 12, 10), 204),
        (deadlines["commune_h2"], date(2027, 1, 5), 230),
    ]
    assert {item.agency for item in found} == {commune}


def test_a_report_due_today_is_listed_with_no_days_left(platform, deadlines):
    [first, *_rest] = due_next([platform["hoangvanthu"].agency.pk], date(2026, 6, 5), limit=1)
    assert (first.deadline, first.days_left, first.period.name) == (deadlines["commune_h1"], 0, "6 tháng đầu năm 2026")


def test_the_province_s_covering_rows_are_listed_once_as_the_province_s(platform, deadlines):
    agencies = [platform[slug].agency for slug in ("langson", "thanhtra-langson", "hoangvanthu")]

    found = due_next(agencies, date(2026, 11, 1), limit=None)

    owing = {}
    for item in found:
        owing.setdefault(item.deadline.pk, []).append(item.agency.slug)
    assert owing == {
        deadlines["langson_h1"].pk: ["langson"],
        deadlines["langson_h2"].pk: ["langson"],
        deadlines["langson_own"].pk: ["langson"],
        deadlines["commune_h1"].pk: ["hoangvanthu"],
        deadlines["commune_h2"].pk: ["hoangvanthu"],
    }
    assert [item.due.on for item in found] == sorted(item.due.on for item in found)


def test_a_department_owes_its_province_s_covering_deadlines_and_not_its_own_report(platform, deadlines):
    found = due_next([platform["thanhtra-langson"].agency], date(2026, 11, 1), limit=None)

    assert [(item.deadline, item.agency.slug, item.due.period_key) for item in found] == [
        (deadlines["langson_h2"], "thanhtra-langson", "2026-H2"),
        (deadlines["langson_h1"], "thanhtra-langson", "2027-H1"),
    ]


def test_another_province_s_deadlines_are_not_owed(platform, deadlines):
    found = due_next([platform["hoangvanthu"].agency], date(2026, 1, 1), limit=None)
    assert deadlines["laichau_month"] not in {item.deadline for item in found}


def test_the_limit_keeps_the_soonest(platform, deadlines):
    found = due_next([platform["vpubnd-laichau"].agency], date(2026, 1, 16), limit=1)
    assert [(item.due.on, item.due.period_key) for item in found] == [(date(2026, 2, 15), "2026-01")]
