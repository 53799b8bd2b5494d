"""Smoke test of bench/fanout.py: its functions run on a few sites and create the publications.

Timings are never asserted: they depend on the machine. Only the shape of the
results, the rows created and the clean-up are checked.
"""

import json

import pytest
from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from bench_scripts import load
from news57.models import Agency, DirectiveDocument, Publication, PublicationStatus, Source

@pytest.fixture(scope="module")
def bench():
    return load("fanout")


@pytest.fixture
def root(db):
    # Sites need a root page; a transactional test's flush may have removed Wagtail's.
    if Page.get_first_root_node() is None:
        locale, _created = Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        Page.add_root(title="Root", slug="root", locale=locale)
    return Page.get_first_root_node()


def test_measure_creates_one_publication_per_site(root, bench):
    fixture = bench.Fixture(10)
    assert len(fixture.site_ids) == 10
    assert Agency.objects.filter(parent=fixture.province, site__isnull=False).count() == 10

    first, rerun = bench.measure(fixture, "publish", 1)
    assert len(first) == len(rerun) == 1
    # The warm-up document and the measured one, each on every site, live at once.
    publications = Publication.objects.filter(document__issuer=fixture.province)
    assert publications.count() == 2 * 10
    assert set(publications.values_list("status", flat=True)) == {PublicationStatus.PUBLISHED}
    assert set(publications.values_list("site_id", flat=True)) == set(fixture.site_ids)

    bench.measure(fixture, "queue", 1)
    queued = Publication.objects.filter(subscription=fixture.subscriptions["queue"])
    assert queued.count() == 2 * 10
    assert set(queued.values_list("status", flat=True)) == {PublicationStatus.QUEUED}

    province = fixture.province.pk
    fixture.delete()
    assert not Publication.objects.filter(site_id__in=fixture.site_ids).exists()
    assert not Site.objects.filter(pk__in=fixture.site_ids).exists()
    assert not Agency.objects.filter(pk=province).exists()
    assert not DirectiveDocument.objects.filter(issuer_id=province).exists()
    assert not Source.objects.filter(pk__in=[source.pk for source in fixture.sources.values()]).exists()


def test_run_writes_the_results_and_cleans_up(root, bench, tmp_path):
    agencies_before = Agency.objects.count()
    sites_before = Site.objects.count()
    output = tmp_path / "results" / "fanout.json"

    results = bench.run(sites=[10, 4], repeats=1, output=output, quiet=True)

    data = json.loads(output.read_text(encoding="utf-8"))
    assert data == json.loads(json.dumps(results))
    assert set(data) >= {"machine", "parameters", "cases", "target"}
    assert {"python", "cpu_count", "platform", "database_vendor", "load_average"} <= set(data["machine"])
    assert data["parameters"] == {"sites": [4, 10], "repeats": 1, "queue_sites": 10, "smallest": 4}
    assert [(case["sites"], case["policy"]) for case in data["cases"]] == [
        (4, "publish"), (10, "publish"), (10, "queue"),
    ]  # fmt: skip
    for case in data["cases"]:
        assert len(case["fan_out"]["seconds"]) == len(case["rerun"]["seconds"]) == 1
        assert {"p50_s", "p95_s", "publications_per_s_p50", "ms_per_1000_sites_p50"} <= set(case["fan_out"])
        assert {"p50_s", "p95_s"} <= set(case["rerun"])
        assert case["rerun"]["created"] == 0
        status = "published" if case["policy"] == "publish" else "queued"
        # Warm-up plus one repeat: two documents, each on every site.
        assert case["publications"] == {status: 2 * case["sites"]}
        assert case["ratio_to_smallest_p50"] > 0
    assert data["cases"][0]["ratio_to_smallest_p50"] == 1.0
    # 5,000 sites were not run, so the target is neither met nor missed.
    assert data["target"]["measured"] is False and data["target"]["met"] is None

    # Everything the run created is gone again.
    assert Agency.objects.count() == agencies_before
    assert Site.objects.count() == sites_before
    assert not Publication.objects.exists()
