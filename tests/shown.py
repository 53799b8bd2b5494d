"""What a response shows a person, as text: an HTML page, a CSV export (streamed) or an XLSX workbook."""

from io import BytesIO

from openpyxl import load_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def raw(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def shown_text(response):
    """Every cell of a workbook (unzipped and read with openpyxl), or the body decoded."""
    data = raw(response)
    if response.get("Content-Type", "").startswith(XLSX):
        book = load_workbook(BytesIO(data), read_only=True)
        return "\n".join(
            str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
            if cell is not None
        )
    return data.decode("utf-8", "replace")
