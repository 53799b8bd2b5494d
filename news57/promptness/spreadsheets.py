"""The periodic report's figures as a workbook (openpyxl) or as CSV that Excel opens in UTF-8.

Durations are written as hours with one decimal; dates as real dates in Vietnam
time, never naive UTC.
"""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .. import vietnam_time

HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")


def hours(delta):
    return round(delta.total_seconds() / 3600, 1) if delta is not None else None


def summary_rows(figures):
    """The header and one row per site: the same cells in the workbook and the CSV."""
    header = [
        _("Agency"), _("Documents due"), _("On time"), _("Late"), _("Missing"), _("Not yet due"), _("Declined"),
        _("On-time share (%)"), _("Median latency, source to live (hours)"),
        _("95th-percentile latency, source to live (hours)"), _("Median pipeline latency (hours)"),
        _("95th-percentile pipeline latency (hours)"),
    ]  # fmt: skip
    rows = []
    for site in figures:
        share = site.on_time_share
        rows.append([
            site.agency, site.due, site.on_time, site.late, site.missing, site.waiting, site.declined,
            round(share * 100, 1) if share is not None else None, hours(site.median_latency),
            hours(site.p95_latency), hours(site.median_pipeline_latency), hours(site.p95_pipeline_latency),
        ])  # fmt: skip
    return header, rows


def workbook(period, figures):
    """The report as XLSX bytes: a styled header row, set column widths, the period in the title row."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Promptness")[:31]
    header, rows = summary_rows(figures)
    sheet.append([_("Promptness of directive document publication – %(period)s") % {"period": period.name}])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    sheet.column_dimensions["A"].width = 42
    for index in range(2, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 16
    sheet.freeze_panes = "B3"
    sheet.append([])
    sheet.append([_("Made at %(time)s (Vietnam time)") % {"time": vietnam_time.shown(vietnam_time.now())}])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(figures):
    """The report as CSV text with a byte-order mark, so Excel reads the Vietnamese as UTF-8."""
    header, rows = summary_rows(figures)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(["" if cell is None else cell for cell in row] for row in rows)
    return out.getvalue()
