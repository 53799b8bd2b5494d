"""Promptness figures per agency and period, on a fixture counted by hand: the same numbers from the figures,
the workbook (read back with openpyxl), the CSV and the command."""

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from wagtail.models import Site

from june_2025 import add_june
from news57.models import DirectiveDocument, Publication, PublicationStatus
from news57.promptness.figures import cached_tally, nearest_rank, site_figures
from news57.promptness.periods import Period, PeriodError
from news57.promptness.reports import make_report
from news57.promptness.spreadsheets import csv_text, workbook

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2025, 7, 1, 9, 0, tzinfo=VN)
JUNE = Period.parse("2025-06")


def vn(*args):
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def june(platform):
    return add_june(platform)


def sites(platform, *slugs):
    return [Site.objects.select_related("agency").get(pk=platform[slug].site.pk) for slug in slugs]


def test_the_commune_s_june_counted_by_hand(june):
    (commune,) = site_figures(JUNE, sites(june, "hoangvanthu"), now=NOW)
    assert (commune.due, commune.on_time, commune.late, commune.missing, commune.declined, commune.waiting) == (
        5, 2, 1, 1, 1, 0,
    )  # fmt: skip
    assert commune.on_time_share == 0.5
    # Source latencies 16 h, 48 h, 12 h; pipeline 15.5 h, 47 h: nearest-rank median and 95th percentile.
    assert (commune.median_latency, commune.p95_latency) == (timedelta(hours=16), timedelta(hours=48))
    assert (commune.median_pipeline_latency, commune.p95_pipeline_latency) == (
        timedelta(hours=15, minutes=30), timedelta(hours=47),
    )  # fmt: skip


def test_a_document_not_yet_due_is_waiting_not_missing(june):
    (commune,) = site_figures(JUNE, sites(june, "hoangvanthu"), now=vn(2025, 6, 20, 12))
    # C, due at 17:00 that day, still has time.
    assert (commune.missing, commune.waiting) == (0, 1)


def commune_outcomes(platform, now=NOW):
    """The commune's (on time, late, missing, declined, waiting) in June, through the cache."""
    (commune,) = cached_tally(JUNE, sites(platform, "hoangvanthu"), now=now).sites
    return commune.on_time, commune.late, commune.missing, commune.declined, commune.waiting


def _document_c():
    return Publication.objects.get(document__code="67/KH-UBND")


def _decline_c_by_save():
    c = _document_c()
    c.status, c.reason = PublicationStatus.DECLINED, "Trùng lặp"
    c.save(update_fields=["status", "reason"])


def _decline_c_by_bulk_update():
    c = _document_c()
    c.status = PublicationStatus.DECLINED
    Publication.objects.bulk_update([c], ["status"])


def _add_a_missing_one(platform):
    document = DirectiveDocument.objects.create(code="99/KH-UBND", title="Kế hoạch mới", issuer=platform["langson"].agency)
    Publication.objects.bulk_create(
        [Publication(document=document, site=platform["hoangvanthu"].site, due_at=vn(2025, 6, 21, 17))]
    )


@pytest.mark.parametrize(
    "write, expected",
    [
        (lambda platform: _decline_c_by_save(), (2, 1, 0, 2, 0)),
        (lambda platform: Publication.objects.filter(pk=_document_c().pk).update(status="declined"), (2, 1, 0, 2, 0)),
        (lambda platform: _decline_c_by_bulk_update(), (2, 1, 0, 2, 0)),
        (lambda platform: _document_c().delete(), (2, 1, 0, 1, 0)),
        (_add_a_missing_one, (2, 1, 2, 1, 0)),
    ],
    ids=["save with update_fields", "update", "bulk_update", "delete", "bulk_create"],
)
def test_the_cached_tally_is_counted_afresh_after_any_write_to_the_period_s_publications(june, write, expected):
    assert commune_outcomes(june) == commune_outcomes(june) == (2, 1, 1, 1, 0)
    write(june)
    assert commune_outcomes(june) == expected


def test_the_cached_tally_is_counted_afresh_when_a_waiting_publication_falls_overdue(june):
    # C falls due at 17:00 on 20 June; nothing is written in between.
    assert commune_outcomes(june, now=vn(2025, 6, 20, 12)) == (2, 1, 0, 1, 1)
    assert commune_outcomes(june, now=vn(2025, 6, 20, 16, 59)) == (2, 1, 0, 1, 1)
    assert commune_outcomes(june, now=vn(2025, 6, 20, 17, 1)) == (2, 1, 1, 1, 0)


def test_nearest_rank_is_the_smallest_value_with_p_percent_at_or_below_it():
    assert nearest_rank([5, 1, 4, 2, 3], 50) == 3
    assert nearest_rank(list(range(1, 21)), 95) == 19
    assert nearest_rank([7], 95) == 7 and nearest_rank([], 50) is None


def test_the_workbook_and_the_csv_carry_the_same_numbers(june):
    report = make_report(JUNE, sites(june, "langson", "hoangvanthu"), None, now=NOW)
    book = load_workbook(io.BytesIO(workbook(report)))
    sheet = book["Tổng hợp"]
    assert "Tháng 06/2025" in sheet["A1"].value
    assert sheet["B2"].font.bold and sheet.column_dimensions["A"].width == 42
    in_book = [list(row) for row in sheet.iter_rows(min_row=3, max_row=5, values_only=True)]
    text = csv_text(report)
    assert text.startswith("\ufeff")
    in_csv = list(csv.reader(io.StringIO(text[1:])))
    expected = {
        "Ủy ban nhân dân xã Hoàng Văn Thụ": [5, 2, 1, 1, 0, 1, 50.0, 16.0, 48.0, 15.5, 47.0, 0, 0, 0],
        "Ủy ban nhân dân tỉnh Lạng Sơn": [1, 1, 0, 0, 0, 0, 100.0, 2.0, 2.0, None, None, 0, 0, 0],
        # Both together: latencies 16, 48, 12 and 2 h; pipeline 15.5 and 47 h.
        "Tổng cộng": [6, 3, 1, 1, 0, 1, 60.0, 12.0, 48.0, 15.5, 47.0, 0, 0, 0],
    }
    assert {row[0]: row[1:] for row in in_book} == expected
    assert {row[0]: row[1:] for row in in_csv[1:]} == {
        name: ["" if v is None else str(v) for v in values] for name, values in expected.items()
    }
    assert in_csv[0][0] == "Cơ quan"


def test_the_command_writes_the_same_numbers_for_one_agency(june, tmp_path, settings):
    out = tmp_path / "bao-cao.csv"
    call_command("compliance_report", "--period", "2025-06", "--format", "csv", "--agency", "hoangvanthu",
                 "--output", str(out))  # fmt: skip
    (header, row) = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8")[1:])))
    assert row[:8] == ["Ủy ban nhân dân xã Hoàng Văn Thụ", "5", "2", "1", "1", "0", "1", "50.0"]


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--period", "2025-13"], "không có tháng 13"),
        (["--period", "2025-Q1"], "không phải là một kỳ"),
        (["--period", "0000"], "không phải là ngày"),
        (["--from", "2025-03-31", "--to", "2025-03-01"], "trước ngày bắt đầu"),
        (["--from", "2025-03-01"], "--period"),
        (["--period", "2025", "--agency", "khong-co"], "khong-co"),
    ],
    ids=["month 13", "quarter", "year 0", "reversed", "half a range", "no such agency"],
)
def test_bad_input_is_refused_with_exit_code_2(june, arguments, message, tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command("compliance_report", *arguments, "--output", str(tmp_path / "x.xlsx"))
    assert refused.value.returncode == 2 and message in str(refused.value)
    assert not (tmp_path / "x.xlsx").exists()


def test_half_years_and_years_cover_their_days():
    assert (Period.parse("2025-H1").first_day.isoformat(), Period.parse("2025-H1").last_day.isoformat()) == (
        "2025-01-01", "2025-06-30",
    )  # fmt: skip
    assert Period.parse("2024-02").last_day.day == 29
    start, end = Period.parse("2025").bounds()
    assert (start, end) == (datetime(2024, 12, 31, 17, tzinfo=UTC), datetime(2025, 12, 31, 17, tzinfo=UTC))
    with pytest.raises(PeriodError):
        Period.parse("")
