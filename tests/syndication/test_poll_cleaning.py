"""Polling feeds as real portals write them: padded titles and links, entries with nothing to name them.

Every feed is served on loopback and fetched through the guarded fetcher.
"""

from pathlib import Path

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from news57.admin.sources import SourceViewSet
from news57.models import DirectiveDocument, Source, SourceEntry
from news57.syndication.poll import ENTRIES_SKIPPED, poll

FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"

pytestmark = pytest.mark.django_db

# Two items a reader could tell apart, and three with neither a title nor a link.
WITH_UNNAMED_ENTRIES = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>UBND tỉnh Lạng Sơn</title><link>https://langson.example.vn/</link>
<item><title>Kế hoạch 211/KH-UBND triển khai Nghị quyết 57-NQ/TW</title>
  <link>https://langson.example.vn/van-ban/211</link><guid>ls-211</guid></item>
<item><guid isPermaLink="false">ls-trong-1</guid><description>Nội dung không có tiêu đề</description></item>
<item><title>Thông báo lịch tiếp công dân</title><guid isPermaLink="false">ls-tb-9</guid></item>
<item><title>
   </title><link>javascript:void(0)</link><guid isPermaLink="false">ls-trong-2</guid></item>
<item></item>
</channel></rss>
""".encode()

PADDED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>UBND tỉnh Lạng Sơn</title><link>https://langson.example.vn/</link>
<item><title>
   Kế hoạch 211/KH-UBND
  </title><link>
 https://langson.example.vn/van-ban/211 
</link></item>
<item><title>\ufeff\u200b Kế hoạch 56/KH-UBND\n\n      về chuyển đổi số\u200b
</title><link>
 https://langson.example.vn/van-ban/56
</link></item>
</channel></rss>
""".encode()


@pytest.fixture
def langson(platform):
    return platform["langson"].agency


def source(url, issuer):
    return Source.objects.create(name="UBND tỉnh Lạng Sơn", url=url, default_issuer=issuer, level="province")


def skipped_logs(src):
    return ModelLogEntry.objects.filter(action=ENTRIES_SKIPPED, object_id=str(src.pk))


def test_entries_with_neither_title_nor_link_are_not_stored_and_the_source_log_counts_them(served, langson):
    src = source(served("/rss", WITH_UNNAMED_ENTRIES), langson)
    outcome = poll(src)
    assert outcome.ok and outcome.skipped_entries == 3
    assert sorted(SourceEntry.objects.values_list("title", flat=True)) == [
        "Kế hoạch 211/KH-UBND triển khai Nghị quyết 57-NQ/TW",
        "Thông báo lịch tiếp công dân",
    ]
    [logged] = skipped_logs(src)
    assert logged.data["count"] == 3 and logged.data["url"] == src.url
    assert logged.content_type.model_class() is Source


def test_a_poll_that_skips_nothing_leaves_nothing_in_the_source_log(served, langson):
    src = source(served("/rss", (FEEDS / "province-atom.xml").read_bytes(), "application/atom+xml"), langson)
    assert poll(src).skipped_entries == 0
    assert not skipped_logs(src).exists()


def test_the_source_history_says_in_vietnamese_how_many_entries_were_skipped(served, langson, client, make_user):
    src = source(served("/rss", WITH_UNNAMED_ENTRIES), langson)
    poll(src)
    client.force_login(make_user("admin", superuser=True))
    html = client.get(reverse(SourceViewSet().get_url_name("history"), args=[src.pk])).content.decode()
    assert "Đã bỏ qua 3 mục tin không có cả tiêu đề lẫn liên kết" in html


def test_titles_and_links_are_stored_without_the_whitespace_and_invisible_padding_around_them(served, langson):
    src = source(served("/rss", PADDED), langson)
    assert poll(src).ok
    stored = dict(SourceEntry.objects.values_list("link", "title"))
    assert stored == {
        "https://langson.example.vn/van-ban/211": "Kế hoạch 211/KH-UBND",
        "https://langson.example.vn/van-ban/56": "Kế hoạch 56/KH-UBND về chuyển đổi số",
    }
    assert DirectiveDocument.objects.get(code_key="56/KH-UBND").title == "Kế hoạch 56/KH-UBND về chuyển đổi số"


def test_the_check_screen_says_how_many_entries_a_poll_would_skip(served, langson, client, make_user):
    src = source(served("/rss", WITH_UNNAMED_ENTRIES), langson)
    client.force_login(make_user("admin", superuser=True))
    html = client.get(reverse(SourceViewSet().get_url_name("check"), args=[src.pk])).content.decode()
    assert "3 mục tin không có cả tiêu đề lẫn liên kết" in html
