"""parse(body, url) against the sample feeds (tests/fixtures/feeds/README.md) and hostile bodies."""

import io
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

import feedparser
import pytest

from news57.syndication.parse import Attachment, Entry, ParseError, named, parse

FEEDS = Path(__file__).parents[1] / "fixtures" / "feeds"
CENTRAL_URL = "https://central.example.vn/rss/van-ban.rss"
PROVINCE_URL = "https://province.example.vn/nghi-quyet-57/van-ban/feed.atom"
COMMUNE_URL = "http://commune.example.vn/rss.php"
MOJIBAKE = ("Ã", "áş", "Å", "Ä‘", "Ć°", "\ufffd")


def feed(name):
    return (FEEDS / name).read_bytes()


def utc(*parts):
    return datetime(*parts, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def central():
    return parse(feed("central-rss20.xml"), CENTRAL_URL)


@pytest.fixture(scope="module")
def province():
    return parse(feed("province-atom.xml"), PROVINCE_URL)


@pytest.fixture(scope="module")
def commune():
    return parse(feed("commune-quirks-cp1258.xml"), COMMUNE_URL)


# central-rss20.xml


def test_central_feed_gives_its_four_documents_by_own_code(central):
    assert all(isinstance(entry, Entry) for entry in central)
    assert [e.own_code for e in central] == ["1169/QĐ-TTg", "71/NQ-CP", "03/NQ-CP", "57-NQ/TW"]


def test_central_entries_cite_resolution_57_but_57_itself_does_not(central):
    assert [e.cited_codes for e in central] == [("57-NQ/TW",), ("57-NQ/TW",), ("57-NQ/TW",), ()]


def test_central_entries_keep_their_guid_link_and_author(central):
    first = central[0]
    assert first.guid == "central-vb-21169"
    assert first.link == "https://central.example.vn/van-ban/quyet-dinh-1169-qd-ttg"
    assert first.author == "Thủ tướng Chính phủ"
    assert central[1].author == ""


def test_central_dates_are_the_right_utc_instants(central):
    assert [e.published_at for e in central] == [
        utc(2025, 6, 16, 9, 45),
        utc(2025, 4, 1, 13, 10),
        utc(2025, 1, 9, 11, 0),
        utc(2024, 12, 22, 2, 0),
    ]


def test_three_central_documents_carry_their_pdf(central):
    with_pdf = [e for e in central if e.attachments]
    assert len(with_pdf) == 3
    assert central[0].attachments == (
        Attachment("https://central.example.vn/files/1169-QD-TTg.pdf", "application/pdf", 482133),
    )
    assert central[2].attachments == ()


def test_bodies_are_returned_raw_for_the_cleaner(central):
    # Cleaning is sanitize.py's job, once; parse must not half-do it.
    assert "<script>" in central[0].summary_html
    assert "<strong>100%</strong>" in central[0].summary_html


# province-atom.xml


def test_province_feed_gives_four_entries_with_their_codes(province):
    assert [e.own_code for e in province] == ["211/KH-UBND", "56/KH-UBND", "150-CTr/TU", "1169/QĐ-TTg"]
    assert province[1].cited_codes == ("03/NQ-CP", "150-CTr/TU")


def test_relative_links_resolve_against_xml_base(province):
    assert [e.link for e in province] == [
        "https://province.example.vn/nghi-quyet-57/van-ban/ke-hoach-211-kh-ubnd/",
        "https://province.example.vn/nghi-quyet-57/van-ban/ke-hoach-56-kh-ubnd/",
        "https://province.example.vn/nghi-quyet-57/van-ban/chuong-trinh-150-ctr-tu/",
        "https://province.example.vn/nghi-quyet-57/van-ban/quyet-dinh-1169-qd-ttg/",
    ]


def test_a_relative_enclosure_resolves_against_xml_base(province):
    assert province[0].attachments == (
        Attachment("https://province.example.vn/media/documents/211-KH-UBND.pdf", "application/pdf", 356112),
    )


def test_without_xml_base_relative_links_resolve_against_the_feed_url():
    body = feed("province-atom.xml").replace(b' xml:base="https://province.example.vn/"', b"")
    entries = parse(body, "https://other.example.vn/rss/feed.atom")
    assert entries[0].link == "https://other.example.vn/nghi-quyet-57/van-ban/ke-hoach-211-kh-ubnd/"
    assert entries[0].attachments[0].url == "https://other.example.vn/media/documents/211-KH-UBND.pdf"


def test_atom_published_is_preferred_to_updated(province):
    assert province[0].published_at == utc(2025, 8, 12, 8, 30)


def test_atom_ids_are_the_guids(province):
    assert province[3].guid == "tag:province.example.vn,2025:dang-lai-1169"


def test_a_plain_text_summary_is_escaped_into_html():
    body = feed("province-atom.xml").replace("Đăng lại".encode(), "A &lt;b&gt; &amp; Đăng lại".encode())
    entry = parse(body, PROVINCE_URL)[3]
    assert entry.summary_html.startswith("A &lt;b&gt; &amp; Đăng lại")


# commune-quirks-cp1258.xml


def test_windows_1258_titles_and_bodies_are_stored_nfc(commune):
    assert len(commune) == 4
    assert "Kế hoạch số 262/KH-TTr" in commune[1].title
    for entry in commune:
        assert unicodedata.is_normalized("NFC", entry.title)
        assert unicodedata.is_normalized("NFC", entry.summary_html)


def test_both_spellings_of_33_kh_ubnd_have_the_same_own_code(commune):
    assert commune[0].own_code == commune[3].own_code == "33/KH-UBND"


def test_57_written_with_a_double_dash_is_cited_not_owned(commune):
    assert commune[0].cited_codes == ("57-NQ/TW",)


def test_commune_item_2_is_262_kh_ttr_and_item_3_has_no_code(commune):
    assert commune[1].own_code == "262/KH-TTr"
    assert commune[2].own_code is None
    assert commune[2].cited_codes == ()


def test_vietnamese_and_zoneless_dates_are_vietnam_time(commune):
    assert commune[0].published_at == utc(2025, 8, 23, 7, 5)  # Thứ bảy, 23/08/2025 - 14:05
    assert commune[1].published_at == utc(2025, 8, 28, 3, 30)  # 28/08/2025 10:30
    assert commune[3].published_at == utc(2025, 8, 23, 7, 5)  # 2025-08-23 14:05:00


def test_an_item_without_a_date_has_no_published_at(commune):
    assert commune[2].published_at is None


def test_an_item_without_a_guid_is_identified_by_its_link(commune):
    assert commune[0].guid == commune[0].link == "http://commune.example.vn/index.php?option=vb&id=33"


def test_a_zoneless_date_feedparser_knows_but_we_do_not_is_still_vietnam_time():
    # W3C-DTF without zone, a form left to feedparser's own reader.
    body = b'<rss version="2.0"><channel><item><title>x</title><link>http://a.vn/1</link><pubDate>2025-08-23T14:05</pubDate></item></channel></rss>'
    assert parse(body, "http://a.vn/rss")[0].published_at == utc(2025, 8, 23, 7, 5)


# truncated-atom.xml


def test_a_truncated_feed_is_an_error_carrying_only_clean_complete_entries(province):
    with pytest.raises(ParseError) as raised:
        parse(feed("truncated-atom.xml"), PROVINCE_URL)
    assert raised.value.reason == "truncated"
    assert "cắt cụt" in raised.value.message
    recovered = raised.value.entries
    assert [e.title for e in recovered] == [e.title for e in province[: len(recovered)]]
    for entry in recovered:
        assert not any(sign in entry.title + entry.summary_html for sign in MOJIBAKE)


def test_a_feed_cut_between_characters_is_truncated_too():
    body = feed("province-atom.xml")
    cut = body[: body.index(b"<entry>", body.index(b"</entry>") + 1) + 30]
    with pytest.raises(ParseError) as raised:
        parse(cut, PROVINCE_URL)
    assert raised.value.reason == "truncated"
    assert [e.own_code for e in raised.value.entries] == ["211/KH-UBND"]


def test_a_feed_missing_only_its_last_angle_bracket_is_complete():
    body = feed("province-atom.xml").rstrip()[:-1]
    assert len(parse(body, PROVINCE_URL)) == 4


# not a feed, nothing, garbage


def test_an_html_page_is_reported_as_not_a_feed():
    with pytest.raises(ParseError) as raised:
        parse(feed("not-a-feed.html"), "https://commune.example.vn/")
    assert raised.value.reason == "not_a_feed"
    assert raised.value.message == "Địa chỉ này trả về một trang HTML, không phải nguồn tin RSS/Atom."


@pytest.mark.parametrize("body", [b"", b"   \n\t "])
def test_an_empty_body_is_an_error(body):
    with pytest.raises(ParseError) as raised:
        parse(body, "https://a.example.vn/rss")
    assert raised.value.reason == "empty"


@pytest.mark.parametrize(
    "body",
    [bytes(range(256)) * 4, b"hello world", b'<?xml version="1.0"?><note><to>x</to></note>', b"\xff\xfe\x00<"],
)
def test_garbage_is_a_malformed_error(body):
    with pytest.raises(ParseError) as raised:
        parse(body, "https://a.example.vn/rss")
    assert raised.value.reason == "malformed"


def test_a_body_naming_a_local_file_is_read_as_data_not_opened():
    # feedparser opens a str or bytes that names a file; parse must never let it.
    with pytest.raises(ParseError):
        parse(str(FEEDS / "central-rss20.xml").encode(), "https://a.example.vn/rss")


def test_a_feed_with_no_items_is_an_empty_list():
    body = b'<rss version="2.0"><channel><title>Tin</title></channel></rss>'
    assert parse(body, "https://a.example.vn/rss") == []


@pytest.mark.parametrize(
    "content_type", ["application/rss+xml; charset=windows-1252", "text/xml", "text/html; charset=utf-8", "text/xml; charset=iso-8859-1"]
)
def test_a_benign_encoding_or_type_mismatch_is_not_a_failure(content_type):
    # The header disagrees with the document's own UTF-8 declaration; feedparser
    # sets bozo for most of these, yet its entries are right.
    entries = parse(feed("central-rss20.xml"), CENTRAL_URL, content_type=content_type)
    assert len(entries) == 4
    assert entries[0].title.startswith("Quyết định số 1169/QĐ-TTg")


def test_feedparser_does_flag_the_mismatch_we_accept():
    # Guards the test above: it must exercise a real bozo.
    result = feedparser.parse(
        io.BytesIO(feed("central-rss20.xml")),
        response_headers={"content-type": "application/rss+xml; charset=windows-1252"},
    )
    assert result.bozo


def test_titles_are_plain_text_with_entities_decoded_and_space_collapsed():
    body = (
        b'<rss version="2.0"><channel><item><title>  K&amp;H  &lt;b&gt;s\xe1\xbb\x91&lt;/b&gt;\n 5/KH-UBND </title>'
        b"<link>http://a.vn/1</link></item></channel></rss>"
    )
    assert parse(body, "http://a.vn/rss")[0].title == "K&H số 5/KH-UBND"


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd"])
def test_links_and_enclosures_that_are_not_web_urls_are_dropped(link):
    body = (
        f'<rss version="2.0"><channel><item><title>x</title><guid>g1</guid><link>{link}</link>'
        f'<enclosure url="{link}" type="application/pdf" length="-5"/></item></channel></rss>'
    ).encode()
    entry = parse(body, "http://a.vn/rss")[0]
    assert entry.link == ""
    assert entry.attachments == ()


def test_an_enclosure_without_a_usable_length_has_none():
    body = (
        b'<rss version="2.0"><channel><item><title>x</title><link>http://a.vn/1</link>'
        b'<enclosure url="/f.pdf" type="Application/PDF; x=y" length="abc"/></item></channel></rss>'
    )
    assert parse(body, "http://a.vn/rss/")[0].attachments == (Attachment("http://a.vn/f.pdf", "application/pdf", None),)


def test_an_item_with_neither_guid_nor_link_gets_a_stable_content_guid():
    body = b'<rss version="2.0"><channel><item><title>Tin</title><description>x</description></item></channel></rss>'
    first, again = parse(body, "http://a.vn/rss")[0], parse(body, "http://a.vn/rss")[0]
    assert first.guid.startswith("sha256:")
    assert first.guid == again.guid


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
        b'<channel rdf:about="http://a.vn/"><title>t</title></channel><item rdf:about="http://a.vn/1"><title>RSS 1.0</title>'
        b"<link>http://a.vn/1</link></item></rdf:RDF>",
        b'<rss version="0.91"><channel><title>t</title><item><title>RSS 0.91</title><link>http://a.vn/1</link></item></channel></rss>',
    ],
)
def test_older_rss_versions_are_read(body):
    [entry] = parse(body, "http://a.vn/rss")
    assert entry.title.startswith("RSS")
    assert entry.link == "http://a.vn/1"


def test_titles_and_authors_lose_newlines_indents_and_invisible_padding():
    body = (
        "<?xml version='1.0' encoding='utf-8'?>"
        "<rss version='2.0'><channel><item><title>\ufeff\n   Kế hoạch\u200b\n\n    211/KH-UBND \u200b\n  </title>"
        "<author>\u200b UBND tỉnh Lạng Sơn\u2060\n</author><link>\n https://a.vn/1 \n</link></item></channel></rss>"
    ).encode()
    [entry] = parse(body, "http://a.vn/rss")
    assert (entry.title, entry.author, entry.link) == ("Kế hoạch 211/KH-UBND", "UBND tỉnh Lạng Sơn", "https://a.vn/1")
    assert entry.own_code == "211/KH-UBND"


def test_named_leaves_out_the_entries_with_neither_title_nor_link_and_counts_them():
    body = (
        "<rss version='2.0'><channel>"
        "<item><title>Có cả hai</title><link>http://a.vn/1</link></item>"
        "<item><guid isPermaLink='false'>g-2</guid><description>Chỉ có nội dung</description></item>"
        "<item><link>http://a.vn/3</link></item>"
        "<item><title>Chỉ có tiêu đề</title></item>"
        "<item><title> \n </title><link>javascript:alert(1)</link><description>x</description></item>"
        "<item></item>"
        "</channel></rss>"
    ).encode()
    entries = parse(body, "http://a.vn/rss")
    kept, skipped = named(entries)
    assert [(entry.title, entry.link) for entry in kept] == [
        ("Có cả hai", "http://a.vn/1"),
        ("", "http://a.vn/3"),
        ("Chỉ có tiêu đề", ""),
    ]
    assert skipped == 3
