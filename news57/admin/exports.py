"""Spreadsheet downloads as people here open them: Vietnam times, Vietnamese file names, Excel-ready CSV.

Wagtail's spreadsheet export writes aware times as naive UTC (seven hours early in
Excel) and names files in ASCII only; every export of ours goes through here.
"""

import datetime
import re
from urllib.parse import quote

from django.http import HttpResponse
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from ..text import ascii_text
from ..vietnam_time import local, shown

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
_UNSAFE_IN_QUOTES = re.compile(r'[^\x20-\x7e]|["\\]')


def content_disposition(filename):
    """An attachment header naming the file in UTF-8 per RFC 5987, with an ASCII name for older clients."""
    fallback = _UNSAFE_IN_QUOTES.sub("_", ascii_text(filename))
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def attachment(content, filename, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    return response


class VietnamSpreadsheetMixin:
    """For any view with Wagtail's SpreadsheetExportMixin: times in Vietnam time in XLSX and CSV, a BOM on CSV,
    and the file name sent per RFC 5987."""

    custom_value_preprocess = {
        **SpreadsheetExportMixin.custom_value_preprocess,
        datetime.datetime: {
            SpreadsheetExportMixin.FORMAT_XLSX: lambda value: local(value).replace(tzinfo=None)
            if value.tzinfo else value,
            SpreadsheetExportMixin.FORMAT_CSV: lambda value: shown(value) if value.tzinfo else value.isoformat(" "),
        },
    }

    def stream_csv(self, queryset):
        yield "\ufeff"
        yield from super().stream_csv(queryset)

    def write_xlsx_response(self, queryset):
        response = super().write_xlsx_response(queryset)
        response["Content-Disposition"] = content_disposition(f"{self.get_filename()}.xlsx")
        return response

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = CSV
        response["Content-Disposition"] = content_disposition(f"{self.get_filename()}.csv")
        return response
