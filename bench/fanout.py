"""Fan-out cost: one document onto N agency sites with `fan_out()`, and the cost of re-running it.

Run with `make bench` or `.venv/bin/python bench/fanout.py [--sites 100,1000,5000] [--repeats R] [--profile]`.

Without DATABASE_URL it migrates a fresh SQLite file in a temporary folder and
throws it away afterwards; with DATABASE_URL it uses that database and deletes
the rows it created. Results are printed as a table and written as JSON to
bench/results/fanout.json. Timings are informational: nothing here asserts on
them (only on the number of publications created).
"""

import argparse
import cProfile
import io
import json
import pstats
import secrets
import shutil
import sys
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import machine_info, percentile, setup_django, write_json  # noqa: E402

DEFAULT_OUTPUT = ROOT / "bench" / "results" / "fanout.json"
DEFAULT_SITES = (100, 1000, 5000)
# From the issue: one document onto 5,000 sites in under 2 s, SQLite, 2 cores.
TARGET_SITES = 5000
TARGET_SECONDS = 2.0


# ---------------------------------------------------------------- set-up


class Fixture:
    """One province with `sites` child agencies, each with a site, and one subscribed source per policy.

    Sites and agencies go in with bulk_create: real Wagtail page trees would
    take minutes at 5,000 and fan_out only needs the Site rows.
    """

    def __init__(self, sites):
        from wagtail.models import Page, Site

        from news57.models import Agency, DeadlineRule

        self.token = secrets.token_hex(3)
        self.sites = sites
        self.documents = 0
        self.sources = {}
        self.subscriptions = {}
        root = Page.get_first_root_node()
        if root is None:
            raise RuntimeError("no Wagtail root page: migrate the database first")
        self.province = Agency.objects.create(
            name=f"UBND tỉnh bench {self.token}", short_name=f"Tỉnh bench {self.token}",
            slug=f"bench-{self.token}-tinh", level="province", code_issuer="UBND",
        )  # fmt: skip
        prefix = f"bench-{self.token}-"
        Site.objects.bulk_create(
            [
                Site(hostname=f"{prefix}{i}.bench.localhost", port=80, root_page_id=root.id, site_name=f"Bench {i}")
                for i in range(sites)
            ]
        )
        # Not every backend returns primary keys from bulk_create: read them back.
        site_ids = list(
            Site.objects.filter(hostname__startswith=prefix, hostname__endswith=".bench.localhost")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        self.site_ids = site_ids
        Agency.objects.bulk_create(
            [
                Agency(
                    name=f"UBND xã bench {self.token} {i}", short_name=f"Xã {i}", slug=f"{prefix}xa-{i}",
                    level="commune", parent=self.province, site_id=site_id,
                )  # fmt: skip
                for i, site_id in enumerate(site_ids)
            ]
        )
        self.rule = DeadlineRule.objects.create(name=f"Bench {self.token} 24h", unit="hours", amount=24)

    def subscribe(self, policy):
        """A source and the province's subscription to it (include_below), created once per policy."""
        from news57.models import Source, Subscription

        if policy not in self.sources:
            source = Source.objects.create(
                name=f"Bench fan-out {self.token} {policy}",
                url=f"https://bench-{self.token}.example.vn/rss/{policy}.rss",
                default_issuer=self.province,
                level="province",
            )
            # Its post_save backfill finds nothing yet: the source has brought no document.
            self.subscriptions[policy] = Subscription.objects.create(
                source=source, agency=self.province, include_agency=False, include_below=True,
                policy=policy, deadline_rule=self.rule,
            )  # fmt: skip
            self.sources[policy] = source
        return self.sources[policy]

    def new_document(self, policy):
        """A document never seen before, carried by the policy's source through one SourceEntry."""
        from django.utils import timezone as dj_timezone

        from news57.models import DirectiveDocument, SourceEntry
        from news57.models.sources import key_hash

        source = self.subscribe(policy)
        self.documents += 1
        now = dj_timezone.now()
        # No code in the title: a code could clash with a real document on a shared database.
        title = f"Bench fan-out {self.token} #{self.documents}: triển khai chuyển đổi số"
        document = DirectiveDocument.objects.create(title=title, issuer=self.province, source_published_at=now)
        guid = f"bench-fanout-{self.token}-{self.documents}"
        SourceEntry.objects.create(
            source=source, guid=guid, guid_hash=key_hash(guid), kind="document", document=document,
            title=title, content_hash=key_hash(title), published_at=now, first_seen_at=now,
        )  # fmt: skip
        return document

    def delete(self):
        """Remove every row this fixture created: publications, documents, sources, agencies, sites."""
        from django.db import transaction
        from wagtail.models import Site

        from news57.models import Agency, DeadlineRule, DirectiveDocument, Publication, Source, Subscription

        with transaction.atomic():
            documents = DirectiveDocument.objects.filter(issuer=self.province)
            Publication.objects.filter(document__in=documents).delete()
            Subscription.objects.filter(pk__in=[sub.pk for sub in self.subscriptions.values()]).delete()
            Source.objects.filter(pk__in=[source.pk for source in self.sources.values()]).delete()
            documents.delete()
            Agency.objects.filter(parent=self.province).delete()
            self.province.delete()
            DeadlineRule.objects.filter(pk=self.rule.pk).delete()
            Site.objects.filter(pk__in=self.site_ids).delete()


# ---------------------------------------------------------------- measuring


def timed_fan_out(document_id):
    from news57.republishing.fanout import fan_out

    started = time.perf_counter()
    created = fan_out([document_id])
    return time.perf_counter() - started, created


def measure(fixture, policy, repeats):
    """Per repeat: a fresh document fanned out (must create one publication a site), then re-run (must create 0)."""
    # Warm-up: imports and first-query costs stay out of the figures.
    seconds, created = timed_fan_out(fixture.new_document(policy).pk)
    assert created == fixture.sites, (created, fixture.sites)
    first, rerun = [], []
    for _ in range(repeats):
        document = fixture.new_document(policy)
        seconds, created = timed_fan_out(document.pk)
        assert created == fixture.sites, f"fan_out created {created} publications for {fixture.sites} sites"
        first.append(seconds)
        seconds, created = timed_fan_out(document.pk)
        assert created == 0, f"re-running fan_out created {created} publications"
        rerun.append(seconds)
    return first, rerun


def summarise(seconds, sites):
    p50, p95 = percentile(seconds, 50), percentile(seconds, 95)
    return {
        "seconds": [round(s, 6) for s in seconds],
        "p50_s": round(p50, 6),
        "p95_s": round(p95, 6),
        "publications_per_s_p50": round(sites / p50, 1),
        "ms_per_1000_sites_p50": round(1000 * p50 * 1000 / sites, 3),
    }


def run(sites=DEFAULT_SITES, repeats=5, output=DEFAULT_OUTPUT, *, quiet=False, profile=False, keep_rows=False):
    """The whole benchmark against the configured (already migrated) database; returns the results dict.

    The queue policy is measured at the largest size only. Each size gets its
    own fixture, deleted before the next, so fan_out's read of the agency tree
    sees one size at a time. keep_rows: leave the rows (a test's rollback removes them).
    """
    from django.db import connection

    from news57.models import Publication

    sizes = sorted(set(sites))
    largest = sizes[-1]
    cases = []
    for n in sizes:
        fixture = Fixture(n)
        try:
            policies = ["publish", "queue"] if n == largest else ["publish"]
            for policy in policies:
                first, rerun = measure(fixture, policy, repeats)
                statuses = Counter(
                    Publication.objects.filter(subscription=fixture.subscriptions[policy]).values_list(
                        "status", flat=True
                    )
                )
                cases.append(
                    {
                        "sites": n,
                        "policy": policy,
                        "fan_out": summarise(first, n),
                        # Creates nothing, so only its time means something.
                        "rerun": {k: v for k, v in summarise(rerun, n).items() if k in ("seconds", "p50_s", "p95_s")}
                        | {"created": 0},
                        # Warm-up document included: repeats + 1 documents, one publication a site each.
                        "publications": dict(statuses),
                    }
                )
            if profile and n == largest:
                profile_fan_out(fixture)
        finally:
            if not keep_rows:
                fixture.delete()

    base = next(case for case in cases if case["policy"] == "publish")["fan_out"]["p50_s"]
    for case in cases:
        case["ratio_to_smallest_p50"] = round(case["fan_out"]["p50_s"] / base, 2)
    target_case = next((c for c in cases if c["sites"] == TARGET_SITES and c["policy"] == "publish"), None)
    target = {
        "sites": TARGET_SITES,
        "seconds": TARGET_SECONDS,
        "measured": target_case is not None,
        "met": target_case["fan_out"]["p50_s"] < TARGET_SECONDS if target_case else None,
    }
    results = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine_info(connection, wagtail=version("wagtail")),
        "parameters": {"sites": sizes, "repeats": repeats, "queue_sites": largest, "smallest": sizes[0]},
        "cases": cases,
        "target": target,
    }
    if output:
        output = write_json(results, output)
    if not quiet:
        print(format_table(results))
        if output:
            print(f"\nJSON: {output}")
    return results


def format_table(results):
    smallest = results["parameters"]["smallest"]
    header = (
        "sites", "policy", "p50 ms", "p95 ms", "pubs/s p50", "ms/1000 sites",
        f"x {smallest}-site", "re-run p50 ms", "re-run p95 ms",
    )  # fmt: skip
    table = [header]
    for case in results["cases"]:
        f, r = case["fan_out"], case["rerun"]
        table.append(
            (
                f"{case['sites']:,}", case["policy"], f"{1000 * f['p50_s']:.1f}", f"{1000 * f['p95_s']:.1f}",
                f"{f['publications_per_s_p50']:,.0f}", f"{f['ms_per_1000_sites_p50']:.1f}",
                f"{case['ratio_to_smallest_p50']:.2f}x", f"{1000 * r['p50_s']:.1f}", f"{1000 * r['p95_s']:.1f}",
            )
        )  # fmt: skip
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = []
    for n, row in enumerate(table):
        cells = [cell.ljust(widths[i]) if i == 1 else cell.rjust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    p, m, target = results["parameters"], results["machine"], results["target"]
    load = "/".join(map(str, m.get("load_average", [])))
    lines[:0] = [
        f"news57 fan-out: one document onto N sites, {p['repeats']} repeats; {m['database_vendor']}, "
        f"Python {m['python']}, {m['cpu_count']} CPUs" + (f"; load average 1/5/15 min at the end {load}" if load else ""),
        "",
    ]
    if target["measured"]:
        verdict = "met" if target["met"] else "NOT met"
    else:
        verdict = "not measured"
    lines += [
        "",
        "re-run: fan_out again on the same document, which creates 0 publications (checked every repeat)",
        f"target {target['sites']:,} sites in under {target['seconds']:.0f} s (publish, p50): {verdict}",
    ]
    return "\n".join(lines)


def profile_fan_out(fixture, top=25):
    """cProfile and the SQL of one fan_out call and one re-run at the fixture's size, printed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from news57.republishing.fanout import fan_out

    document = fixture.new_document("publish")
    for label in ("first run", "re-run"):
        profiler = cProfile.Profile()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            profiler.enable()
            created = fan_out([document.pk])
            profiler.disable()
            seconds = time.perf_counter() - started
        print(f"\n--- profile of fan_out ({label}), {fixture.sites} sites: {seconds:.3f} s, {created} created")
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative").print_stats(top)
        print(out.getvalue())
        kinds, timing = Counter(), Counter()
        for query in queries.captured_queries:
            key = " ".join(query["sql"].split()[:4])[:80]
            kinds[key] += 1
            timing[key] += float(query["time"])
        print(f"--- {len(queries.captured_queries)} queries, {sum(timing.values()):.3f} s in the database")
        for key, count in kinds.most_common(10):
            print(f"{count:6d}  {timing[key]:8.3f} s  {key}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sites", default=",".join(map(str, DEFAULT_SITES)), help="comma-separated site counts (default 100,1000,5000)"
    )
    parser.add_argument("--repeats", type=int, default=5, help="repeats per size (default 5)")
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT), help="where the JSON goes ('' for nowhere)")
    parser.add_argument("--profile", action="store_true", help="also profile one fan_out at the largest size")
    args = parser.parse_args(argv)
    try:
        sites = [int(part.replace("_", "")) for part in args.sites.split(",") if part.strip()]
    except ValueError:
        parser.error("--sites takes integers separated by commas")
    if not sites or min(sites) < 1 or args.repeats < 1:
        parser.error("--sites and --repeats must be at least 1")
    temporary = setup_django()
    try:
        run(sites, args.repeats, args.output or None, profile=args.profile)
    finally:
        from django.db import connections

        connections.close_all()
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    main()
