"""Smoke test of bench/compliance.py: its province is built and removed, and it times what exists.

Timings are never asserted: they depend on the machine. Only the rows created,
their consistency, the clean-up and the shape of the results are checked; and,
once the compliance view and report have URLs, that they answer and carry the
province's agencies and publications.
"""

import json

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site, Task, Workflow

from bench_scripts import load
from news57.access import can_supervise, supervised_agencies, supervised_provinces
from news57.models import Agency, DirectiveDocument, Publication, PublicationStatus, SectionPage, Source

COUNTED = (Agency, Site, Page, Group, Collection, Workflow, Task, DirectiveDocument, Publication, Source)


@pytest.fixture(scope="module")
def bench():
    return load("compliance")


@pytest.fixture
def roots(db):
    # provision_agency needs Wagtail's root page and collection; a transactional test's flush may have removed them.
    locale, _created = Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Page.get_first_root_node() is None:
        Page.add_root(title="Root", slug="root", locale=locale)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def counts():
    return {model.__name__: model.objects.count() for model in (*COUNTED, get_user_model())}


def test_fixture_builds_a_supervised_province_and_removes_every_row(roots, bench):
    before = counts()
    fixture = bench.Fixture(sites=3, publications=60)

    assert fixture.provisioned == 3 and fixture.minimal == 0
    assert Agency.objects.filter(parent=fixture.province, site__isnull=False).count() == 3
    publications = Publication.objects.filter(site_id__in=fixture.site_ids)
    assert publications.count() == 60
    assert publications.filter(due_at__year=bench.YEAR).count() == 60
    for status, published_at, first, due, on_time in publications.values_list(
        "status", "published_at", "first_published_at", "due_at", "on_time"
    ):
        if status == PublicationStatus.PUBLISHED:
            assert first == published_at and on_time == (first <= due)
        else:
            assert status in (PublicationStatus.QUEUED, PublicationStatus.DECLINED)
            assert published_at is None and on_time is None
    assert can_supervise(fixture.user)
    assert list(supervised_provinces(fixture.user)) == [fixture.province]
    assert {agency.site_id for agency in supervised_agencies(fixture.user) if agency.site_id} == set(fixture.site_ids)

    fixture.delete()
    assert counts() == before


def test_minimal_agencies_have_a_home_with_a_section_and_are_removed(roots, bench):
    before = counts()
    fixture = bench.Fixture(sites=2, publications=10, provision=False)

    assert fixture.minimal == 2 and fixture.provisioned == 0
    for site in fixture.sites_with_agencies():
        assert site.agency.parent_id == fixture.province.pk
        assert SectionPage.objects.child_of(site.root_page).exists()
    assert Publication.objects.filter(site_id__in=fixture.site_ids).count() == 10

    fixture.delete()
    assert counts() == before


def test_run_writes_the_results_and_cleans_up(roots, bench, tmp_path):
    before = counts()
    output = tmp_path / "results" / "compliance.json"

    results = bench.run(sites=3, publications=60, requests=2, output=output, export_runs=1, quiet=True)

    data = json.loads(output.read_text(encoding="utf-8"))
    assert data == json.loads(json.dumps(results))
    assert {"machine", "parameters", "data", "targets", "cases", "not_answering"} <= set(data)
    assert {"python", "cpu_count", "platform", "database_vendor", "load_average"} <= set(data["machine"])
    assert data["parameters"]["sites"] == 3 and data["parameters"]["publications"] == 60
    assert data["data"]["in_period"]["due"] > 0
    direct = [case for case in data["cases"] if case["kind"] == "direct"]
    assert direct[0]["name"] == "figures only (site_figures)"
    for case in direct:
        assert len(case["seconds"]) == 1 and case["check"]["ok"], case
    assert "measure" in bench.format_table(results)
    assert counts() == before


def test_the_compliance_view_and_report_answer_with_the_whole_province(roots, bench, tmp_path):
    try:
        reverse(bench.VIEW_URL[0])
        reverse(bench.REPORT_URL[0])
    except NoReverseMatch as missing:
        pytest.skip(f"the compliance view or report has no URL yet: {missing}")

    results = bench.run(sites=3, publications=60, requests=2, output=False, export_runs=1, quiet=True)

    answered = [case for case in results["cases"] if case["kind"] in ("view", "export")]
    assert {case["name"] for case in answered} >= {"view, page 1", "half-year XLSX", "half-year CSV"}
    for case in answered:
        assert case["status"] == 200, case.get("problem")
        assert len(case["seconds"]) == (2 if case["kind"] == "view" else 1)
        assert case["check"]["ok"], case
    assert results["not_answering"] == []
