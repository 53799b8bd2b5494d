"""Every download of the admin as people here open it: Vietnam wall-clock times in XLSX and CSV (Wagtail writes
naive UTC), a byte-order mark on CSV, and a Vietnamese file name sent per RFC 5987 with an ASCII fallback."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from news57.admin.exports import content_disposition
from news57.models import DirectiveDocument, Publication

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = datetime(2025, 6, 10, 17, 0, tzinfo=VN)  # 10:00 UTC


@pytest.fixture
def publication(platform):
    document = DirectiveDocument.objects.create(code="45/KH-UBND", title="Kế hoạch 45", issuer=platform["langson"].agency)
    return Publication.objects.create(document=document, site=platform["hoangvanthu"].site, due_at=DUE)


def test_a_vietnamese_file_name_is_sent_per_rfc_5987_with_an_ascii_fallback():
    header = content_disposition('Báo cáo "quý" – Lạng Sơn.xlsx')
    assert header == (
        "attachment; filename=\"Bao cao _quy_ - Lang Son.xlsx\"; "
        "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20%22qu%C3%BD%22%20%E2%80%93%20L%E1%BA%A1ng%20S%C6%A1n.xlsx"
    )


def test_the_publications_workbook_writes_vietnam_time(publication, client, editor_of):
    client.force_login(editor_of("hoangvanthu"))
    response = client.get(reverse("news57_publications:index"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    row = [cell.value for cell in sheet[2]]
    assert row[header.index("Hạn đăng tải")] == datetime(2025, 6, 10, 17, 0)
    assert "filename*=UTF-8''dang-tai-van-ban.xlsx" in response["Content-Disposition"]


def test_the_publications_csv_has_a_bom_and_vietnam_time(publication, client, editor_of):
    client.force_login(editor_of("hoangvanthu"))
    response = client.get(reverse("news57_publications:index"), {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff") and "10/06/2025 17:00" in text and "10:00" not in text
