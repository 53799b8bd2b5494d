"""Authority over a document's text: only the issuer's side sets it, through real polls of served feeds.

The cast: the central portal (authoritative for the Politburo, the Government
and the Prime Minister, as in the demo); the Government's own portal, named
authoritative for the Government; a commune's portal, authoritative for the
commune only; xã Hoàng Văn Thụ's editor, who enters a Politburo resolution
before its feed arrives.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from wagtail.log_actions import registry as log_registry
from wagtail.models import Revision

from news57.models import DeadlineRule, DirectiveDocument, Publication, PublicationStatus, Source, SourceEntry, Subscription
from news57.republishing import actions
from news57.syndication.poll import poll
from news57.syndication.store import TEXT_FROM_SOURCE

CODE = "999-NQ/TW"
OFFICIAL_TITLE = "Nghị quyết số 999-NQ/TW ngày 20/11/2026 của Bộ Chính trị về phát triển hạ tầng số"
OFFICIAL_BODY = "Bộ Chính trị yêu cầu các cấp ủy, tổ chức đảng triển khai hạ tầng số đồng bộ."
EDITOR_TITLE = "Nghị quyết 999-NQ/TW ngày 20/11/2026 (bản xã nhập tạm)"


def feed(*items):
    """An RSS feed of (title, link, pubDate, description) items."""
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        + (f"<pubDate>{when}</pubDate>" if when else "")
        + f"<description>&lt;p&gt;{text}&lt;/p&gt;</description></item>"
        for title, link, when, text in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Cổng</title>'
        f"<link>https://example.vn/</link>{body}</channel></rss>"
    ).encode()


OFFICIAL = (OFFICIAL_TITLE, "https://trunguong.example.vn/van-ban/999", "Fri, 20 Nov 2026 16:45:00 +0700", OFFICIAL_BODY)


@pytest.fixture
def agencies(platform):
    return {slug: setup.agency for slug, setup in platform.items()}


@pytest.fixture
def central(served, agencies):
    """The central portal's feed: authoritative for the Politburo through its agency."""

    def make(*items, path="/trunguong.rss"):
        return Source.objects.create(
            name="Cổng trung ương", url=served(path, feed(*items)), default_issuer=agencies["chinh-phu"],
            agency=agencies["trunguong"], level="central",
        )  # fmt: skip

    return make


@pytest.fixture
def commune_portal(served, agencies):
    """A commune's feed: authoritative for the commune only, whatever it re-posts."""

    def make(*items):
        return Source.objects.create(
            name="Cổng xã Hoàng Văn Thụ", url=served("/xa.rss", feed(*items)), default_issuer=agencies["hoangvanthu"],
            level="department",
        )  # fmt: skip

    return make


@pytest.fixture
def entered_by_the_commune(agencies, platform, make_user):
    """The commune's editor entered the Politburo resolution by hand, and it is live on the commune's site."""
    document = DirectiveDocument.objects.create(
        code=CODE, title=EDITOR_TITLE, body="<p>Bản nhập tay của xã</p>", issuer=agencies["bo-chinh-tri"],
        entered_by=agencies["hoangvanthu"], issued_on=date(2026, 11, 20),
    )  # fmt: skip
    document.save_revision(user=make_user("hoangvanthu.bientap", platform["hoangvanthu"].editors), log_action=True)
    publication = actions.republish(
        document, platform["hoangvanthu"].site, None, at=datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    )
    return document, publication


def the(code=CODE):
    return DirectiveDocument.objects.get(code_key=code)


# Who is authoritative for whom


def test_an_agency_is_authoritative_for_itself_those_below_it_and_those_named(agencies):
    langson, trunguong = agencies["langson"], agencies["trunguong"]
    assert {agencies[slug].pk for slug in ("langson", "tinhuy-langson", "thanhtra-langson", "hoangvanthu")} <= (
        langson.authority_ids()
    )
    assert agencies["bo-chinh-tri"].pk in trunguong.authority_ids()
    assert agencies["laichau"].pk not in langson.authority_ids()
    assert agencies["hoangvanthu"].authority_ids() == {agencies["hoangvanthu"].pk}


def test_a_source_is_authoritative_for_its_agencys_issuers_and_those_its_settings_name(agencies):
    portal = Source.objects.create(
        name="Cổng TTĐT Chính phủ", url="https://chinhphu.example.vn/rss", default_issuer=agencies["chinh-phu"],
        level="central",
    )  # fmt: skip
    assert portal.authority_ids() == {agencies["chinh-phu"].pk}
    portal.authoritative_for.add(agencies["thu-tuong"])
    assert portal.authority_ids() == {agencies["chinh-phu"].pk, agencies["thu-tuong"].pk}


def test_a_document_an_agency_enters_under_an_issuer_it_is_not_authoritative_for_is_provisional(
    entered_by_the_commune, agencies
):
    document, _publication = entered_by_the_commune
    assert document.is_provisional
    own = DirectiveDocument.objects.create(
        code="33/KH-UBND", title="Kế hoạch 33/KH-UBND", issuer=agencies["hoangvanthu"], entered_by=agencies["hoangvanthu"]
    )
    below = DirectiveDocument.objects.create(
        code="262/KH-TTr", title="Kế hoạch 262/KH-TTr", issuer=agencies["thanhtra-langson"], entered_by=agencies["langson"]
    )
    assert not own.is_provisional and not below.is_provisional


# A provisional document stays home


def test_a_provisional_document_is_never_fanned_out(entered_by_the_commune, commune_portal, agencies):
    document, _publication = entered_by_the_commune
    portal = commune_portal((OFFICIAL_TITLE, "https://xa.example.vn/999", "Fri, 20 Nov 2026 08:00:00 +0700", "Bản xã"))
    Subscription.objects.create(source=portal, agency=agencies["langson"], include_below=True, deadline_rule=_rule())

    outcome = poll(portal)

    assert outcome.ok and outcome.stored.publications == 0
    assert list(Publication.objects.filter(document=document).values_list("site__agency__slug", flat=True)) == [
        "hoangvanthu"
    ]
    assert the().is_provisional and the().title == EDITOR_TITLE


def test_a_provisional_document_cannot_be_republished_on_another_site(entered_by_the_commune, platform, make_user):
    document, _publication = entered_by_the_commune
    with pytest.raises(actions.PublicationRefused):
        actions.republish(document, platform["langson"].site, make_user("root", superuser=True))
    assert not Publication.objects.filter(document=document, site=platform["langson"].site).exists()


# The authoritative text replaces the provisional one


def test_an_authoritative_source_replaces_a_provisional_text_and_keeps_it_as_a_revision(entered_by_the_commune, central):
    document, _publication = entered_by_the_commune

    assert poll(central(OFFICIAL)).ok

    document = the()
    assert document.title == OFFICIAL_TITLE and OFFICIAL_BODY in document.body
    assert document.source_url == "https://trunguong.example.vn/van-ban/999"
    assert not document.is_provisional and document.text_source.name == "Cổng trung ương"
    titles = [revision.content["title"] for revision in Revision.objects.for_instance(document).order_by("created_at")]
    assert titles[0] == EDITOR_TITLE and titles[-1] == OFFICIAL_TITLE


def test_the_replacement_is_logged_with_the_source_that_made_it(entered_by_the_commune, central):
    poll(central(OFFICIAL))
    [entry] = log_registry.get_logs_for_instance(the()).filter(action=TEXT_FROM_SOURCE)
    assert entry.data["source"] == "Cổng trung ương" and entry.data["reason"] == "provisional"


def test_the_publication_keeps_its_times_when_the_text_is_replaced(entered_by_the_commune, central):
    _document, publication = entered_by_the_commune
    before = Publication.objects.values("obligated_at", "published_at", "first_published_at", "status").get(pk=publication.pk)

    poll(central(OFFICIAL))

    after = Publication.objects.values("obligated_at", "published_at", "first_published_at", "status").get(pk=publication.pk)
    assert after == before and after["status"] == PublicationStatus.PUBLISHED


def test_once_replaced_the_document_is_fanned_out_to_the_subscribers(entered_by_the_commune, central, agencies):
    source = central(OFFICIAL)
    Subscription.objects.create(source=source, agency=agencies["langson"], deadline_rule=_rule())

    outcome = poll(source)

    assert outcome.stored.publications == 1
    assert Publication.objects.filter(document=the(), site__agency=agencies["langson"]).exists()


def test_the_public_page_says_when_the_text_was_updated(entered_by_the_commune, central, client, platform):
    _document, publication = entered_by_the_commune
    poll(central(OFFICIAL))
    site = platform["hoangvanthu"].site
    page = client.get(f"/nghi-quyet-57/van-ban/{the().slug}/", HTTP_HOST=site.hostname)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Cập nhật lúc" in html and OFFICIAL_TITLE in html


# Only an authoritative source sets the text


def test_a_source_not_authoritative_for_the_issuer_never_replaces_the_text_even_when_earlier(central, commune_portal):
    poll(central(OFFICIAL))
    earlier = ("Nghị quyết 999-NQ/TW ngày 20/11/2026 (xã đăng lại)", "https://xa.example.vn/999", "Fri, 20 Nov 2026 09:00:00 +0700", "Bản xã")
    repost = commune_portal(earlier)

    assert poll(repost).ok

    document = the()
    assert document.title == OFFICIAL_TITLE and document.source_url == "https://trunguong.example.vn/van-ban/999"
    # It adds its carrying time: its own entry, pointing at the document.
    carried = SourceEntry.objects.get(source=repost)
    assert carried.document == document and carried.published_at == datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def test_among_authoritative_sources_the_earliest_gives_the_text(central, served, agencies):
    poll(central(OFFICIAL))
    government = Source.objects.create(
        name="Cổng TTĐT Chính phủ", default_issuer=agencies["chinh-phu"], level="central",
        url=served("/chinhphu.rss", feed((OFFICIAL_TITLE + " (bản gốc)", "https://chinhphu.example.vn/999", "Fri, 20 Nov 2026 15:00:00 +0700", OFFICIAL_BODY))),
    )  # fmt: skip
    government.authoritative_for.add(agencies["bo-chinh-tri"])

    poll(government)

    assert the().source_url == "https://chinhphu.example.vn/999"
    assert the().source_published_at == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def test_a_date_without_a_time_never_beats_a_timed_entry_of_the_same_day(central, served, agencies):
    poll(central(OFFICIAL))  # 16:45 on 20 November
    government = Source.objects.create(
        name="Cổng TTĐT Chính phủ", default_issuer=agencies["chinh-phu"], level="central",
        url=served("/chinhphu.rss", feed((OFFICIAL_TITLE + " (ngày)", "https://chinhphu.example.vn/999", "20/11/2026", OFFICIAL_BODY))),
    )  # fmt: skip
    government.authoritative_for.add(agencies["bo-chinh-tri"])

    poll(government)  # reads as 00:00 of the same day

    assert the().source_url == "https://trunguong.example.vn/van-ban/999"


def test_a_timed_entry_beats_a_date_without_a_time_of_the_same_day_that_came_first(central, served, agencies):
    government = Source.objects.create(
        name="Cổng TTĐT Chính phủ", default_issuer=agencies["chinh-phu"], level="central",
        url=served("/chinhphu.rss", feed((OFFICIAL_TITLE + " (ngày)", "https://chinhphu.example.vn/999", "20/11/2026", OFFICIAL_BODY))),
    )  # fmt: skip
    government.authoritative_for.add(agencies["bo-chinh-tri"])
    poll(government)
    assert the().source_url == "https://chinhphu.example.vn/999" and the().source_time_is_date_only

    poll(central(OFFICIAL))

    assert the().source_url == "https://trunguong.example.vn/van-ban/999" and not the().source_time_is_date_only


def test_a_date_without_a_time_still_beats_a_timed_entry_of_a_later_day(central, served, agencies):
    poll(central(OFFICIAL))
    government = Source.objects.create(
        name="Cổng TTĐT Chính phủ", default_issuer=agencies["chinh-phu"], level="central",
        url=served("/chinhphu.rss", feed((OFFICIAL_TITLE, "https://chinhphu.example.vn/999", "19/11/2026", OFFICIAL_BODY))),
    )  # fmt: skip
    government.authoritative_for.add(agencies["bo-chinh-tri"])

    poll(government)

    assert the().source_url == "https://chinhphu.example.vn/999"


# Who sees a provisional document in the admin


def test_another_agencys_editor_neither_lists_nor_opens_a_provisional_document(entered_by_the_commune, editor_of, client):
    document, _publication = entered_by_the_commune
    viewset = DirectiveDocument.snippet_viewset
    client.force_login(editor_of("langson"))
    assert EDITOR_TITLE not in client.get(reverse(viewset.get_url_name("list"))).content.decode()
    for name in ("inspect", "history", "republish"):
        assert client.get(reverse(viewset.get_url_name(name), args=[document.pk])).status_code == 404, name


def test_the_entering_agency_sees_its_provisional_document(entered_by_the_commune, editor_of, client):
    document, _publication = entered_by_the_commune
    viewset = DirectiveDocument.snippet_viewset
    client.force_login(editor_of("hoangvanthu"))
    assert EDITOR_TITLE in client.get(reverse(viewset.get_url_name("list"))).content.decode()
    assert client.get(reverse(viewset.get_url_name("inspect"), args=[document.pk])).status_code == 200


def _rule():
    return DeadlineRule.objects.get_or_create(name="Một ngày", defaults={"unit": "hours", "amount": 24})[0]
