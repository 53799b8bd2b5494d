"""A province's administrators set up its agencies' sources and subscriptions, and see no other province's.

Lạng Sơn's administrator against Lai Châu's source and subscription, each case
with its twin on Lạng Sơn's own rows, so refusing everything cannot pass.
"""

from datetime import timedelta

import pytest
from django.urls import reverse

from news57.admin.sources import SourceViewSet
from news57.admin.subscriptions import SubscriptionViewSet
from news57.models import DeadlineRule, Source, Subscription

from shown import shown_text

SOURCES, SUBSCRIPTIONS = SourceViewSet(), SubscriptionViewSet()


def url(viewset, name, row=None):
    return reverse(viewset.get_url_name(name), args=[row.pk] if row else [])


@pytest.fixture
def rows(platform):
    """Each province's own source and subscription, and a central source anyone may subscribe to."""
    central = Source.objects.create(
        name="Nguồn trung ương quagga", url="https://tw.example.vn/rss", default_issuer=platform["chinh-phu"].agency,
        level="central",
    )
    rule = DeadlineRule.objects.create(name="Một ngày", unit="hours", amount=24)
    made = {"central": central, "rule": rule}
    for province, agency in (("langson", "hoangvanthu"), ("laichau", "vpubnd-laichau")):
        source = Source.objects.create(
            name=f"Nguồn quagga {province}", url=f"https://{province}.example.vn/rss",
            default_issuer=platform[agency].agency, level="province",
        )
        subscription = Subscription.objects.create(source=source, agency=platform[agency].agency, deadline_rule=rule)
        made[province] = (source, subscription)
    return made


@pytest.fixture
def administrator(client, administrator_of):
    client.force_login(administrator_of("langson"))
    return client


def body(response):
    return response.content.decode()


@pytest.mark.parametrize("viewset", [SOURCES, SUBSCRIPTIONS], ids=["sources", "subscriptions"])
@pytest.mark.parametrize("export", ["", "csv", "xlsx"])
def test_the_listing_holds_only_the_provinces_own_rows(viewset, export, rows, administrator):
    response = administrator.get(url(viewset, "index"), {"export": export} if export else {})
    assert response.status_code == 200
    text = shown_text(response)
    assert "quagga langson" in text
    assert "quagga laichau" not in text


@pytest.mark.parametrize("view", ["edit", "inspect", "delete", "history", "usage", "check"])
def test_another_provinces_source_is_not_found(view, rows, administrator):
    foreign, own = rows["laichau"][0], rows["langson"][0]
    assert administrator.get(url(SOURCES, view, foreign)).status_code == 404
    if view != "check":  # check fetches the address: its own test lives in test_sources_admin
        assert administrator.get(url(SOURCES, view, own)).status_code == 200


@pytest.mark.parametrize("view", ["edit", "delete", "history", "usage"])
def test_another_provinces_subscription_is_not_found(view, rows, administrator):
    foreign, own = rows["laichau"][1], rows["langson"][1]
    assert administrator.get(url(SUBSCRIPTIONS, view, foreign)).status_code == 404
    assert administrator.get(url(SUBSCRIPTIONS, view, own)).status_code == 200


def test_posting_to_another_provinces_rows_changes_nothing(rows, administrator):
    source, subscription = rows["laichau"]
    administrator.post(url(SOURCES, "delete", source))
    administrator.post(url(SUBSCRIPTIONS, "delete", subscription))
    administrator.post(url(SOURCES, "edit", source), {"name": "Đã đổi", "url": source.url, "level": "province"})
    source.refresh_from_db()
    assert source.name == "Nguồn quagga laichau"
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def _choices(response, field):
    return {str(choice) for choice in response.context["form"].fields[field].queryset}


def test_a_new_source_may_name_only_the_provinces_agencies_as_issuer(platform, rows, administrator):
    issuers = _choices(administrator.get(url(SOURCES, "add")), "default_issuer")
    assert platform["hoangvanthu"].agency.name in issuers
    assert platform["vpubnd-laichau"].agency.name not in issuers
    assert platform["chinh-phu"].agency.name not in issuers


def test_a_source_for_another_provinces_agency_is_refused(platform, rows, administrator):
    response = administrator.post(
        url(SOURCES, "add"),
        {
            "name": "Lấn sang Lai Châu", "url": "https://x.example.vn/rss", "level": "province", "carries": "detect",
            "enabled": "on", "poll_interval": "300", "default_issuer": platform["vpubnd-laichau"].agency.pk,
        },
    )
    assert response.status_code == 200 and "default_issuer" in response.context["form"].errors
    assert not Source.objects.filter(name="Lấn sang Lai Châu").exists()


def test_a_subscription_may_name_the_provinces_and_the_central_sources_only(rows, administrator):
    sources = _choices(administrator.get(url(SUBSCRIPTIONS, "add")), "source")
    assert sources == {"Nguồn quagga langson", "Nguồn trung ương quagga"}


def test_the_subscription_filter_names_no_other_provinces_source(rows, administrator):
    assert "quagga laichau" not in body(administrator.get(url(SUBSCRIPTIONS, "index")))


def test_an_administrator_subscribes_a_commune_to_a_central_source(platform, rows, administrator):
    rule = rows["rule"]
    commune = platform["hoangvanthu"].agency
    response = administrator.post(
        url(SUBSCRIPTIONS, "add"),
        {
            "source": rows["central"].pk, "agency": commune.pk, "include_agency": "on", "policy": "queue",
            "deadline_rule": rule.pk, "enabled": "on", "starts_at": "2026-12-01 08:00", "only_citing": "", "only_topic": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Subscription.objects.filter(source=rows["central"], agency=commune).exists()


def test_the_menu_offers_sources_and_subscriptions_to_an_administrator(rows, administrator):
    home = body(administrator.get(reverse("wagtailadmin_home")))
    assert url(SOURCES, "index") in home and url(SUBSCRIPTIONS, "index") in home
