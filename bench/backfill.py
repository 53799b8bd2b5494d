"""Backfill cost: the backfill task carrying D documents a source already brought onto N sites, per batch size.

Run with `.venv/bin/python bench/backfill.py [--documents 5000] [--sites 200] [--batch-sizes 100,500,2000,8000]
[--traced-documents 500]`.

Without DATABASE_URL it migrates a fresh SQLite file in a temporary folder and
throws it away afterwards; with DATABASE_URL it uses that database and deletes
the rows it created. Each batch size runs the task function in this process
(`backfill_subscription(...)`, no broker) on the same documents and sites, after
the previous run's publications are deleted:

- a full run, timed (wall clock), with the process's peak RSS (Linux: reset
  before the run, so it is this run's) and getrusage's ru_maxrss;
- a run under tracemalloc for its peak of Python allocations, over the first
  --traced-documents documents only (a second source that brought just those):
  tracemalloc slows this code four- to fivefold.

Results are printed as a table and written as JSON to
bench/results/backfill-<database>.json. Nothing here asserts on timings, only
on the publications and the progress recorded.
"""

import argparse
import gc
import json
import resource
import secrets
import shutil
import sys
import time
import tracemalloc
from datetime import datetime, timedelta, timezone
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import machine_info, setup_django, write_json  # noqa: E402

RESULTS = ROOT / "bench" / "results"
DEFAULT_DOCUMENTS = 5000
DEFAULT_SITES = 200
DEFAULT_BATCH_SIZES = (100, 500, 2000, 8000)
DEFAULT_TRACED_DOCUMENTS = 500
MiB = 1024 * 1024
# The task hands over to a new task after this long; the bench runs it in one go.
NO_HAND_OVER = 10**9


class Fixture:
    """One province with `sites` child agencies, each with a site; a source that brought `documents` documents and
    one that brought the first `traced` of them; the province's subscription to each, covering every agency below
    (not its own site), policy publish.

    Everything goes in with bulk_create, without page trees or signals: the
    backfill reads only the Site, Agency, document and entry rows.
    """

    def __init__(self, documents, sites, traced=0):
        from django.db import transaction
        from django.utils import timezone as dj_timezone
        from wagtail.models import Page, Site

        from news57.models import Agency, DeadlineRule, DirectiveDocument, Source, SourceEntry, Subscription
        from news57.models.sources import key_hash

        self.token = secrets.token_hex(3)
        self.documents, self.sites, self.traced = documents, sites, min(traced, documents)
        root = Page.get_first_root_node()
        if root is None:
            raise RuntimeError("no Wagtail root page: migrate the database first")
        prefix = f"bench-backfill-{self.token}-"
        with transaction.atomic():
            self.province = Agency.objects.create(
                name=f"UBND tỉnh bench {self.token}", short_name=f"Tỉnh bench {self.token}",
                slug=f"{prefix}tinh", level="province", code_issuer="UBND",
            )  # fmt: skip
            Site.objects.bulk_create(
                [
                    Site(hostname=f"{prefix}{i}.bench.localhost", port=80, root_page_id=root.id, site_name=f"Bench {i}")
                    for i in range(sites)
                ]
            )
            # Not every backend returns primary keys from bulk_create: read them back.
            self.site_ids = list(
                Site.objects.filter(hostname__startswith=prefix, hostname__endswith=".bench.localhost")
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            Agency.objects.bulk_create(
                [
                    Agency(
                        name=f"UBND xã bench {self.token} {i}", short_name=f"Xã {i}", slug=f"{prefix}xa-{i}",
                        level="commune", parent=self.province, site_id=site_id,
                    )  # fmt: skip
                    for i, site_id in enumerate(self.site_ids)
                ]
            )
            self.rule = DeadlineRule.objects.create(name=f"Bench backfill {self.token} 24h", unit="hours", amount=24)
            self.sources = {
                name: Source.objects.create(
                    name=f"Bench backfill {self.token} {name}",
                    url=f"https://bench-{self.token}.example.vn/rss/{name}.rss",
                    default_issuer=self.province, level="province",
                )  # fmt: skip
                for name in ("full", "traced")
            }
            now = dj_timezone.now()
            # No code in the titles: a code could clash with a real document on a shared database.
            DirectiveDocument.objects.bulk_create(
                [
                    DirectiveDocument(
                        title=f"Bench backfill {self.token} #{i}: triển khai chuyển đổi số", issuer=self.province,
                        slug=f"{prefix}{i}", source_published_at=now - timedelta(days=1, minutes=i),
                    )  # fmt: skip
                    for i in range(documents)
                ],
                batch_size=1000,
            )
            document_ids = (
                DirectiveDocument.objects.filter(issuer=self.province).order_by("pk").values_list("pk", flat=True)
            )
            entries = []
            for i, document_id in enumerate(document_ids.iterator()):
                for name in ("full", "traced") if i < self.traced else ("full",):
                    guid = f"{prefix}{name}-{i}"
                    entries.append(
                        SourceEntry(
                            source=self.sources[name], guid=guid, guid_hash=key_hash(guid), kind="document",
                            document_id=document_id, title=guid, content_hash=key_hash(guid),
                            published_at=now - timedelta(days=1, minutes=i), first_seen_at=now,
                        )  # fmt: skip
                    )
            SourceEntry.objects.bulk_create(entries, batch_size=1000)
            # bulk_create: no post_save, so no task goes to a broker; the bench runs the task itself.
            Subscription.objects.bulk_create(
                [
                    Subscription(
                        source=source, agency=self.province, include_agency=False, include_below=True,
                        policy="publish", deadline_rule=self.rule, starts_at=now,
                    )  # fmt: skip
                    for source in self.sources.values()
                ]
            )
        self.subscriptions = {
            name: Subscription.objects.get(source=source) for name, source in self.sources.items()
        }

    def reset(self):
        """Back to before any backfill: no publications, progress as if just saved."""
        self._delete_publications()
        for subscription in self.subscriptions.values():
            subscription.queue_backfill()

    def _delete_publications(self):
        from django.db import connection

        from news57.models import Publication

        # Raw: the ORM's delete would load a million rows to look for cascades the bench never made.
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {Publication._meta.db_table} WHERE subscription_id IN (%s, %s)",  # noqa: S608
                [subscription.pk for subscription in self.subscriptions.values()],
            )

    def delete(self):
        """Remove every row this fixture created: publications, subscription, entries, documents, agencies, sites."""
        from django.db import transaction
        from wagtail.models import Site

        from news57.models import Agency, DeadlineRule, DirectiveDocument, Source, SourceEntry, Subscription

        with transaction.atomic():
            self._delete_publications()
            Subscription.objects.filter(pk__in=[sub.pk for sub in self.subscriptions.values()]).delete()
            SourceEntry.objects.filter(source__in=self.sources.values()).delete()
            Source.objects.filter(pk__in=[source.pk for source in self.sources.values()]).delete()
            DirectiveDocument.objects.filter(issuer=self.province).delete()
            Agency.objects.filter(parent=self.province).delete()
            self.province.delete()
            DeadlineRule.objects.filter(pk=self.rule.pk).delete()
            Site.objects.filter(pk__in=self.site_ids).delete()


# ---------------------------------------------------------------- measuring


def reset_peak_rss():
    """Linux: clear the process's peak RSS so the next reading is this run's; False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_rss_mib():
    """The process's peak RSS: VmHWM where Linux gives it (reset by reset_peak_rss), else ru_maxrss."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / MiB
    except OSError:
        pass
    return max_rss_mib()


def max_rss_mib():
    """getrusage's ru_maxrss (KiB on Linux), the peak since the process began."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MiB


def backfill_once(fixture, name, batch_size):
    """Run the task on one of the fixture's subscriptions from nothing; returns its seconds, checked."""
    from news57.models import Publication, Subscription
    from news57.models.subscriptions import BackfillState
    from news57.republishing.tasks import backfill_subscription

    fixture.reset()
    gc.collect()
    started = time.perf_counter()
    backfill_subscription(fixture.subscriptions[name].pk, batch_size=batch_size, seconds=NO_HAND_OVER)
    seconds = time.perf_counter() - started
    subscription = Subscription.objects.get(pk=fixture.subscriptions[name].pk)
    documents = fixture.documents if name == "full" else fixture.traced
    publications = Publication.objects.filter(subscription=subscription).count()
    assert publications == documents * fixture.sites, f"{publications} publications, not {documents * fixture.sites}"
    assert subscription.backfill_state == BackfillState.DONE, subscription.backfill_state
    assert subscription.backfill_done == subscription.backfill_total == documents
    return seconds, publications


def measure(fixture, batch_size):
    """The full run at this batch size (time, RSS) and the traced one (tracemalloc's peak)."""
    rss_reset = reset_peak_rss()
    seconds, publications = backfill_once(fixture, "full", batch_size)
    rss = peak_rss_mib()
    case = {
        "batch_size": batch_size,
        "batches": -(-fixture.documents // batch_size),
        "publications": publications,
        "seconds": round(seconds, 3),
        "publications_per_s": round(publications / seconds, 1),
        "peak_rss_mib": round(rss, 1),
        "peak_rss_is_this_run": rss_reset,
        "ru_maxrss_mib": round(max_rss_mib(), 1),
        "traced": None,
    }
    if fixture.traced:
        tracemalloc.start()
        traced_seconds, traced_publications = backfill_once(fixture, "traced", batch_size)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        case["traced"] = {
            "documents": fixture.traced,
            "batches": -(-fixture.traced // batch_size),
            "publications": traced_publications,
            "seconds": round(traced_seconds, 3),
            "tracemalloc_peak_mib": round(peak / MiB, 2),
        }
    return case


def run(
    documents=DEFAULT_DOCUMENTS,
    sites=DEFAULT_SITES,
    batch_sizes=DEFAULT_BATCH_SIZES,
    output=None,
    *,
    traced_documents=DEFAULT_TRACED_DOCUMENTS,
    quiet=False,
):
    """The whole benchmark against the configured (already migrated) database; returns the results dict.

    output: a path, None for bench/results/backfill-<database>.json, or False for no file.
    """
    from django.db import connection

    from news57.republishing.fanout import PUBLICATIONS_AT_ONCE

    built = time.perf_counter()
    fixture = Fixture(documents, sites, traced_documents)
    set_up_seconds = time.perf_counter() - built
    try:
        cases = [measure(fixture, batch_size) for batch_size in batch_sizes]
    finally:
        fixture.delete()
    results = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine_info(connection, wagtail=version("wagtail"), celery=version("celery")),
        "parameters": {
            "documents": documents,
            "sites": sites,
            "batch_sizes": list(batch_sizes),
            "traced_documents": fixture.traced,
            "publications_at_once": PUBLICATIONS_AT_ONCE,
        },
        "set_up_seconds": round(set_up_seconds, 2),
        "cases": cases,
    }
    if output is None:
        output = RESULTS / f"backfill-{connection.vendor}.json"
    if output:
        output = write_json(results, output)
    if not quiet:
        print(format_table(results))
        if output:
            print(f"\nJSON: {output}")
    return results


def table_rows(results):
    backend = results["machine"]["database_vendor"]
    rows = [("backend", "batch size", "publications", "seconds", "publications/s", "peak MiB", "peak RSS MiB")]
    for case in results["cases"]:
        traced = case["traced"]
        rows.append(
            (
                backend, f"{case['batch_size']:,}", f"{case['publications']:,}", f"{case['seconds']:.1f}",
                f"{case['publications_per_s']:,.0f}", f"{traced['tracemalloc_peak_mib']:.1f}" if traced else "-",
                f"{case['peak_rss_mib']:.0f}",
            )
        )  # fmt: skip
    return rows


def format_table(results):
    rows = table_rows(results)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    p, m = results["parameters"], results["machine"]
    load = "/".join(map(str, m.get("load_average", [])))
    lines[:0] = [
        f"news57 backfill: {p['documents']:,} documents onto {p['sites']:,} sites by the backfill task; "
        f"{m['database_vendor']}, Python {m['python']}, {m['cpu_count']} CPUs"
        + (f"; load average 1/5/15 min at the end {load}" if load else ""),
        "",
    ]
    lines += [
        "",
        f"peak MiB: tracemalloc's peak over a run of the first {p['traced_documents']:,} documents at that batch size;"
        " peak RSS: the full run's",
        f"fan_out gets about {p['publications_at_once']:,} publications at a time, whatever the batch;"
        f" set-up (bulk inserts, untimed): {results['set_up_seconds']:.1f} s",
    ]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=DEFAULT_DOCUMENTS, help="documents the source brought")
    parser.add_argument("--sites", type=int, default=DEFAULT_SITES, help="agency sites the subscription covers")
    parser.add_argument(
        "--batch-sizes", default=",".join(map(str, DEFAULT_BATCH_SIZES)), help="comma-separated documents per batch"
    )
    parser.add_argument(
        "--traced-documents", type=int, default=DEFAULT_TRACED_DOCUMENTS,
        help="documents of the tracemalloc run (default 500, 0 for none)",
    )  # fmt: skip
    parser.add_argument("--output", default=None, help="where the JSON goes (default bench/results/backfill-<db>.json)")
    args = parser.parse_args(argv)
    try:
        batch_sizes = [int(part.replace("_", "")) for part in args.batch_sizes.split(",") if part.strip()]
    except ValueError:
        parser.error("--batch-sizes takes integers separated by commas")
    if not batch_sizes or min(batch_sizes) < 1 or args.documents < 1 or args.sites < 1:
        parser.error("--documents, --sites and every batch size must be at least 1")
    if args.traced_documents < 0:
        parser.error("--traced-documents must be at least 0")
    temporary = setup_django()
    try:
        output = args.output if args.output != "" else False
        run(args.documents, args.sites, batch_sizes, output, traced_documents=args.traced_documents)
    finally:
        from django.db import connections

        connections.close_all()
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    main()
