"""The admin of feed sources through its own URLs: who may open it, what state it shows, and "check".

Checking a source fetches the feed from a real server on loopback
(pytest-httpserver) and must show what a poll would import without storing
anything; the `no_outbound` guard fails a test that tries to reach anything
but loopback.
"""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import html5lib
import pytest
from django.contrib.auth.models import Group, Permission
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Revision

from news57.models import AttachmentDownload, DirectiveDocument, Source, SourceEntry
from news57.admin.sources import SourceViewSet
from news57.source_errors import error_message

FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
SOURCES = SourceViewSet()


def url(name, source=None):
    return reverse(SOURCES.get_url_name(name), args=[source.pk] if source else [])


def vietnamese(key, **params):
    with translation.override("vi"):
        return error_message(key, params)




@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("admin", superuser=True))
    return client


@pytest.fixture
def government(platform):
    return platform["chinh-phu"].agency


def make_source(issuer, name="Cổng TTĐT Chính phủ", address="https://central.example.vn/rss/van-ban.rss", **fields):
    return Source.objects.create(name=name, url=address, default_issuer=issuer, level="central", **fields)


def rows_of_everything():
    return {
        model.__name__: model.objects.count()
        for model in (Source, SourceEntry, DirectiveDocument, AttachmentDownload, Revision)
    }


def parts(html, marker):
    """The elements of an admin page (or of an element of one) carrying a data-* marker."""
    root = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False) if isinstance(html, str) else html
    return [element for element in root.iter() if isinstance(element.tag, str) and marker in element.attrib]


def listing_rows(html):
    root = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    [table] = [table for table in root.iter("table") if "listing" in table.attrib.get("class", "").split()]
    return table.findall("./tbody/tr")


def text_of(element):
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def field(entry, name):
    [found] = [element for element in parts(entry, "data-check-field") if element.attrib["data-check-field"] == name]
    return text_of(found)


def hostile_parts(element):
    found = []
    for node in element.iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag.lower() in {"script", "iframe", "object", "embed", "style", "svg"}:
            found.append(node.tag)
        for attribute, value in node.attrib.items():
            if attribute.lower().startswith("on") or attribute.lower() == "style":
                found.append(f"{node.tag}[{attribute}]")
            if "javascript:" in value.lower().replace(" ", ""):
                found.append(f"{node.tag}[{attribute}={value}]")
    return found


# The listing


def test_the_listing_shows_each_sources_state_in_vietnam_time(admin_client, government):
    make_source(
        government,
        last_polled_at=datetime(2025, 6, 16, 2, 0, tzinfo=UTC),
        last_success_at=datetime(2025, 6, 16, 2, 0, tzinfo=UTC),
        next_poll_at=datetime(2025, 6, 16, 2, 5, tzinfo=UTC),
        entries_seen=37,
    )
    response = admin_client.get(url("index"))
    assert response.status_code == 200
    [row] = [text_of(row) for row in listing_rows(response.content.decode())]
    assert "Cổng TTĐT Chính phủ" in row
    assert "16/06/2025 09:00" in row  # last success, 02:00 UTC
    assert "16/06/2025 09:05" in row  # next poll
    assert "37" in row
    [status] = parts(response.content.decode(), "data-source-status")
    assert status.attrib["data-source-status"] == "working"


def test_a_failing_source_is_marked_with_its_run_of_failures_and_its_error_in_plain_words(admin_client, government):
    make_source(
        government,
        last_polled_at=timezone.now(),
        last_error_at=timezone.now(),
        last_error_reason="not_a_feed",
        consecutive_failures=3,
    )
    html = admin_client.get(url("index")).content.decode()
    [status] = parts(html, "data-source-status")
    assert status.attrib["data-source-status"] == "failing"
    assert text_of(status) == "Đang lỗi (3 lần liên tiếp)"
    assert vietnamese("not_a_feed") in html


def test_a_source_turned_off_after_repeated_failures_is_marked_as_such(admin_client, government):
    make_source(
        government,
        enabled=False,
        disabled_at=timezone.now(),
        consecutive_failures=50,
        last_error_reason="http_status",
        last_error_params={"code": "500"},
    )
    html = admin_client.get(url("index")).content.decode()
    [status] = parts(html, "data-source-status")
    assert status.attrib["data-source-status"] == "disabled_automatically"
    assert text_of(status) == "Đã tự động tắt do lỗi liên tiếp"
    assert vietnamese("http_status", code="500") in html


def test_the_listing_filters_the_failing_sources(admin_client, government):
    make_source(government, name="Nguồn ổn định", address="https://a.example.vn/rss")
    make_source(government, name="Nguồn đang lỗi", address="https://b.example.vn/rss", consecutive_failures=2)
    html = admin_client.get(url("index"), {"status": "failing"}).content.decode()
    assert "Nguồn đang lỗi" in html
    assert "Nguồn ổn định" not in html


# Who may open it


def test_an_editor_can_open_none_of_the_sources_admin(client, editor_of, government):
    source = make_source(government)
    client.force_login(editor_of("hoangvanthu"))
    for address in (url("index"), url("add"), url("edit", source), url("inspect", source), url("check", source)):
        response = client.get(address)
        assert response.status_code in (302, 403), address
        if response.status_code == 302:
            assert response.url == reverse("wagtailadmin_home"), address


def test_an_editor_does_not_see_sources_in_the_menu(client, editor_of):
    client.force_login(editor_of("hoangvanthu"))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert url("index") not in html


def _province_administered_by(platform, slug, *codenames):
    """The province's administrator group replaced by one holding only these permissions."""
    group = Group.objects.create(name=f"{slug} administrators ({', '.join(codenames)})")
    group.permissions.add(*Permission.objects.filter(codename__in=["access_admin", *codenames]))
    province = platform[slug].agency
    province.administrators = group
    province.save(update_fields=["administrators"])
    return group


def test_a_user_who_may_only_view_sources_cannot_check_one(client, make_user, platform):
    viewers = _province_administered_by(platform, "langson", "view_source")
    client.force_login(make_user("viewer", viewers))
    source = make_source(platform["langson"].agency)
    assert client.get(url("inspect", source)).status_code == 200
    assert client.get(url("check", source)).status_code in (302, 403)


def test_a_user_given_the_source_permissions_manages_their_provinces_sources(client, make_user, platform):
    managers = _province_administered_by(platform, "langson", "change_source")
    client.force_login(make_user("manager", managers))
    source = make_source(platform["langson"].agency)
    html = client.get(url("index")).content.decode()
    assert url("check", source) in html


def test_the_source_permissions_without_a_province_reach_no_source(client, make_user, government):
    managers = Group.objects.create(name="Source managers")
    managers.permissions.add(*Permission.objects.filter(codename__in=["access_admin", "change_source"]))
    client.force_login(make_user("manager", managers))
    source = make_source(government)
    assert url("check", source) not in client.get(url("index")).content.decode()
    assert client.get(url("edit", source)).status_code == 404


# The forms


def form_data(issuer, **overrides):
    return {
        "name": "Cổng TTĐT tỉnh Lạng Sơn",
        "url": "https://langson.example.vn/rss/van-ban.rss",
        "default_issuer": str(issuer.pk),
        "level": "province",
        "carries": "detect",
        "enabled": "on",
        "poll_interval": "300",
        **overrides,
    }


@override_settings(NEWS57_SOURCE_MIN_INTERVAL_SECONDS=120)
def test_the_form_refuses_a_poll_interval_below_the_minimum(admin_client, platform):
    response = admin_client.post(url("add"), form_data(platform["langson"].agency, poll_interval="60"))
    assert response.status_code == 200
    with translation.override("vi"):
        message = translation.gettext("The poll interval must be at least %(seconds)s seconds.") % {"seconds": 120}
    assert message in response.content.decode()
    assert not Source.objects.exists()


@override_settings(NEWS57_SOURCE_MIN_INTERVAL_SECONDS=120)
def test_the_form_creates_a_source_at_the_minimum_interval(admin_client, platform):
    response = admin_client.post(url("add"), form_data(platform["langson"].agency, poll_interval="120"))
    assert response.status_code == 302
    source = Source.objects.get()
    assert (source.poll_interval, source.level, source.default_issuer) == (120, "province", platform["langson"].agency)


def test_turning_an_automatically_disabled_source_back_on_clears_its_failures(admin_client, government):
    source = make_source(government, enabled=False, disabled_at=timezone.now(), consecutive_failures=50)
    response = admin_client.post(
        url("edit", source), form_data(government, name=source.name, url=source.url, level="central")
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.enabled, source.disabled_at, source.consecutive_failures) == (True, None, 0)


def test_the_edit_view_shows_the_state_and_offers_a_check(admin_client, government):
    source = make_source(
        government, consecutive_failures=2, last_error_reason="timeout", last_error_params={"seconds": "20"}
    )
    html = admin_client.get(url("edit", source)).content.decode()
    [state] = parts(html, "data-source-state")
    assert vietnamese("timeout", seconds="20") in text_of(state)
    assert url("check", source) in html


def test_the_inspect_view_shows_the_state_fields_in_vietnam_time(admin_client, government):
    source = make_source(
        government,
        last_polled_at=datetime(2025, 8, 23, 7, 5, tzinfo=UTC),
        last_error_at=datetime(2025, 8, 23, 7, 5, tzinfo=UTC),
        last_error_reason="dns",
        last_error_params={"host": "central.example.vn"},
        consecutive_failures=1,
        entries_seen=12,
    )
    html = admin_client.get(url("inspect", source)).content.decode()
    assert "23/08/2025 14:05" in html
    assert vietnamese("dns", host="central.example.vn") in html
    assert "Đang lỗi (1 lần liên tiếp)" in html


# "Check this source"


def test_checking_a_source_shows_what_a_poll_would_import(admin_client, government, served):
    source = make_source(government, address=served("/rss", (FEEDS / "central-rss20.xml").read_bytes()))
    response = admin_client.get(url("check", source))
    assert response.status_code == 200
    html = response.content.decode()
    entries = parts(html, "data-check-entry")
    assert len(entries) == 4
    first = text_of(entries[0])
    assert "Quyết định số 1169/QĐ-TTg" in first
    assert field(entries[0], "own_code") == "1169/QĐ-TTg"
    assert field(entries[0], "cited_codes") == "57-NQ/TW"
    assert field(entries[0], "issuer") == "Thủ tướng Chính phủ"
    assert field(entries[0], "source_time") == "16/06/2025 16:45"
    assert "https://central.example.vn/files/1169-QD-TTg.pdf" in field(entries[0], "attachments")
    assert field(entries[1], "issuer") == "Chính phủ"
    assert field(entries[3], "issuer") == "Bộ Chính trị"
    assert field(entries[2], "attachments") == "—"


def test_checking_a_source_shows_the_bodies_cleaned(admin_client, government, served):
    source = make_source(government, address=served("/rss", (FEEDS / "central-rss20.xml").read_bytes()))
    bodies = parts(admin_client.get(url("check", source)).content.decode(), "data-check-body")
    assert len(bodies) == 4
    assert [hostile_parts(body) for body in bodies] == [[], [], [], []]
    assert "100%" in text_of(bodies[0])  # the text around the hostile markup stays
    assert bodies[0].find(".//strong") is not None  # and so does harmless markup
    assert "Xem chi tiết" in text_of(bodies[1])


def test_checking_a_source_stores_nothing(admin_client, government, served):
    source = make_source(government, address=served("/rss", (FEEDS / "central-rss20.xml").read_bytes()))
    state = Source.objects.filter(pk=source.pk).values().get()
    before = rows_of_everything()
    assert admin_client.get(url("check", source)).status_code == 200
    assert rows_of_everything() == before
    assert Source.objects.filter(pk=source.pk).values().get() == state


def test_checking_an_entry_without_a_date_says_its_first_sight_will_count(admin_client, government, served):
    feed = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Xã</title>'
        "<item><title>Thông báo lịch tiếp công dân</title><link>https://xa.example.vn/tb-1</link>"
        "<description>Lịch tiếp công dân tháng 9.</description></item></channel></rss>"
    ).encode()
    source = make_source(government, address=served("/no-date", feed))
    [entry] = parts(admin_client.get(url("check", source)).content.decode(), "data-check-entry")
    time = field(entry, "source_time")
    assert time.startswith("—")
    assert len(time) > 1  # the note on the time first seen


def test_checking_an_html_page_shows_that_it_is_not_a_feed(admin_client, government, served):
    source = make_source(government, address=served("/", (FEEDS / "not-a-feed.html").read_bytes(), "text/html"))
    html = admin_client.get(url("check", source)).content.decode()
    [error] = parts(html, "data-check-error")
    assert vietnamese("not_a_feed") in text_of(error)
    assert parts(html, "data-check-entry") == []


def test_checking_a_failing_server_shows_its_http_error(admin_client, government, served):
    source = make_source(government, address=served("/broken", b"Internal Server Error", "text/plain", status=500))
    before = rows_of_everything()
    html = admin_client.get(url("check", source)).content.decode()
    [error] = parts(html, "data-check-error")
    assert vietnamese("http_status", code=500) in text_of(error)
    assert rows_of_everything() == before
    source.refresh_from_db()
    assert (source.consecutive_failures, source.last_error_reason) == (0, "")


def test_checking_a_truncated_feed_shows_the_error_and_the_entries_read_before_the_cut(admin_client, platform, served):
    cut = (FEEDS / "truncated-atom.xml").read_bytes()
    source = make_source(platform["langson"].agency, address=served("/cut", cut, "application/atom+xml"))
    html = admin_client.get(url("check", source)).content.decode()
    [error] = parts(html, "data-check-error")
    assert vietnamese("truncated") in text_of(error)
    entries = parts(html, "data-check-entry")
    assert entries
    assert text_of(entries[0]).startswith("Kế hoạch số 211/KH-UBND")  # read as UTF-8: no mojibake


def test_checking_a_private_address_is_refused_before_connecting(admin_client, government):
    source = make_source(government, address="http://10.0.0.1/rss")
    html = admin_client.get(url("check", source)).content.decode()
    [error] = parts(html, "data-check-error")
    assert vietnamese("forbidden_private", address="10.0.0.1") in text_of(error)


def test_a_missing_source_cannot_be_checked(admin_client):
    assert admin_client.get(reverse(SOURCES.get_url_name("check"), args=[999999])).status_code == 404


def test_a_failing_source_shows_when_it_will_be_tried_again(admin_client, government):
    retry = timezone.now() + timedelta(hours=2)
    make_source(government, consecutive_failures=4, next_poll_at=retry)
    html = admin_client.get(url("index")).content.decode()
    assert timezone.localtime(retry).strftime("%d/%m/%Y %H:%M") in html
