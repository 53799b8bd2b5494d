"""The calendar of report deadlines: kept by a province's administrators for their own agencies only,
and shown as what is due next on the admin home of the agencies' people and their supervisors.

The cast: Lạng Sơn's agencies report to its Department of Science and Technology before 10 June and
10 December; xã Hoàng Văn Thụ's units before 5 June and 5 January; Lai Châu's office on the 15th.
"""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from news57.admin import report_deadlines as panel_module
from news57.models import ReportCovers, ReportDeadline, ReportFrequency

from shown import shown_text

pytestmark = pytest.mark.django_db

HOME = reverse("wagtailadmin_home")
INDEX = reverse("news57_report_deadlines:index")
ADD = reverse("news57_report_deadlines:add")
PANEL = 'id="news57-report-deadlines'
LANGSON_DOST = "Sở Khoa học và Công nghệ tỉnh Lạng Sơn"
COMMUNE_OFFICE = "Văn phòng HĐND và UBND xã Hoàng Văn Thụ"
LAICHAU_COMMITTEE = "UBND tỉnh Lai Châu"
# The day the panel's tests are seen from: 20 May 2026, in Vietnam.
TODAY = date(2026, 5, 20)


def deadline(platform, slug, frequency, day, month=None, **fields):
    return ReportDeadline.objects.create(
        agency=platform[slug].agency, frequency=frequency, day=day, month=month,
        recipient=fields.pop("recipient", LANGSON_DOST), **fields,
    )  # fmt: skip


@pytest.fixture
def calendar_rows(platform):
    half = ReportFrequency.HALF_YEAR
    return {
        "langson_h1": deadline(platform, "langson", half, 10, 6, covers_subordinates=True),
        "langson_h2": deadline(platform, "langson", half, 10, 12, covers_subordinates=True),
        "commune_h1": deadline(platform, "hoangvanthu", half, 5, 6, recipient=COMMUNE_OFFICE),
        "commune_h2": deadline(
            platform, "hoangvanthu", half, 5, 1, covers=ReportCovers.PREVIOUS, recipient=COMMUNE_OFFICE
        ),
        "laichau_month": deadline(
            platform, "vpubnd-laichau", ReportFrequency.MONTH, 15, covers=ReportCovers.PREVIOUS,
            recipient=LAICHAU_COMMITTEE,
        ),  # fmt: skip
    }


@pytest.fixture
def seen_on(monkeypatch):
    """The panel's Vietnam today, fixed."""

    def fix(day):
        monkeypatch.setattr(panel_module, "vietnam_today", lambda: day)

    fix(TODAY)
    return fix


def form(agency, **fields):
    return {
        "agency": str(agency.pk), "recipient": LANGSON_DOST, "frequency": "half_year", "day": "10", "month": "6",
        "covers": "current", "basis": "Kế hoạch số 211/KH-UBND", **fields,
    }  # fmt: skip


# Who keeps the calendar


def test_lang_son_s_administrator_adds_a_deadline_for_lang_son_and_it_is_listed_in_words(
    platform, administrator_of, client
):
    client.force_login(administrator_of("langson"))

    response = client.post(ADD, form(platform["langson"].agency, covers_subordinates="on"))

    assert response.status_code == 302
    row = ReportDeadline.objects.get()
    assert (row.agency.slug, row.day, row.month, row.covers_subordinates) == ("langson", 10, 6, True)
    listing = shown_text(client.get(INDEX))
    assert LANGSON_DOST in listing and "ngày 10 tháng 6" in listing and "6 tháng" in listing
    assert "10/06/20" in listing  # the next due date, whichever year this runs in


def test_a_monthly_deadline_reads_as_the_day_of_every_month(platform, administrator_of, client):
    client.force_login(administrator_of("langson"))
    client.post(ADD, form(platform["langson"].agency, frequency="month", day="15", month="", covers="previous"))

    assert "ngày 15 hằng tháng" in shown_text(client.get(INDEX))


def test_lang_son_s_administrator_edits_lang_son_s_deadline(platform, administrator_of, calendar_rows, client):
    client.force_login(administrator_of("langson"))
    row = calendar_rows["langson_h2"]

    response = client.post(
        reverse("news57_report_deadlines:edit", args=[row.pk]), form(platform["langson"].agency, day="9", month="12")
    )

    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.day, row.month) == (9, 12)


def test_lai_chau_s_deadline_is_not_found_by_lang_son_s_administrator(administrator_of, calendar_rows, client):
    client.force_login(administrator_of("langson"))
    row = calendar_rows["laichau_month"]

    for view in ("edit", "delete", "history"):
        assert client.get(reverse(f"news57_report_deadlines:{view}", args=[row.pk])).status_code == 404
    client.post(reverse("news57_report_deadlines:delete", args=[row.pk]))

    assert ReportDeadline.objects.filter(pk=row.pk).exists()
    assert LAICHAU_COMMITTEE not in shown_text(client.get(INDEX))


def test_the_form_offers_only_the_administrator_s_own_agencies(administrator_of, client):
    client.force_login(administrator_of("langson"))

    response = client.get(ADD)

    offered = response.context["form"].fields["agency"].queryset
    assert {agency.slug for agency in offered} == {"langson", "thanhtra-langson", "hoangvanthu"}
    page = shown_text(response)
    assert "Ủy ban nhân dân xã Hoàng Văn Thụ" in page and "Văn phòng UBND tỉnh Lai Châu" not in page


def test_a_deadline_for_another_province_s_agency_is_refused(platform, administrator_of, client):
    client.force_login(administrator_of("langson"))

    response = client.post(ADD, form(platform["vpubnd-laichau"].agency))

    assert response.status_code == 200 and not ReportDeadline.objects.exists()
    assert "agency" in response.context["form"].errors


def test_day_31_of_june_is_refused_in_vietnamese(platform, administrator_of, client):
    client.force_login(administrator_of("langson"))

    response = client.post(ADD, form(platform["langson"].agency, day="31"))

    assert response.status_code == 200 and not ReportDeadline.objects.exists()
    assert "Tháng 6 không có ngày 31." in shown_text(response)


@pytest.mark.parametrize("role", ["editor", "leader", "supervisor"])
def test_agencies_people_and_supervisors_may_not_keep_the_calendar(
    role, platform, editor_of, leader_of, supervisor_of, calendar_rows, client
):
    user = {"editor": editor_of, "leader": leader_of, "supervisor": supervisor_of}[role]("langson")
    client.force_login(user)
    row = calendar_rows["langson_h1"]

    # Wagtail answers a refusal inside the admin with a redirect to the dashboard.
    for url in (INDEX, ADD, reverse("news57_report_deadlines:edit", args=[row.pk])):
        assert client.get(url)["Location"] == HOME
    client.post(ADD, form(platform["langson"].agency))
    client.post(reverse("news57_report_deadlines:delete", args=[row.pk]))

    assert ReportDeadline.objects.count() == len(calendar_rows)


def test_a_superuser_keeps_every_province_s_deadlines(platform, make_user, calendar_rows, client):
    client.force_login(make_user("quantri", superuser=True))

    response = client.post(ADD, form(platform["vpubnd-laichau"].agency, recipient=LAICHAU_COMMITTEE))

    assert response.status_code == 302
    listing = shown_text(client.get(INDEX))
    assert LANGSON_DOST in listing and LAICHAU_COMMITTEE in listing


# What is due next, on the admin home


def panel(client):
    page = shown_text(client.get(HOME))
    assert PANEL in page
    return page[page.index(PANEL):]


def test_a_commune_editor_sees_the_commune_s_and_lang_son_s_covering_deadlines_and_not_lai_chau_s(
    editor_of, calendar_rows, seen_on, client
):
    client.force_login(editor_of("hoangvanthu"))

    shown = panel(client)

    assert "Báo cáo sắp đến hạn" in shown
    assert COMMUNE_OFFICE in shown and "05/06/2026" in shown and "còn 16 ngày" in shown
    assert LANGSON_DOST in shown and "10/06/2026" in shown and "còn 21 ngày" in shown
    assert "6 tháng đầu năm 2026" in shown
    assert LAICHAU_COMMITTEE not in shown


def test_a_report_due_today_says_today_and_one_already_past_is_not_shown(editor_of, calendar_rows, seen_on, client):
    seen_on(date(2026, 6, 10))
    client.force_login(editor_of("hoangvanthu"))

    shown = panel(client)

    assert "10/06/2026" in shown and "hôm nay" in shown
    assert "05/06/2026" not in shown  # the commune's, five days ago: next due in 2027


def test_a_department_editor_sees_the_province_s_covering_deadline(editor_of, calendar_rows, seen_on, client):
    client.force_login(editor_of("thanhtra-langson"))

    shown = panel(client)

    assert LANGSON_DOST in shown and "10/06/2026" in shown
    assert COMMUNE_OFFICE not in shown and LAICHAU_COMMITTEE not in shown


def test_lang_son_s_supervisor_sees_the_province_s_deadlines_with_the_agency_that_owes_each(
    supervisor_of, calendar_rows, seen_on, client
):
    client.force_login(supervisor_of("langson"))

    shown = panel(client)

    assert LANGSON_DOST in shown and COMMUNE_OFFICE in shown
    assert "Ủy ban nhân dân tỉnh Lạng Sơn" in shown and "Ủy ban nhân dân xã Hoàng Văn Thụ" in shown
    assert LAICHAU_COMMITTEE not in shown


def test_lai_chau_s_supervisor_sees_the_monthly_report_of_the_month_just_ended(
    supervisor_of, calendar_rows, seen_on, client
):
    client.force_login(supervisor_of("laichau"))

    shown = panel(client)

    assert LAICHAU_COMMITTEE in shown and "15/06/2026" in shown and "Tháng 05/2026" in shown
    assert LANGSON_DOST not in shown


def test_each_line_links_to_the_compliance_report_of_its_period_and_agency(
    editor_of, calendar_rows, seen_on, client, monkeypatch
):
    # Any admin URL stands in for the compliance report's: the link is built the same way.
    monkeypatch.setattr(panel_module, "COMPLIANCE_REPORT_URL_NAME", "news57_inbox")
    client.force_login(editor_of("hoangvanthu"))

    shown = panel(client)

    assert f'href="{reverse("news57_inbox")}?period=2026-H1&amp;agency=hoangvanthu"' in shown


def test_without_the_compliance_report_the_lines_are_shown_without_a_link(
    editor_of, calendar_rows, seen_on, client, monkeypatch
):
    monkeypatch.setattr(panel_module, "COMPLIANCE_REPORT_URL_NAME", "news57_no_such_report")
    client.force_login(editor_of("hoangvanthu"))

    shown = panel(client)

    assert COMMUNE_OFFICE in shown and "period=" not in shown


def test_an_agency_without_deadlines_says_so(editor_of, seen_on, client):
    client.force_login(editor_of("hoangvanthu"))
    assert "Chưa có thời hạn báo cáo nào" in panel(client)


def test_a_source_administrator_has_no_panel(administrator_of, calendar_rows, client):
    client.force_login(administrator_of("langson"))
    assert PANEL not in shown_text(client.get(HOME))


def more_deadlines(platform, count):
    for n in range(count):
        for slug in ("langson", "hoangvanthu"):
            deadline(platform, slug, ReportFrequency.YEAR, 1 + n % 28, 6 + n % 6, recipient=f"Nơi nhận số {n}")


# A cache of this process's own, of its own location and cleared first, as the inbox's query test explains.
@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "deadline-panel-queries"}})
@pytest.mark.parametrize("who", ["editor", "supervisor"])
def test_the_panel_s_queries_do_not_grow_with_the_number_of_deadlines(
    who, platform, editor_of, supervisor_of, seen_on, client
):
    cache.clear()
    client.force_login(editor_of("hoangvanthu") if who == "editor" else supervisor_of("langson"))
    more_deadlines(platform, 2)
    client.get(HOME)  # warm the caches a first request fills
    with CaptureQueriesContext(connection) as few:
        client.get(HOME)
    more_deadlines(platform, 10)
    with CaptureQueriesContext(connection) as many:
        assert PANEL in shown_text(client.get(HOME))

    assert len(many) == len(few)


def test_the_administrator_exports_their_province_s_calendar(administrator_of, calendar_rows, client):
    client.force_login(administrator_of("langson"))

    exported = shown_text(client.get(f"{INDEX}?export=csv"))

    assert LANGSON_DOST in exported and "ngày 10 tháng 12" in exported and "Kỳ liền trước ngày đến hạn" in exported
    assert LAICHAU_COMMITTEE not in exported
