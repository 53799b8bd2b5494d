"""Smoke test of bench/links.py: at a few sizes, news57's answer for every page is Wagtail's, and the table
and JSON come out. Timings are never asserted: they depend on the machine."""

import json

import pytest

from bench_scripts import load

@pytest.fixture(scope="module")
def bench():
    return load("links")


def test_it_times_both_on_the_same_answers_and_writes_json(bench, tmp_path, capsys):
    output = tmp_path / "links.json"
    # Without the database (pytest-django refuses it here): the bench reads none.
    results = bench.main(["--sites", "3,40", "--links", "120", "--repeats", "2", "--output", str(output)])
    assert [row["sites"] for row in results["rows"]] == [3, 40]
    for row in results["rows"]:
        assert row["wagtail_us"] > 0 and row["news57_us"] > 0
        assert row["ratio"] == pytest.approx(row["wagtail_us"] / row["news57_us"])
    assert json.loads(output.read_text(encoding="utf-8"))["rows"][1]["links"] == 120
    assert "Wagtail µs" in capsys.readouterr().out


def test_pages_and_roots_are_spread_over_every_site(bench):
    roots, pages = bench.roots_of(7), bench.pages_over(7, 21)
    assert [root.root_path for root in roots] == sorted((root.root_path for root in roots), reverse=True)
    assert {page.url_path.split("/")[1] for page in pages} == {root.root_path.strip("/") for root in roots}
