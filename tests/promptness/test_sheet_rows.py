"""Rows streamed into a workbook openpyxl saved read back, with openpyxl, as if openpyxl had written them."""

import io
import zipfile
from datetime import datetime
from xml.etree import ElementTree

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from news57.promptness.sheet_rows import DATE, NUMBER, ROWS_PER_CHUNK, TEXT, date_style, with_rows

KINDS = (TEXT, NUMBER, DATE, TEXT)
FORMAT = "dd/mm/yyyy hh:mm"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def list_sheet(xlsx):
    """The list sheet's XML as Excel parses it (strictly: a repeated or out-of-order row is an error there)."""
    return ElementTree.fromstring(zipfile.ZipFile(io.BytesIO(xlsx)).read("xl/worksheets/sheet2.xml"))


def book_with(rows, kinds=KINDS):
    """A write-only workbook: a summary sheet, then a sheet with a bold header row and `rows` streamed after it."""
    book = Workbook(write_only=True)
    book.create_sheet("Tổng hợp").append(["Cơ quan", 3])
    sheet = book.create_sheet("Văn bản")
    sheet.column_dimensions["B"].width = 60
    sheet.freeze_panes = "A2"
    header = WriteOnlyCell(sheet, "Số, ký hiệu")
    header.font = Font(bold=True)
    sheet.append([header, "Số ngày", "Hạn", "Ghi chú"])
    dates = date_style(sheet, FORMAT)
    out = io.BytesIO()
    book.save(out)
    return with_rows(out.getvalue(), sheet, 1, rows, kinds, dates)


@pytest.mark.parametrize("read_only", [False, True], ids=["openpyxl", "openpyxl read-only"])
def test_text_numbers_and_dates_read_back_as_openpyxl_would_have_written_them(read_only):
    rows = [
        ["211/KH-UBND", 3, datetime(2025, 6, 10, 17, 30), "Đăng tải trên Cổng"],
        ["65/KH-UBND", 1.5, None, None],
    ]
    book = load_workbook(io.BytesIO(book_with(rows)), read_only=read_only)
    sheet = book["Văn bản"]
    # Read-only openpyxl leaves a row's empty cells at its end out, as it does for a file openpyxl wrote.
    values = [[*row, *[None] * (4 - len(row))] for row in sheet.iter_rows(values_only=True)]
    assert values[0] == ["Số, ký hiệu", "Số ngày", "Hạn", "Ghi chú"]
    assert values[1] == ["211/KH-UBND", 3, datetime(2025, 6, 10, 17, 30), "Đăng tải trên Cổng"]
    assert values[2] == ["65/KH-UBND", 1.5, None, None]
    assert [list(row) for row in book["Tổng hợp"].iter_rows(values_only=True)] == [["Cơ quan", 3]]
    if not read_only:
        assert sheet["A1"].font.bold and sheet.column_dimensions["B"].width == 60 and sheet.freeze_panes == "A2"
        assert sheet["C2"].is_date and sheet["C2"].number_format == FORMAT
        assert sheet["B2"].data_type == "n" and sheet["A2"].data_type == "s"


def test_hostile_text_stays_the_text_it_was():
    hostile = [
        '=HYPERLINK("http://evil.example/","Bấm")',  # a formula, as text
        "<b>Kế hoạch</b> & </sheetData>",  # markup and the very tag the rows are placed before
        "  khoảng trắng đầu và cuối  ",
        "ký tự\x0b điều\x00 khiển\x1f",  # XML 1.0 forbids these; openpyxl refuses them
    ]
    xlsx = book_with([[text, None, None, None] for text in hostile])
    sheet = load_workbook(io.BytesIO(xlsx))["Văn bản"]
    cells = [sheet.cell(row=2 + index, column=1) for index in range(len(hostile))]
    assert [cell.value for cell in cells] == hostile[:3] + ["ký tự điều khiển"]
    assert all(cell.data_type == "s" for cell in cells)
    # Excel trims a string's ends unless told to keep them.
    texts = {text.text: text.get(XML_SPACE) for text in list_sheet(xlsx).iter(f"{MAIN}t")}
    assert texts[hostile[2]] == "preserve" and texts["Số, ký hiệu"] is None


def test_every_row_of_a_long_list_arrives_in_order():
    count = ROWS_PER_CHUNK * 2 + 7
    xlsx = book_with([[f"{n}/KH", n, None, None] for n in range(count)])
    assert [int(row.get("r")) for row in list_sheet(xlsx).iter(f"{MAIN}row")] == list(range(1, count + 2))
    sheet = load_workbook(io.BytesIO(xlsx), read_only=True)["Văn bản"]
    numbers = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == list(range(count))
