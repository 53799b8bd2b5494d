"""What a page's address costs as sites are added: Wagtail's scan of every site's root path, against news57's.

Run with `make bench` or `.venv/bin/python bench/links.py [--sites 50,500,5000] [--links 2000] [--repeats 7]`.

Every link on a public page asks which sites the page belongs to
(`Page._get_relevant_site_root_paths`). Wagtail compares the page's path with
every site's root path; `news57.models.pages.BasePage` looks the path's own
prefixes up among the roots by path. Here the roots are synthetic, one home per
site as provisioning makes them, in Wagtail's order, and the pages are article
pages three levels down, spread over the sites, never saved: no database is
read. Both answers are compared for every page before anything is timed. The
figure is the median over the repeats of one pass over all the links, per link.
Results go to the terminal as a table and to JSON (bench/results/links.json).
Timings are informational: nothing here asserts on them.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from common import machine_info, write_json  # noqa: E402

DEFAULT_OUTPUT = ROOT / "bench" / "results" / "links.json"
DEFAULT_SITES = (50, 500, 5000)
# A section page draws about thirty links: what a reader's request pays for them.
LINKS_PER_PAGE = 30


def setup_django():
    # Nothing is read from a database: Django is set up for its models only.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def roots_of(sites):
    """Root paths of `sites` homes, ordered as Site.get_site_root_paths() orders them."""
    from wagtail.models.sites import SiteRootPath

    roots = [SiteRootPath(n, f"/home-{n:05d}/", f"http://site-{n:05d}.localhost", "vi") for n in range(sites)]
    return sorted(roots, key=lambda root: root.root_path, reverse=True)


def pages_over(sites, links):
    from news57.models import ArticlePage

    # With an id, as if read: a new page would ask the database for its content type.
    return [ArticlePage(id=n + 1, url_path=f"/home-{n % sites:05d}/nghi-quyet-57/tin-{n:05d}/") for n in range(links)]


def per_link_us(find, pages, request, repeats):
    passes = []
    for _ in range(repeats):
        start = time.perf_counter()
        for page in pages:
            find(page, request)
        passes.append((time.perf_counter() - start) / len(pages) * 1e6)
    return statistics.median(passes)


def measure(sites, links, repeats):
    from django.test import RequestFactory
    from wagtail.models import Page

    request = RequestFactory().get("/")
    request._wagtail_cached_site_root_paths = roots_of(sites)
    pages = pages_over(sites, links)
    ours = type(pages[0])._get_relevant_site_root_paths
    wagtails = Page._get_relevant_site_root_paths
    for page in pages:
        if ours(page, request) != wagtails(page, request):
            raise SystemExit(f"{page.url_path}: the two disagree at {sites} sites")
    row = {"sites": sites, "links": links, "repeats": repeats}
    row["wagtail_us"] = per_link_us(wagtails, pages, request, repeats)
    row["news57_us"] = per_link_us(ours, pages, request, repeats)
    row["ratio"] = row["wagtail_us"] / row["news57_us"]
    row["wagtail_page_ms"] = row["wagtail_us"] * LINKS_PER_PAGE / 1000
    row["news57_page_ms"] = row["news57_us"] * LINKS_PER_PAGE / 1000
    return row


def format_table(results):
    machine = results["machine"]
    lines = [
        f"news57 links: the sites a page belongs to, per link; {results['links']:,} links, median of "
        f"{results['repeats']} passes; Python {machine['python']}, {machine['cpu_count']} CPUs; "
        f"load average {'/'.join(str(load) for load in machine.get('load_average', []))}",
        "",
        f"{'sites':>6}  {'Wagtail µs':>10}  {'news57 µs':>9}  {'x faster':>8}  "
        f"{'Wagtail ms/page':>15}  {'news57 ms/page':>14}",
    ]
    for row in results["rows"]:
        lines.append(
            f"{row['sites']:>6,}  {row['wagtail_us']:>10.2f}  {row['news57_us']:>9.2f}  {row['ratio']:>8.1f}  "
            f"{row['wagtail_page_ms']:>15.3f}  {row['news57_page_ms']:>14.3f}"
        )
    lines.append(f"\nms/page: {LINKS_PER_PAGE} links, about what a section page draws.")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites", default=",".join(str(n) for n in DEFAULT_SITES), help="comma-separated")
    parser.add_argument("--links", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT))
    args = parser.parse_args(argv)
    setup_django()
    from django.db import connection

    sizes = [int(size) for size in args.sites.split(",") if size.strip()]
    results = {
        "machine": machine_info(connection),
        "links": args.links,
        "repeats": args.repeats,
        "links_per_page": LINKS_PER_PAGE,
        "rows": [measure(sites, args.links, args.repeats) for sites in sizes],
    }
    print(format_table(results))
    if args.output:
        print(f"\nJSON: {write_json(results, args.output)}")
    return results


if __name__ == "__main__":
    main()
