"""The supervisor's compliance view, its drill-down, charts, downloads and printed report, on June 2025 counted by
hand (tests/june_2025.py): the numbers on screen, in the SVG, the XLSX and the CSV are the hand-counted ones."""

import csv
import io
import re
import xml.etree.ElementTree as ElementTree
from datetime import datetime, timedelta

import html5lib
import pytest
from django.db.models import F
from django.urls import reverse
from openpyxl import load_workbook

from june_2025 import DECLINE_REASON, add_june
from news57.admin import charts, compliance
from news57.models import Publication, ReportDeadline
from news57.vietnam_time import now as vietnam_now

pytestmark = pytest.mark.django_db

VIEW = reverse("news57_compliance")
REPORT = reverse("news57_compliance_report")
JUNE = {"period": "2025-06"}
SVG = "{http://www.w3.org/2000/svg}"
COMMUNE, PROVINCE, INSPECTORATE, LAICHAU = (
    "Ủy ban nhân dân xã Hoàng Văn Thụ", "Ủy ban nhân dân tỉnh Lạng Sơn", "Thanh tra tỉnh Lạng Sơn",
    "Văn phòng UBND tỉnh Lai Châu",
)  # fmt: skip


@pytest.fixture
def june(platform):
    return add_june(platform)


def agency_url(slug, **query):
    return reverse("news57_compliance_agency", args=[slug]) + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def table_rows(response, index=0):
    """{agency: [cell texts]} of the page's first figures table (or the index-th)."""
    tree = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
    tables = [table for table in tree.iter("table") if {"listing", "report-table"} & set(table.get("class", "").split())]
    rows = {}
    for row in tables[index].iter("tr"):
        if not any(cell.tag == "td" for cell in row):
            continue
        cells = ["".join(cell.itertext()).split() for cell in row if cell.tag in ("td", "th")]
        if cells:
            texts = [" ".join(words) for words in cells]
            rows[texts[0]] = texts[1:]
    return rows


def chart(response, name):
    """The bars of one SVG chart, parsed as XML: [(data-count, data-share or None, height)]."""
    markup = re.search(rf'<svg[^>]*data-chart="{name}".*?</svg>', response.content.decode(), re.S).group(0)
    svg = ElementTree.fromstring(markup)
    bars = []
    for rect in svg.iter(f"{SVG}rect"):
        share = rect.get("data-share")
        bars.append((int(rect.get("data-count")), float(share) if share else None, float(rect.get("height"))))
    return bars


def test_the_supervisor_sees_every_agency_of_the_province_with_the_hand_counted_figures(june, client, supervisor_of):
    client.force_login(supervisor_of("langson"))
    response = client.get(VIEW, JUNE)
    assert response.status_code == 200
    rows = table_rows(response)
    # Level, due, on time, late, missing, declined, share: A, B, C, D, G for the commune; H for the province.
    assert rows[COMMUNE][:7] == ["Xã, phường", "5", "2", "1", "1", "1", "50,0%"]
    assert rows[PROVINCE][1:7] == ["1", "1", "0", "0", "0", "100,0%"]
    assert rows[INSPECTORATE][1:7] == ["0", "0", "0", "0", "0", "—"]
    # Median and 95th-percentile latency, source to live, nearest-rank: 16 h and 48 h; pipeline 15.5 h and 47 h.
    assert rows[COMMUNE][7:10] == ["16,0 giờ", "48,0 giờ", "15,5 giờ / 47,0 giờ"]
    assert LAICHAU not in rows and "Cổng thông tin" not in " ".join(rows)
    assert "hạng gần nhất" in response.content.decode()


def test_the_charts_bars_match_the_fixture(june, client, supervisor_of):
    client.force_login(supervisor_of("langson"))
    response = client.get(VIEW, JUNE)
    # Weeks from Monday 26/5: none due; none; A on time, B late, H on time; C missing; none; G on time.
    weeks = chart(response, "weeks")
    assert [(count, share) for count, share, _height in weeks] == [
        (0, None), (0, None), (3, 0.6667), (1, 0.0), (0, None), (1, 1.0),
    ]  # fmt: skip
    heights = [height for _count, _share, height in weeks]
    assert heights[5] == pytest.approx(charts.PLOT_HEIGHT) and heights[3] == 0
    assert heights[2] == pytest.approx(charts.PLOT_HEIGHT * 2 / 3, abs=0.01)
    # Early > 2 days, 1–2 days (H: 31 h), < 1 day (A: 8 h, G: 3.5 h); late < 1 day, 1–3 days (B: 24 h), 3–7, > 7;
    # then the one missing (C).
    margins = chart(response, "margins")
    assert [count for count, _share, _height in margins] == [0, 1, 2, 0, 1, 0, 0, 1]
    assert margins[2][2] == pytest.approx(charts.PLOT_HEIGHT) and margins[1][2] == pytest.approx(charts.PLOT_HEIGHT / 2)


def test_a_supervisor_of_another_province_sees_none_of_lang_son(june, client, supervisor_of):
    client.force_login(supervisor_of("laichau"))
    rows = table_rows(client.get(VIEW, JUNE))
    assert list(rows) == [LAICHAU] and rows[LAICHAU][1:7] == ["1", "1", "0", "0", "0", "100,0%"]
    assert client.get(agency_url("hoangvanthu", **JUNE)).status_code == 404
    assert client.get(REPORT, {**JUNE, "agency": "hoangvanthu"}).status_code == 404


def test_an_editor_sees_only_their_own_agency(june, client, editor_of):
    client.force_login(editor_of("hoangvanthu"))
    rows = table_rows(client.get(VIEW, JUNE))
    assert list(rows) == [COMMUNE]
    assert client.get(agency_url("langson", **JUNE)).status_code == 404
    xlsx = client.get(VIEW, {**JUNE, "export": "xlsx"})
    names = [row[0] for row in load_workbook(io.BytesIO(xlsx.content))["Tổng hợp"].iter_rows(min_row=3, values_only=True)]
    assert COMMUNE in names and PROVINCE not in names and LAICHAU not in names


def test_someone_of_no_agency_is_refused(june, client, make_user):
    client.force_login(make_user("nobody"))
    assert client.get(VIEW, JUNE).status_code == 302
    assert client.get(REPORT, JUNE).status_code == 302


def test_sorting_filtering_and_pagination(june, client, supervisor_of, monkeypatch):
    client.force_login(supervisor_of("langson"))
    by_late = list(table_rows(client.get(VIEW, {**JUNE, "ordering": "-late"})))
    assert by_late[0] == COMMUNE
    by_share = list(table_rows(client.get(VIEW, {**JUNE, "ordering": "-share"})))
    # The inspectorate had nothing due: no share, so last either way.
    assert by_share == [PROVINCE, COMMUNE, INSPECTORATE]
    assert list(table_rows(client.get(VIEW, {**JUNE, "ordering": "share"}))) == [COMMUNE, PROVINCE, INSPECTORATE]
    assert list(table_rows(client.get(VIEW, {**JUNE, "level": "commune"}))) == [COMMUNE]
    # Only the Government's documents: none of Lạng Sơn's agencies had one due.
    rows = table_rows(client.get(VIEW, {**JUNE, "issuer": "chinh-phu"}))
    assert rows[COMMUNE][1] == "0" and rows[PROVINCE][1] == "0"
    monkeypatch.setattr(compliance.ComplianceView, "paginate_by", 2)
    first, second = client.get(VIEW, JUNE), client.get(VIEW, {**JUNE, "p": 2})
    # By name: the inspectorate, the province, then the commune on the second screen.
    assert list(table_rows(first)) == [INSPECTORATE, PROVINCE] and list(table_rows(second)) == [COMMUNE]


def test_a_custom_period_and_a_wrong_one(june, client, supervisor_of):
    client.force_login(supervisor_of("langson"))
    rows = table_rows(client.get(VIEW, {"start": "2025-06-09", "end": "2025-06-15"}))
    assert rows[COMMUNE][1:4] == ["2", "1", "1"] and rows[PROVINCE][1] == "1"
    refused = client.get(VIEW, {"start": "2025-06-15", "end": "2025-06-09"})
    assert refused.status_code == 200 and "trước ngày bắt đầu" in refused.content.decode()


def test_the_drill_down_lists_late_missing_and_declined_with_the_reason(june, client, supervisor_of):
    client.force_login(supervisor_of("langson"))
    page = client.get(agency_url("hoangvanthu", **JUNE)).content.decode()
    assert "66/KH-UBND" in page and "67/KH-UBND" in page and "68/KH-UBND" in page  # B, C, D
    assert "65/KH-UBND" not in page and "71/KH-UBND" not in page  # A and G went live on time
    assert DECLINE_REASON in page
    late_only = client.get(agency_url("hoangvanthu", result="late", **JUNE)).content.decode()
    assert "66/KH-UBND" in late_only and "67/KH-UBND" not in late_only


def test_the_workbook_from_the_view_has_the_figures_and_vietnam_time_dates(june, client, supervisor_of):
    client.force_login(supervisor_of("langson"))
    response = client.get(VIEW, {**JUNE, "export": "xlsx"})
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Bao cao')
    assert "filename*=UTF-8''B%C3%A1o%20c%C3%A1o" in disposition and "%E2%80%93" in disposition
    book = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1:8] for row in book["Tổng hợp"].iter_rows(min_row=3, values_only=True) if row[0]}
    assert summary[COMMUNE] == (5, 2, 1, 1, 0, 1, 50.0)
    assert summary["Tổng cộng"] == (6, 3, 1, 1, 0, 1, 60.0)
    documents = {row[0]: row for row in book["Văn bản"].iter_rows(min_row=3, values_only=True)}
    # A: due 10/6/2025 17:00 and live 09:00 Vietnam time, written as those wall-clock times (not UTC's 10:00, 02:00).
    assert documents["65/KH-UBND"][4] == datetime(2025, 6, 10, 17, 0)
    assert documents["65/KH-UBND"][5] == datetime(2025, 6, 10, 9, 0)
    assert documents["68/KH-UBND"][6:] == ("Đã từ chối đăng", None, DECLINE_REASON)
    # A, B, C, D, G of the commune and H of the province; E (backfill) never counts, F falls due in July.
    assert len(documents) == 6 and "69/KH-UBND" not in documents and "70/KH-UBND" not in documents


def test_the_csv_from_the_view_has_a_bom_and_the_same_figures(june, client, supervisor_of):
    client.force_login(supervisor_of("langson"))
    response = client.get(VIEW, {**JUNE, "export": "csv"})
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff") and response["Content-Type"].startswith("text/csv")
    rows = {row[0]: row[1:8] for row in csv.reader(io.StringIO(text[1:]))}
    assert rows[COMMUNE] == ["5", "2", "1", "1", "0", "1", "50.0"]
    assert "filename*=UTF-8''" in response["Content-Disposition"]


def test_the_printed_report_has_the_national_heading_the_tables_and_the_signature(june, client, supervisor_of):
    client.force_login(supervisor_of("langson"))
    page = client.get(REPORT, {**JUNE, "agency": "hoangvanthu"}).content.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page and "Độc lập - Tự do - Hạnh phúc" in page
    assert "ỦY BAN NHÂN DÂN XÃ HOÀNG VĂN THỤ" in page and "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN" in page
    today = vietnam_now().date()
    assert f"Lạng Sơn, ngày {today:%d} tháng {today:%m} năm {today.year}" in page
    assert "/BC-UBND" in page and "Nơi nhận" in page and "(Ký, ghi rõ họ tên, đóng dấu)" in page
    rows = table_rows(client.get(REPORT, {**JUNE, "agency": "hoangvanthu"}))
    assert rows[COMMUNE] == ["5", "2", "1", "1", "1", "0", "50,0%", "16,0 giờ", "48,0 giờ"]
    # One agency's report lists every counted document: A, B, C, D, G.
    assert all(f"{code}/KH-UBND" in page for code in (65, 66, 67, 68, 71)) and "69/KH-UBND" not in page


def test_the_province_report_totals_its_agencies(june, client, supervisor_of):
    client.force_login(supervisor_of("langson"))
    response = client.get(REPORT, JUNE)
    page = response.content.decode()
    assert "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN" in page and "Thanh tra tỉnh Lạng Sơn" in page
    assert "Văn phòng UBND tỉnh Lai Châu" not in page
    xlsx = load_workbook(io.BytesIO(client.get(REPORT, {**JUNE, "export": "xlsx"}).content))
    total = [row for row in xlsx["Tổng hợp"].iter_rows(min_row=3, values_only=True) if row[0] == "Tổng cộng"]
    assert total[0][1:8] == (6, 3, 1, 1, 0, 1, 60.0)


def test_without_a_period_it_opens_on_the_last_half_year_anything_fell_due(june, client, supervisor_of):
    client.force_login(supervisor_of("langson"))
    response = client.get(VIEW)
    # Nothing is due in this half-year; the last due is F's, just past midnight on 1 July 2025 (Vietnam time).
    assert "6 tháng cuối năm 2025" in response.content.decode()
    assert table_rows(response)[COMMUNE][1:3] == ["1", "1"]


def test_the_printed_report_is_addressed_to_the_agency_s_report_recipient(june, client, supervisor_of):
    ReportDeadline.objects.create(
        agency=june["hoangvanthu"].agency, frequency="half_year", day=5, month=6, recipient="Ủy ban nhân dân xã (Văn phòng)",
        basis="Kế hoạch của xã",
    )
    client.force_login(supervisor_of("langson"))
    page = client.get(REPORT, {"period": "2025-H1", "agency": "hoangvanthu"}).content.decode()
    assert "Kính gửi: Ủy ban nhân dân xã (Văn phòng)" in page and "Như trên" in page
    # The inspectorate has no deadline of its own, nor one from above: the report is addressed to no one.
    assert "Kính gửi" not in client.get(REPORT, {"period": "2025-H1", "agency": "thanhtra-langson"}).content.decode()


def test_the_figures_follow_every_change_though_they_are_kept_in_the_cache(june, client, supervisor_of):
    client.force_login(supervisor_of("langson"))
    assert table_rows(client.get(VIEW, JUNE))[COMMUNE][1:6] == ["5", "2", "1", "1", "1"]
    assert table_rows(client.get(VIEW, JUNE))[COMMUNE][1:6] == ["5", "2", "1", "1", "1"]  # read back
    missing = Publication.objects.get(document__code="67/KH-UBND")  # C
    missing.published_at = missing.due_at + timedelta(hours=2)
    missing.status = "published"
    missing.save()
    assert table_rows(client.get(VIEW, JUNE))[COMMUNE][1:6] == ["5", "2", "2", "0", "1"]
    # A due time moved earlier (a recomputed deadline) turns A, live at 09:00, late.
    Publication.objects.filter(document__code="65/KH-UBND").update(due_at=F("due_at") - timedelta(hours=9))
    assert table_rows(client.get(VIEW, JUNE))[COMMUNE][1:6] == ["5", "1", "3", "0", "1"]
