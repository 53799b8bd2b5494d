"""Feed dates read as the UTC instant they mean; zone-less ones are Vietnam time."""

from datetime import datetime, timezone

import pytest

from news57.syndication.dates import parse_date


def utc(*parts):
    return datetime(*parts, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("Thứ bảy, 23/08/2025 - 14:05", utc(2025, 8, 23, 7, 5)),
        ("Chủ nhật, 24/08/2025 08:00", utc(2025, 8, 24, 1, 0)),
        ("T7, 23/8/2025 14h05", utc(2025, 8, 23, 7, 5)),
        ("28/08/2025 10:30", utc(2025, 8, 28, 3, 30)),
        ("16-06-2025 16:45", utc(2025, 6, 16, 9, 45)),
        ("16.06.2025 16:45:30", utc(2025, 6, 16, 9, 45, 30)),
        ("14:05 - 23/08/2025", utc(2025, 8, 23, 7, 5)),
        ("2025-08-23 14:05:00", utc(2025, 8, 23, 7, 5)),
        ("23/08/2025", utc(2025, 8, 22, 17, 0)),
        ("Mon, 16 Jun 2025 16:45:00", utc(2025, 6, 16, 9, 45)),
    ],
)
def test_a_date_without_a_zone_is_read_as_vietnam_time(text, instant):
    assert parse_date(text) == instant


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("Mon, 16 Jun 2025 16:45:00 +0700", utc(2025, 6, 16, 9, 45)),
        ("Thu, 01 Jan 2004 19:48:21 GMT", utc(2004, 1, 1, 19, 48, 21)),
        ("Sun, 22 Dec 2024 09:00:00 EST", utc(2024, 12, 22, 14, 0)),
        ("2025-08-12T15:30:00+07:00", utc(2025, 8, 12, 8, 30)),
        ("2025-08-12T08:30:00Z", utc(2025, 8, 12, 8, 30)),
        ("2003-12-31T10:14:55.123-08:00", utc(2003, 12, 31, 18, 14, 55)),
        ("24/08/2025 08:00 (GMT+7)", utc(2025, 8, 24, 1, 0)),
        ("24/08/2025 08:00 GMT+9", utc(2025, 8, 23, 23, 0)),
    ],
)
def test_a_date_with_a_zone_keeps_its_zone(text, instant):
    assert parse_date(text) == instant


def test_the_result_is_aware_and_in_utc():
    moment = parse_date("28/08/2025 10:30")
    assert moment.tzinfo is not None
    assert moment.utcoffset().total_seconds() == 0


@pytest.mark.parametrize(
    "text",
    ["", "   ", "garbage", "hôm qua", "31/02/2025", "32/01/2025 10:00", "23/13/2025",
     "23/08/2025 25:00", "23/08/2025 10:61", "00/08/2025", "2025-02-30", "1169/QĐ-TTg",
     "23/08/2025 10:00 +99:00", None, 20250823, "1" * 5000],
)  # fmt: skip
def test_what_is_not_a_real_date_gives_none(text):
    assert parse_date(text) is None
