"""The periodic report as a workbook (openpyxl) or as CSV that Excel opens in UTF-8.

Durations are written as hours with one decimal; moments as real dates in Vietnam
time (Excel has no zones, so a naive UTC time would read seven hours early).
The workbook is written in openpyxl's write-only mode; a province's half-year list
runs to tens of thousands of rows, which `sheet_rows` streams into the saved file as
the same XML openpyxl writes, about ten times faster than openpyxl's own writer.
The list keeps to the columns a report needs (when the obligation began is in the
admin's publication listing).
"""

import csv
import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .. import vietnam_time
from .reports import CONTENT_KINDS
from .sheet_rows import DATE, TEXT, date_style, with_rows

HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=13)
DATE_FORMAT = "dd/mm/yyyy hh:mm"


def hours(delta):
    return round(delta.total_seconds() / 3600, 1) if delta is not None else None


def excel_time(moment):
    """A stored (UTC) moment as the Vietnam wall-clock time Excel shows, or None."""
    return moment.astimezone(vietnam_time.zone()).replace(tzinfo=None) if moment else None


def summary_header():
    return [
        _("Agency"), _("Documents due"), _("On time"), _("Late"), _("Missing"), _("Not yet due"), _("Declined"),
        _("On-time share (%)"), _("Median latency, source to live (hours)"),
        _("95th-percentile latency, source to live (hours)"), _("Median pipeline latency (hours)"),
        _("95th-percentile pipeline latency (hours)"), _("News published"), _("Infographics published"),
        _("Videos published"),
    ]  # fmt: skip


def summary_row(name, site):
    share = site.on_time_share
    content = getattr(site, "content", {})
    return [
        name, site.due, site.on_time, site.late, site.missing, site.waiting, site.declined,
        round(share * 100, 1) if share is not None else None, hours(site.median_latency),
        hours(site.p95_latency), hours(site.median_pipeline_latency), hours(site.p95_pipeline_latency),
        *(content.get(kind, 0) for kind in CONTENT_KINDS),
    ]  # fmt: skip


def summary_rows(report):
    """The header, one row per site, and the total when there are several: the same cells in the workbook and CSV."""
    rows = [summary_row(site.agency, site) for site in report.figures]
    if len(rows) > 1:
        rows.append(summary_row(_("Total"), report.total))
    return summary_header(), rows


def document_header():
    return [
        pgettext("document", "Code"), _("Title"), _("Issuer"), _("Agency"), _("Due"), _("Went live"), _("Result"), _("Deadline rule"),
        _("Reason"),
    ]  # fmt: skip


def _header_cells(sheet, values):
    for value in values:
        cell = WriteOnlyCell(sheet, value)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        yield cell


def _title(sheet, text):
    cell = WriteOnlyCell(sheet, text)
    cell.font = TITLE_FONT
    return [cell]


DOCUMENT_KINDS = (TEXT, TEXT, TEXT, TEXT, DATE, DATE, TEXT, TEXT, TEXT)


def document_cells(row):
    return [
        row.code, row.title, row.issuer, row.agency, excel_time(row.due_at), excel_time(row.went_live_at),
        str(row.result_label), row.rule, row.reason,
    ]  # fmt: skip


def workbook(report, documents=None):
    """The report as XLSX bytes: the summary per agency, then every counted document, each with its title row.

    `documents` (by default report.documents()) lets a caller watch the rows go by, for a progress bar."""
    book = Workbook(write_only=True)
    summary = book.create_sheet(_("Summary")[:31])
    header, rows = summary_rows(report)
    summary.column_dimensions["A"].width = 42
    for index in range(2, len(header) + 1):
        summary.column_dimensions[get_column_letter(index)].width = 16
    summary.freeze_panes = "B3"
    summary.append(_title(summary, _("Promptness of directive document publication – %(period)s")
                          % {"period": report.period.name}))  # fmt: skip
    summary.append(_header_cells(summary, header))
    for row in rows:
        summary.append(row)
    summary.append([])
    summary.append([_("Latencies are nearest-rank percentiles.")])
    summary.append([_("Made at %(time)s (Vietnam time)") % {"time": vietnam_time.shown(report.now)}])

    sheet = book.create_sheet(pgettext("directive documents", "Documents")[:31])
    for letter, width in zip("ABCDEFGHI", (18, 60, 30, 36, 17, 17, 14, 34, 40)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    sheet.append(_title(sheet, _("Documents due – %(period)s") % {"period": report.period.name}))
    sheet.append(_header_cells(sheet, document_header()))
    dates = date_style(sheet, DATE_FORMAT)
    out = io.BytesIO()
    book.save(out)
    rows = (document_cells(row) for row in (report.documents() if documents is None else documents))
    return with_rows(out.getvalue(), sheet, 2, rows, DOCUMENT_KINDS, dates)


def csv_text(report):
    """The summary as CSV text with a byte-order mark, so Excel reads the Vietnamese as UTF-8."""
    header, rows = summary_rows(report)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(["" if cell is None else cell for cell in row] for row in rows)
    return out.getvalue()


def _inert(text):
    """Text Excel would run as a formula (from a hostile feed, say) made plain with a leading apostrophe."""
    return f"'{text}" if text[:1] in ("=", "+", "@", "\t", "\r") else text


def documents_csv_text(report):
    """Every counted document as CSV (with a byte-order mark), dates as people here write them."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(document_header())
    for row in report.documents():
        writer.writerow([
            _inert(row.code), _inert(row.title), row.issuer, row.agency, vietnam_time.shown(row.due_at), vietnam_time.shown(row.went_live_at), row.result_label, row.rule,
            _inert(row.reason),
        ])  # fmt: skip
    return out.getvalue()
