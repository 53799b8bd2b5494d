"""The demo's report deadlines: the dates of Lạng Sơn's, Lai Châu's and the commune's plans, loaded once."""

from datetime import date

import pytest

from news57.demo.report_deadlines import load_report_deadlines
from news57.models import ReportDeadline
from news57.promptness.report_calendar import due_next

pytestmark = pytest.mark.django_db


def dates(slug):
    return sorted(
        (row.frequency, row.month or 0, row.day, row.covers)
        for row in ReportDeadline.objects.filter(agency__slug=slug)
    )


def test_the_demo_s_dates_are_loaded_once(platform):
    assert load_report_deadlines(platform) == 7
    assert load_report_deadlines(platform) == 0
    assert ReportDeadline.objects.count() == 7


def test_each_demo_agency_has_the_dates_of_its_plan(platform):
    load_report_deadlines(platform)

    assert dates("langson") == [("half_year", 6, 10, "current"), ("half_year", 12, 10, "current")]
    assert dates("vpubnd-laichau") == [("half_year", 6, 15, "current"), ("month", 0, 15, "previous"),
                                       ("year", 12, 15, "current")]  # fmt: skip
    assert dates("hoangvanthu") == [("half_year", 1, 5, "previous"), ("half_year", 6, 5, "current")]
    assert ReportDeadline.objects.get(agency__slug="langson", month=6).covers_subordinates


def test_an_administrator_s_change_survives_loading_again(platform):
    load_report_deadlines(platform)
    ReportDeadline.objects.filter(agency__slug="langson", month=6).update(recipient="Sở KH&CN")

    load_report_deadlines(platform)

    assert ReportDeadline.objects.get(agency__slug="langson", month=6).recipient == "Sở KH&CN"


def test_the_commune_owes_its_own_report_and_lang_son_s_in_june(platform):
    load_report_deadlines(platform)

    found = due_next([platform["hoangvanthu"].agency], date(2026, 6, 1), limit=2)

    assert [(item.due.on, item.deadline.agency.slug, item.due.period_key) for item in found] == [
        (date(2026, 6, 5), "hoangvanthu", "2026-H1"),
        (date(2026, 6, 10), "langson", "2026-H1"),
    ]
