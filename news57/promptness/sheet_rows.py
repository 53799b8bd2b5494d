"""The rows of a long worksheet, written as text into a workbook openpyxl has made and saved.

openpyxl's write-only mode builds an XML element and calls a serializer for every
cell, about 15 µs each; a province's half-year list runs to some 225,000 cells.
Here each row is the same SpreadsheetML openpyxl writes in that mode (inline
strings, dates as serial numbers in a date style of the workbook's own), joined as
text and streamed into the sheet's part of the saved file: openpyxl still makes the
workbook, its styles, widths, frozen panes and header rows.
"""

import io
import zipfile
from xml.sax.saxutils import escape

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

TEXT, DATE, NUMBER = "text", "date", "number"
ROWS_PER_CHUNK = 500
SHEET_DATA_END = "</sheetData>"


def date_style(sheet, number_format):
    """The workbook's style id for moments shown in `number_format`, registering the style for the file."""
    cell = WriteOnlyCell(sheet, None)
    cell.number_format = number_format
    return cell.style_id


def _text(ref, value):
    if value is None or value == "":
        return ""
    # Control characters XML forbids (openpyxl refuses the value): dropped, the rest of the text kept.
    value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    space = ' xml:space="preserve"' if value != value.strip() else ""
    # Always a string, never a formula: a title starting with "=" stays text.
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'


def _number(ref, value, style=""):
    if value is None:
        return ""
    return f'<c r="{ref}"{style} t="n"><v>{value!r}</v></c>'


def row_xml(number, values, kinds, letters, date_style_id):
    cells = []
    for value, kind, letter in zip(values, kinds, letters):
        ref = f"{letter}{number}"
        if kind == TEXT:
            cells.append(_text(ref, value))
        elif kind == DATE:
            cells.append(_number(ref, None if value is None else to_excel(value), f' s="{date_style_id}"'))
        else:
            cells.append(_number(ref, value))
    return f'<row r="{number}">{"".join(cells)}</row>'


def with_rows(xlsx, sheet, written, rows, kinds, date_style_id=0):
    """The saved workbook `xlsx` (bytes) with `rows` added after the `written` rows openpyxl wrote on `sheet`.

    `kinds` says how to write each column: TEXT, NUMBER, or DATE (a naive datetime, written in the style
    `date_style_id`). Returns the new file's bytes."""
    part = sheet.path.lstrip("/")
    letters = [get_column_letter(index) for index in range(1, len(kinds) + 1)]
    number = written
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != part:
                target.writestr(item, source.read(item.filename))
                continue
            text = source.read(part).decode("utf-8")
            head, found, tail = text.rpartition(SHEET_DATA_END)
            if not found:
                raise ValueError(f"{part} has no sheet data to add rows to")
            info = zipfile.ZipInfo(part, date_time=item.date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            with target.open(info, "w") as stream:
                stream.write(head.encode("utf-8"))
                chunk = []
                for values in rows:
                    number += 1
                    chunk.append(row_xml(number, values, kinds, letters, date_style_id))
                    if len(chunk) == ROWS_PER_CHUNK:
                        stream.write("".join(chunk).encode("utf-8"))
                        chunk = []
                stream.write(("".join(chunk) + found + tail).encode("utf-8"))
    return out.getvalue()
