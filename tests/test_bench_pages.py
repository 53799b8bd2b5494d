"""Smoke test of bench/pages.py: the whole bench at tiny scale, as `python bench/pages.py` runs it.

Timings are never asserted: they depend on the machine. Checked are the shape of the results
(every mode and page measured, all answers 200), the data the loader left (counted again here,
straight from the kept SQLite file) and that every process the bench started has stopped.
"""

import json
import os
import socket
import sqlite3
import subprocess
import sys

import pytest

from bench_scripts import load, script

BENCH = script("pages")
SITES, ARTICLES, DOCUMENTS = 3, 20, 10

bench = load("pages")


def redis_down():
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", 6379)) != 0


MISSING = bench.missing_tools() + (["Redis on 127.0.0.1:6379"] if redis_down() else [])
pytestmark = [pytest.mark.bench, pytest.mark.skipif(bool(MISSING), reason="bench/pages.py needs " + "; ".join(MISSING))]


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """The bench run once at tiny scale on its own SQLite file, kept for counting: (results, kept folder)."""
    folder = tmp_path_factory.mktemp("bench-pages")
    kept, output = folder / "kept", folder / "results" / "pages.json"
    # Its own database and folders, whatever this test run uses.
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DATABASE_URL", "NEWS57_VAR_DIR", "MEDIA_ROOT", "CACHE_URL", "NEWS57_FRONTEND_CACHE")
    }
    command = [
        sys.executable, str(BENCH), "--sites", str(SITES), "--articles", str(ARTICLES), "--documents", str(DOCUMENTS),
        "--duration", "1", "--warm-up", "0", "--keep", str(kept), "--output", str(output),
    ]  # fmt: skip
    completed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stderr[-4000:]
    assert "targets (issue 16" in completed.stdout
    return json.loads(output.read_text(encoding="utf-8")), kept


def test_every_mode_and_page_is_measured_and_answered_200(finished):
    results, _kept = finished
    measured = {(row["mode"], row["page"], row["connections"]): row for row in results["rows"]}
    expected = {(mode, page, 16) for mode in bench.MODES for page in bench.PAGES} | {("dummy", "section", 1)}
    assert set(measured) == expected
    for key, row in measured.items():
        assert row["error"] is None, (key, row["error"])
        assert row["non_2xx"] == 0, key
        assert row["requests"] > 0 and row["requests_per_s"] > 0, key
        assert 0 < row["p50_ms"] <= row["p99_ms"], key
    # Every site's section and search, every article and document (fewer than URLS_PER_PAGE here).
    urls = {"section": SITES, "search": SITES, "article": ARTICLES, "document": DOCUMENTS}
    for page in bench.PAGES:
        frontend = measured[("frontend", page, 16)]
        assert frontend["cache_hits"] + frontend["cache_misses"] > 0
        assert measured[("nginx", page, 16)]["urls"] == 1
        assert measured[("fragment", page, 16)]["urls"] == urls[page]


def test_the_results_name_the_machine_parameters_and_targets(finished):
    results, _kept = finished
    assert {"machine", "parameters", "data", "rows", "targets", "change_visible", "served", "log_problems"} <= set(
        results
    )
    assert {"python", "cpu_count", "database_vendor", "load_average", "gunicorn", "varnish", "nginx"} <= set(
        results["machine"]
    )
    assert results["parameters"] | {"sites": SITES, "articles": ARTICLES, "documents": DOCUMENTS} == results[
        "parameters"
    ]
    assert [target["name"] for target in results["targets"]][0] == "section p50, DummyCache, 1 connection"
    assert len(results["targets"]) == 5
    assert all(target["met"] in (True, False, None) for target in results["targets"])
    assert "seconds" in results["change_visible"]


def test_the_loader_made_exactly_what_was_asked_and_wagtail_serves_it(finished):
    results, kept = finished
    assert results["data"]["reused"] is False
    assert results["data"]["counts"] == {
        "sites": SITES, "sections": SITES, "articles": ARTICLES, "articles_live": ARTICLES,
        "documents": DOCUMENTS, "publications_live": DOCUMENTS,
    }  # fmt: skip
    assert results["served"] == {"sections": SITES, "showing_newest": SITES, "problems": []}
    # Counted again from the file: the bulk rows are whole pages (both tables, under the sections) and live.
    with sqlite3.connect(kept / "bench.sqlite3") as database:
        (articles,) = database.execute(
            "SELECT count(*) FROM wagtailcore_page p JOIN news57_articlepage a ON a.page_ptr_id = p.id "
            "JOIN wagtailcore_page s ON p.path LIKE s.path || '____' AND s.depth = p.depth - 1 "
            "WHERE p.live AND p.slug LIKE 'tin-%' AND p.url_path = s.url_path || p.slug || '/'"
        ).fetchone()
        (numchild,) = database.execute(
            "SELECT sum(numchild) FROM wagtailcore_page WHERE url_path LIKE '/bench-pages-__/nghi-quyet-57/'"
        ).fetchone()
        (publications,) = database.execute(
            "SELECT count(*) FROM news57_publication p JOIN news57_directivedocument d ON d.id = p.document_id "
            "WHERE p.status = 'published' AND d.slug LIKE 'bench-pages-vb-%'"
        ).fetchone()
    assert articles == numchild == ARTICLES
    assert publications == DOCUMENTS


def test_nothing_the_bench_started_is_left_running(finished):
    results, _kept = finished
    assert set(results["ports"]) == {"gunicorn-dummy", "gunicorn-redis", "varnish", "nginx"}
    for name, port in results["ports"].items():
        with socket.socket() as probe:
            probe.settimeout(1)
            assert probe.connect_ex(("127.0.0.1", port)) != 0, f"{name} still listens on {port}"
