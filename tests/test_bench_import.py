"""Smoke test of bench/import_throughput.py: its functions run on a tiny feed and store rows.

Timings are never asserted: they depend on the machine. Only the shape of the
results, the stored rows and the sanitizers' safety are checked.
"""

import json

import pytest

from bench_scripts import load
from news57.models import Agency, DirectiveDocument, EntryKind, SourceEntry

@pytest.fixture(scope="module")
def bench():
    return load("import_throughput")


def test_feed_is_parsed_into_the_requested_entries(bench):
    from news57.syndication.parse import parse

    entries = parse(bench.make_feed(20, variant=3), "https://stttt.example.vn/rss")
    assert len(entries) == 20
    assert sum(1 for entry in entries if entry.own_code) >= 10
    assert all(entry.published_at is not None for entry in entries)
    assert any("<script" in entry.summary_html for entry in entries)


@pytest.mark.parametrize("name", ["bleach", "nh3"])
def test_each_sanitizer_neutralises_the_hostile_bits(bench, name):
    cleaner = bench.SANITIZERS[name]
    for hostile in bench.HOSTILE:
        out = cleaner(f"<p>Văn bản</p>{hostile}", "https://stttt.example.vn/a.html").lower()
        assert not any(bad in out for bad in bench.FORBIDDEN), (hostile, out)


def test_nh3_variant_follows_the_policy(bench):
    html = (
        '<h1>Tiêu đề</h1><div>a</div><a href="/x" onclick="x()">b</a>'
        "<table><tr><td colspan=2 style=x>1</td></tr></table>"
    )
    base = "https://stttt.example.vn/tin/1.html"
    assert bench.nh3_clean(html, base) == bench.bleach_clean(html, base) == (
        '<h2>Tiêu đề</h2>\na\n<a href="https://stttt.example.vn/x" rel="nofollow noopener">b</a>'
        '<table><tbody><tr><td colspan="2">1</td></tr></tbody></table>'
    )


def test_store_once_stores_every_entry(db, bench):
    fixture = bench.Fixture(shared=True)
    runner = bench.Runner(fixture, 20)
    runner.store_once(bench.nh3_clean)
    rows = SourceEntry.objects.filter(source=fixture.sources[0])
    assert rows.count() == 20
    assert rows.filter(kind=EntryKind.DOCUMENT).count() == runner.stored["created_documents"] > 0
    assert runner.stored["new_entries"] == 20
    assert not any("<script" in body for body in rows.values_list("body", flat=True))

    agencies = [agency.pk for agency in fixture.agencies]
    fixture.delete()
    assert not SourceEntry.objects.filter(source__in=[source.pk for source in fixture.sources]).exists()
    assert not DirectiveDocument.objects.filter(issuer__in=agencies).exists()
    assert not Agency.objects.filter(pk__in=agencies).exists()


def test_run_writes_the_results_and_cleans_up(db, bench, tmp_path):
    agencies_before = Agency.objects.count()
    output = tmp_path / "results" / "import_throughput.json"

    results = bench.run(entries=20, repeats=1, output=output, shared=True, quiet=True)

    data = json.loads(output.read_text(encoding="utf-8"))
    assert data == json.loads(json.dumps(results))
    assert set(data) >= {"machine", "parameters", "stages", "nh3_over_bleach_throughput", "clean_per_entry",
                         "safety", "target", "stored"}  # fmt: skip
    assert {"python", "cpu_count", "platform", "database_vendor"} <= set(data["machine"])
    assert data["parameters"]["entries"] == 20 and data["parameters"]["repeats"] == 1
    assert set(data["stages"]) == {
        "parse", "clean_bleach", "clean_nh3", "store_precleaned", "store_bleach", "store_nh3",
        "end_to_end_bleach", "end_to_end_nh3",
    }  # fmt: skip
    for stage in data["stages"].values():
        assert len(stage["seconds"]) == 1
        assert {"p50_s", "p95_s", "entries_per_s_p50", "ms_per_entry_p50", "ms_per_entry_p95"} <= set(stage)
    assert set(data["nh3_over_bleach_throughput"]) == {"clean", "store", "end_to_end"}
    for name in ("bleach", "nh3"):
        assert {"p50_ms", "p95_ms", "p99_ms"} <= set(data["clean_per_entry"][name])
        assert data["clean_per_entry"][name]["samples"] == 20
    assert data["safety"]["unsafe_outputs"] == {"bleach": 0, "nh3": 0}
    assert isinstance(data["target"]["met_bleach"], bool)
    # Five stores per repeat (pre-cleaned, bleach and nh3, each alone and end to end), all entries new.
    assert data["stored"]["new_entries"] == 5 * 20
    assert data["stored"]["source_entry_rows"] >= 5 * 20

    # Everything the run created is gone again.
    assert Agency.objects.count() == agencies_before
    assert not SourceEntry.objects.exists()
