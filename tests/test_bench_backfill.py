"""Smoke test of bench/backfill.py: its functions run on a few documents and sites and create the publications.

Timings and memory figures are never asserted: they depend on the machine. Only
the shape of the results, the rows created and the clean-up are checked.
"""

import json

import pytest
from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from bench_scripts import load
from news57.models import Agency, DirectiveDocument, Publication, Source, SourceEntry, Subscription

@pytest.fixture(scope="module")
def bench():
    return load("backfill")


@pytest.fixture
def root(db):
    # Sites need a root page; a transactional test's flush may have removed Wagtail's.
    if Page.get_first_root_node() is None:
        locale, _created = Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        Page.add_root(title="Root", slug="root", locale=locale)
    return Page.get_first_root_node()


def test_measure_backfills_every_document_onto_every_site(root, bench):
    fixture = bench.Fixture(documents=6, sites=3, traced=4)
    assert len(fixture.site_ids) == 3
    assert SourceEntry.objects.filter(source=fixture.sources["full"]).count() == 6
    assert SourceEntry.objects.filter(source=fixture.sources["traced"]).count() == 4

    case = bench.measure(fixture, batch_size=4)

    assert case["batches"] == 2 and case["publications"] == 6 * 3
    assert case["traced"]["documents"] == 4 and case["traced"]["publications"] == 4 * 3
    assert case["traced"]["batches"] == 1
    # The traced run came last: its publications are the ones left, on every site.
    left = Publication.objects.filter(subscription=fixture.subscriptions["traced"])
    assert set(left.values_list("site_id", flat=True)) == set(fixture.site_ids)

    province = fixture.province.pk
    fixture.delete()
    assert not Publication.objects.filter(site_id__in=fixture.site_ids).exists()
    assert not Site.objects.filter(pk__in=fixture.site_ids).exists()
    assert not Agency.objects.filter(pk=province).exists()
    assert not DirectiveDocument.objects.filter(issuer_id=province).exists()
    assert not Source.objects.filter(pk__in=[source.pk for source in fixture.sources.values()]).exists()


def test_run_writes_the_results_and_the_table_and_cleans_up(root, bench, tmp_path):
    agencies_before, sites_before = Agency.objects.count(), Site.objects.count()
    output = tmp_path / "results" / "backfill.json"

    results = bench.run(documents=5, sites=2, batch_sizes=[2, 10], output=output, traced_documents=3, quiet=True)

    data = json.loads(output.read_text(encoding="utf-8"))
    assert data == json.loads(json.dumps(results))
    assert {"machine", "parameters", "cases", "set_up_seconds"} <= set(data)
    assert {"python", "cpu_count", "platform", "database_vendor", "load_average"} <= set(data["machine"])
    assert data["parameters"] == {
        "documents": 5, "sites": 2, "batch_sizes": [2, 10], "traced_documents": 3, "publications_at_once": 20_000,
    }  # fmt: skip
    assert [(case["batch_size"], case["batches"], case["publications"]) for case in data["cases"]] == [
        (2, 3, 10), (10, 1, 10),
    ]  # fmt: skip
    for case in data["cases"]:
        assert {"seconds", "publications_per_s", "peak_rss_mib", "ru_maxrss_mib"} <= set(case)
        assert case["traced"]["publications"] == 3 * 2 and "tracemalloc_peak_mib" in case["traced"]

    rows = bench.table_rows(results)
    assert rows[0] == ("backend", "batch size", "publications", "seconds", "publications/s", "peak MiB", "peak RSS MiB")
    backend = data["machine"]["database_vendor"]
    assert [row[:3] for row in rows[1:]] == [(backend, "2", "10"), (backend, "10", "10")]
    assert "batch size" in bench.format_table(results)

    assert Agency.objects.count() == agencies_before and Site.objects.count() == sites_before
    assert not Publication.objects.exists() and not Subscription.objects.exists()
