"""Import throughput of the feed pipeline (parse → clean → store), bleach against nh3.

Run with `make bench` or `.venv/bin/python bench/import_throughput.py [--entries N] [--repeats R]`.

Without DATABASE_URL it migrates a fresh SQLite file in a temporary folder and
throws it away afterwards; with DATABASE_URL it uses that database and deletes
the rows it created. Results are printed as a table and written as JSON to
bench/results/import_throughput.json. Timings are informational: nothing here
asserts on them.
"""

import argparse
import cProfile
import html
import io
import json
import os
import pstats
import random
import re
import secrets
import shutil
import sys
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import machine_info, percentile, setup_django, write_json  # noqa: E402

DEFAULT_OUTPUT = ROOT / "bench" / "results" / "import_throughput.json"
TARGET_ENTRIES_PER_SECOND = 500  # from the issue: end to end, SQLite, one worker, 2 cores
FORBIDDEN = ("<script", "javascript:", "onerror")
VIETNAM = timezone(timedelta(hours=7))

PROVINCE = "Lâm Đồng"
TOPICS = [
    "chuyển đổi số",
    "phát triển khoa học, công nghệ và đổi mới sáng tạo",
    "xây dựng chính quyền số",
    "phát triển kinh tế số và xã hội số",
    "đào tạo nguồn nhân lực số",
    "bảo đảm an toàn thông tin mạng",
    "triển khai Nghị quyết số 57-NQ/TW của Bộ Chính trị",
    "phát triển hạ tầng số",
]
DOC_KINDS = [
    ("Quyết định", "QĐ-UBND"),
    ("Kế hoạch", "KH-UBND"),
    ("Chỉ thị", "CT-UBND"),
    ("Công văn", "UBND-KGVX"),
    ("Quyết định", "QĐ-TTg"),
    ("Thông báo", "TB-SKHCN"),
]
NEWS_TITLES = [
    "Hội nghị trực tuyến về {topic} tại tỉnh {province}",
    "Tỉnh {province} đẩy mạnh {topic} trong năm 2025",
    "Sơ kết 6 tháng thực hiện {topic}",
    "Tập huấn kỹ năng cho cán bộ cấp xã về {topic}",
    "Ra mắt Tổ công nghệ số cộng đồng phục vụ {topic}",
]
SENTENCES = [
    "Ủy ban nhân dân tỉnh yêu cầu các sở, ban, ngành và địa phương quán triệt, triển khai thực hiện nghiêm túc.",
    "Mục tiêu đến năm 2030, 100% hồ sơ thủ tục hành chính được tiếp nhận và giải quyết trên môi trường số.",
    "Giao Sở Khoa học và Công nghệ chủ trì, phối hợp với các đơn vị liên quan theo dõi, đôn đốc, báo cáo kết quả.",
    "Kinh phí thực hiện được bố trí từ nguồn ngân sách nhà nước và các nguồn vốn hợp pháp khác theo quy định.",
    "Người đứng đầu cơ quan, đơn vị chịu trách nhiệm trước Chủ tịch Ủy ban nhân dân tỉnh về kết quả thực hiện.",
    "Đẩy mạnh tuyên truyền, nâng cao nhận thức của cán bộ, công chức, viên chức và Nhân dân về vai trò của dữ liệu.",
    "Trong quá trình triển khai, nếu có khó khăn, vướng mắc, các đơn vị kịp thời phản ánh để được hướng dẫn.",
]
# What a hostile or careless publisher leaves in a body; every sanitizer must neutralise all of it.
HOSTILE = [
    '<script>alert("x")</script>',
    '<img src="https://cdn.example.vn/a.jpg" onerror="alert(1)">',
    '<a href="javascript:alert(1)">Xem chi tiết</a>',
    '<a href="JaVaScRiPt:alert(2)">Tải về</a>',
    '<p onclick="steal()">Đoạn có thuộc tính sự kiện.</p>',
    '<iframe src="https://tracker.example.com/x"></iframe>',
    "<style>body{display:none}</style>",
    '<svg onload="alert(3)"><circle r="1"></circle></svg>',
    '<form action="https://evil.example.com"><input name="q"><button>Gửi</button></form>',
]


# ---------------------------------------------------------------- set-up


class Fixture:
    """The agencies and sources one run creates, so it can delete exactly those afterwards."""

    def __init__(self, shared):
        from news57.models import Agency

        self.token = secrets.token_hex(3)
        # On a shared database our names must not match real agencies, or the
        # issuer lookup would attach bench documents to them.
        suffix = f" (bench {self.token})" if shared else ""
        slug = f"bench-{self.token}-" if shared else ""
        self.central = Agency.objects.create(
            name="Thủ tướng Chính phủ" + suffix, short_name="Thủ tướng" + suffix,
            slug=slug + "thu-tuong", level="central", code_issuer="TTg",
        )  # fmt: skip
        self.government = Agency.objects.create(
            name="Chính phủ" + suffix, short_name="Chính phủ" + suffix,
            slug=slug + "chinh-phu", level="central", code_issuer="CP",
        )  # fmt: skip
        self.province = Agency.objects.create(
            name=f"UBND tỉnh {PROVINCE}" + suffix, short_name=f"UBND tỉnh {PROVINCE}" + suffix,
            slug=slug + "lam-dong", level="province", code_issuer="UBND",
        )  # fmt: skip
        self.department = Agency.objects.create(
            name=f"Sở Khoa học và Công nghệ tỉnh {PROVINCE}" + suffix, short_name="Sở KH&CN" + suffix,
            slug=slug + "so-khcn-lam-dong", level="department", code_issuer="SKHCN", parent=self.province,
        )  # fmt: skip
        self.agencies = [self.central, self.government, self.province, self.department]
        # Shared by every Runner of this fixture, so no two feeds reuse a guid or a document number.
        self.variants = 0
        self.numbers = 1
        self.authors = [self.province.name, self.department.name, "Ban Biên tập Cổng thông tin", ""]
        self.sources = []

    def new_source(self):
        from news57.models import Source

        source = Source.objects.create(
            name=f"Bench {self.token} #{len(self.sources) + 1}",
            url=f"https://bench-{self.token}.example.vn/rss/{len(self.sources) + 1}.rss",
            default_issuer=self.province,
            level="province",
            carries="detect",
        )
        self.sources.append(source)
        return source

    def delete(self):
        """Remove every row this run created, the documents' revisions included."""
        from django.contrib.contenttypes.models import ContentType
        from django.db import transaction
        from wagtail.models import Revision

        from news57.models import DirectiveDocument, Source

        with transaction.atomic():
            documents = DirectiveDocument.objects.filter(issuer__in=self.agencies)
            ids = [str(pk) for pk in documents.values_list("pk", flat=True)]
            content_type = ContentType.objects.get_for_model(DirectiveDocument)
            documents.update(latest_revision=None)
            Revision.objects.filter(content_type=content_type, object_id__in=ids).delete()
            Source.objects.filter(pk__in=[source.pk for source in self.sources]).delete()
            documents.delete()
            for agency in reversed(self.agencies):
                agency.delete()


# ---------------------------------------------------------------- the feed


def make_feed(entries, variant=0, authors=("",), seed=57, first_number=None):
    """A realistic RSS 2.0 body of `entries` items as bytes.

    The content depends on `seed` only; `variant` changes guids and links and
    `first_number` the document numbers, so a new pair gives documents new to
    the database that cost the same to process.
    """
    rng = random.Random(seed)
    if first_number is None:
        first_number = variant * entries + 1
    start = datetime(2025, 9, 30, 17, 0, tzinfo=VIETNAM)
    items = []
    for i in range(entries):
        number = first_number + i
        moment = start - timedelta(minutes=37 * i)
        topic = rng.choice(TOPICS)
        if rng.random() < 0.2:
            title = rng.choice(NEWS_TITLES).format(topic=topic, province=PROVINCE)
            pdf = None
        else:
            kind, suffix = rng.choice(DOC_KINDS)
            issued = moment - timedelta(days=rng.randint(0, 20))
            issuer = "Thủ tướng Chính phủ" if suffix.endswith("TTg") else f"UBND tỉnh {PROVINCE}"
            title = f"{kind} số {number}/{suffix} ngày {issued:%d/%m/%Y} của {issuer} về {topic}"
            pdf = f"https://stttt.example.vn/uploads/2025/{number}-{suffix.lower()}.pdf" if rng.random() < 0.3 else None
        link = f"https://stttt.example.vn/tin-tuc/bai-viet-{variant}-{i}.html"
        if rng.random() < 0.7:
            date = format_datetime(moment)  # RFC 822 with +0700
        elif rng.random() < 0.5:
            date = f"{moment:%d/%m/%Y %H:%M}"
        else:
            date = f"Thứ bảy, {moment:%d/%m/%Y - %H:%M}"
        body = _description(rng, title, i)
        # Most portals wrap HTML in CDATA; some escape it instead.
        description = f"<![CDATA[{body}]]>" if rng.random() < 0.8 else html.escape(body, quote=False)
        author = rng.choice(authors) if rng.random() < 0.5 else ""
        parts = [
            "<item>",
            f"<title>{html.escape(title, quote=False)}</title>",
            f"<link>{link}</link>",
            f'<guid isPermaLink="false">bench-{variant}-{i}</guid>',
            f"<pubDate>{date}</pubDate>",
            f"<author>{html.escape(author, quote=False)}</author>" if author else "",
            f"<description>{description}</description>",
            f'<enclosure url="{pdf}" type="application/pdf" length="{rng.randint(50_000, 900_000)}"/>' if pdf else "",
            "</item>",
        ]
        items.append("".join(parts))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        "<title>Sở Khoa học và Công nghệ tỉnh Lâm Đồng</title><link>https://stttt.example.vn/</link>"
        "<description>Tin tức, văn bản chỉ đạo</description><language>vi</language>"
        + "\n".join(items)
        + "</channel></rss>"
    ).encode("utf-8")


def _description(rng, title, i):
    """About 1–2 KB of the HTML portals actually publish, hostile bits included."""
    paragraphs = [" ".join(rng.sample(SENTENCES, rng.randint(1, 3))) for _ in range(rng.randint(1, 3))]
    out = [f"<p><strong>{html.escape(title)}</strong></p>"]
    out.append(f'<div class="noi-dung"><p style="text-align:justify">{paragraphs[0]}</p>')
    tasks = "".join(f"<li>{s}</li>" for s in rng.sample(SENTENCES, rng.randint(2, 3)))
    out.append(f"<h3>Nhiệm vụ trọng tâm</h3><ul>{tasks}</ul>")
    for paragraph in paragraphs[1:]:
        out.append(f"<p>{paragraph} <span>Xem thêm <a href=\"/van-ban/{i}.html\">văn bản gốc</a>.</span></p>")
    if rng.random() < 0.6:
        out.append(
            "<table border=\"1\"><thead><tr><th scope=\"col\">STT</th><th>Nhiệm vụ</th><th>Thời hạn</th></tr></thead>"
            "<tbody><tr><td>1</td><td>Rà soát hạ tầng số</td><td>Quý IV/2025</td></tr>"
            "<tr><td>2</td><td colspan=\"2\">Xây dựng cơ sở dữ liệu dùng chung</td></tr></tbody></table>"
        )
    out.append(f'<p>Nguồn: <a href="https://chinhphu.vn/bai-{i}" target="_blank">Cổng TTĐT Chính phủ</a></p></div>')
    out.extend(rng.sample(HOSTILE, rng.randint(1, 3)))
    if rng.random() < 0.3:
        out.append('<h1>Tin liên quan</h1><p><img src="/anh.jpg" alt=""><em>Ảnh minh họa</em></p><!-- tracking -->')
    return "".join(out)


# ---------------------------------------------------------------- the nh3 variant of clean()


def _nh3_policy():
    """clean()'s policy in nh3's terms, from the module's own constants so the two stay in step."""
    from news57.syndication import sanitize as policy

    return {
        "tags": set(policy.ALLOWED_TAGS),
        "clean_content_tags": set(policy.DROPPED_WITH_CONTENT),
        "attributes": {tag: set(names) for tag, names in policy.ALLOWED_ATTRIBUTES.items()},
        "url_schemes": set(policy.ALLOWED_PROTOCOLS),
        "link_rel": "nofollow noopener",
        "strip_comments": True,
    }


_NH3 = None
# nh3 cannot rename elements or add line breaks: a cheap textual pre-pass does it.
# It is safe because nh3 still sanitises whatever the pass produces.
_RENAME = re.compile(r"<(/?)\s*h([156])\b", re.IGNORECASE)
_RENAMED = {"1": "h2", "5": "h4", "6": "h4"}
_UNWRAPPED_BLOCK = None


def nh3_clean(html_text, base_url=""):
    """clean() with nh3: same tags, attributes, schemes, rel and dropped subtrees.

    Known differences: nh3 adds rel to every <a>, also one whose href it
    removed (bleach's variant: http(s) links only), and drops a
    protocol-relative href when there is no base.
    """
    global _NH3, _UNWRAPPED_BLOCK
    import nh3

    from news57.syndication import sanitize as policy
    from news57.text import nfc

    if not html_text:
        return ""
    if _NH3 is None:
        _NH3 = _nh3_policy()
        blocks = sorted(policy.BLOCK_TAGS - policy.ALLOWED_TAGS - set(policy.RENAMED))
        _UNWRAPPED_BLOCK = re.compile(rf"(</?(?:{'|'.join(blocks)})\b[^>]*>)", re.IGNORECASE)
    text = _RENAME.sub(lambda m: f"<{m.group(1)}{_RENAMED[m.group(2)]}", str(html_text))
    # bleach's variant puts a line break after each unwrapped block tag, open or close.
    text = _UNWRAPPED_BLOCK.sub("\\1\n", text)
    # Relative links point off our site once absolute; without a base they would point into it.
    relative = ("rewrite_with_base", base_url) if base_url else "deny"
    return nfc(nh3.clean(text, url_relative=relative, **_NH3))


def bleach_clean(html_text, base_url=""):
    from news57.syndication.sanitize import clean

    return clean(html_text, base_url)


SANITIZERS = {"bleach": bleach_clean, "nh3": nh3_clean}


# ---------------------------------------------------------------- measuring


def summarise(seconds, entries):
    """Per-repeat wall times of a stage over `entries` as p50/p95 figures."""
    p50, p95 = percentile(seconds, 50), percentile(seconds, 95)
    return {
        "seconds": [round(s, 6) for s in seconds],
        "p50_s": round(p50, 6),
        "p95_s": round(p95, 6),
        "entries_per_s_p50": round(entries / p50, 1),
        "entries_per_s_p95": round(entries / p95, 1),  # the slow end: p95 time
        "ms_per_entry_p50": round(1000 * p50 / entries, 4),
        "ms_per_entry_p95": round(1000 * p95 / entries, 4),
    }


def bench_parse(body, repeats):
    from news57.syndication.parse import parse

    seconds, entries = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        entries = parse(body, "https://stttt.example.vn/rss")
        seconds.append(time.perf_counter() - started)
    return entries, seconds


def bench_clean(entries, repeats):
    """Both sanitizers over all entries, interleaved so drift hits both alike.

    Returns ({name: [seconds per repeat]}, {name: [seconds per entry call]}, {name: [outputs]}).
    """
    totals = {name: [] for name in SANITIZERS}
    per_entry = {name: [] for name in SANITIZERS}
    outputs = {}
    for _ in range(repeats):
        for name, cleaner in SANITIZERS.items():
            results, calls = [], per_entry[name]
            started = time.perf_counter()
            for entry in entries:
                t0 = time.perf_counter()
                results.append(cleaner(entry.summary_html, entry.link))
                calls.append(time.perf_counter() - t0)
            totals[name].append(time.perf_counter() - started)
            outputs[name] = results
    return totals, per_entry, outputs


def safety(entries, outputs):
    """Forbidden strings in each sanitizer's outputs, and how many outputs differ textually."""
    unsafe = {
        name: sum(1 for out in results if any(bad in out.lower() for bad in FORBIDDEN))
        for name, results in outputs.items()
    }
    differing = [i for i, (a, b) in enumerate(zip(outputs["bleach"], outputs["nh3"])) if a != b]
    example = None
    if differing:
        i = differing[0]
        example = {"bleach": outputs["bleach"][i][:600], "nh3": outputs["nh3"][i][:600]}
    return {"entries": len(entries), "unsafe_outputs": unsafe, "differing_outputs": len(differing), "example": example}


class Runner:
    """Store-stage measurements: each call gets new documents and a fresh Source."""

    def __init__(self, fixture, entries):
        self.fixture = fixture
        self.entries = entries
        self.stored = Counter()

    def next_body(self):
        fixture = self.fixture
        fixture.variants += 1
        first, fixture.numbers = fixture.numbers, fixture.numbers + self.entries
        return make_feed(self.entries, fixture.variants, fixture.authors, first_number=first)

    def store_once(self, cleaner, with_parse=False, precleaned=False):
        """Seconds for one (parse +) store in a transaction; parsing is timed only with_parse.

        precleaned: `cleaner` runs untimed first and store() gets a lookup of
        its outputs, so the figure is store's own cost.
        """
        from django.db import transaction

        from news57.syndication.parse import parse
        from news57.syndication.store import store

        body = self.next_body()
        source = self.fixture.new_source()
        entries = None if with_parse else parse(body, source.url)
        if precleaned:
            keys = [(entry.summary_html, entry.link or source.url) for entry in entries]
            done = {key: cleaner(*key) for key in keys}
            cleaner = lambda html_text, base_url="": done[(html_text, base_url)]  # noqa: E731
        started = time.perf_counter()
        if with_parse:
            entries = parse(body, source.url)
        with transaction.atomic():
            stored = store(source, entries, cleaner=cleaner)
        elapsed = time.perf_counter() - started
        self.stored["new_entries"] += stored.new_entries
        self.stored["created_documents"] += len(stored.created_documents)
        self.stored["news"] += stored.news
        return elapsed


def run(entries=1000, repeats=5, output=DEFAULT_OUTPUT, *, shared=False, quiet=False, keep_rows=False, profile=False):
    """The whole benchmark against the configured (already migrated) database; returns the results dict.

    shared: the database holds other data, so the bench's agencies get names of their own.
    keep_rows: leave the created rows in place (a test's rollback removes them).
    """
    from django.db import connection

    from news57.models import SourceEntry

    fixture = Fixture(shared=shared)
    try:
        body = make_feed(entries, 0, fixture.authors)
        runner = Runner(fixture, entries)
        # Warm-up: imports, ContentType cache, first-query costs stay out of the figures.
        warm = Runner(fixture, min(entries, 20))
        for cleaner in SANITIZERS.values():
            warm.store_once(cleaner)

        parsed, parse_seconds = bench_parse(body, repeats)
        clean_totals, clean_calls, outputs = bench_clean(parsed, repeats)
        checks = safety(parsed, outputs)

        store_seconds = {"pre-cleaned": [], "bleach": [], "nh3": []}
        e2e_seconds = {"bleach": [], "nh3": []}
        for _ in range(repeats):
            store_seconds["pre-cleaned"].append(runner.store_once(bleach_clean, precleaned=True))
            for name, cleaner in SANITIZERS.items():
                store_seconds[name].append(runner.store_once(cleaner))
                e2e_seconds[name].append(runner.store_once(cleaner, with_parse=True))
        bench_sources = [source.pk for source in fixture.sources]
        rows = SourceEntry.objects.filter(source__in=bench_sources).count()

        n = len(parsed)
        stages = {
            "parse": summarise(parse_seconds, n),
            "clean_bleach": summarise(clean_totals["bleach"], n),
            "clean_nh3": summarise(clean_totals["nh3"], n),
            "store_precleaned": summarise(store_seconds["pre-cleaned"], n),
            "store_bleach": summarise(store_seconds["bleach"], n),
            "store_nh3": summarise(store_seconds["nh3"], n),
            "end_to_end_bleach": summarise(e2e_seconds["bleach"], n),
            "end_to_end_nh3": summarise(e2e_seconds["nh3"], n),
        }
        ratios = {
            stage: round(stages[f"{stage}_bleach"]["p50_s"] / stages[f"{stage}_nh3"]["p50_s"], 2)
            for stage in ("clean", "store", "end_to_end")
        }
        per_entry = {
            name: {
                f"p{q}_ms": round(1000 * percentile(calls, q), 4) for q in (50, 95, 99)
            } | {"samples": len(calls)}
            for name, calls in clean_calls.items()
        }
        target = {
            "entries_per_s": TARGET_ENTRIES_PER_SECOND,
            "met_bleach": stages["end_to_end_bleach"]["entries_per_s_p50"] >= TARGET_ENTRIES_PER_SECOND,
            "met_nh3": stages["end_to_end_nh3"]["entries_per_s_p50"] >= TARGET_ENTRIES_PER_SECOND,
        }
        results = {
            "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "machine": machine_info(connection, bleach=version("bleach"), nh3=version("nh3")),
            "parameters": {"entries": n, "repeats": repeats, "feed_bytes": len(body), "sanitizers": list(SANITIZERS)},
            "stages": stages,
            "nh3_over_bleach_throughput": ratios,
            "clean_per_entry": per_entry,
            "safety": checks,
            "target": target,
            "stored": dict(runner.stored) | {"source_entry_rows": rows},
        }
        if output:
            output = write_json(results, output)
        if not quiet:
            print(format_table(results))
            if output:
                print(f"\nJSON: {output}")
        if profile:
            profile_store(runner)
        return results
    finally:
        if not keep_rows:
            fixture.delete()


def format_table(results):
    stages = results["stages"]
    ratios = results["nh3_over_bleach_throughput"]
    rows = [
        ("parse (whole feed)", "-", "parse", None),
        ("clean (all entries)", "bleach", "clean_bleach", None),
        ("clean (all entries)", "nh3", "clean_nh3", ratios["clean"]),
        ("store, pre-cleaned (DB only)", "-", "store_precleaned", None),
        ("store incl. clean", "bleach", "store_bleach", None),
        ("store incl. clean", "nh3", "store_nh3", ratios["store"]),
        ("parse + clean + store", "bleach", "end_to_end_bleach", None),
        ("parse + clean + store", "nh3", "end_to_end_nh3", ratios["end_to_end"]),
    ]
    header = ("stage", "sanitizer", "p50 ms", "p95 ms", "entries/s p50", "ms/entry p50", "ms/entry p95", "nh3/bleach")
    table = [header]
    for label, sanitizer, key, ratio in rows:
        s = stages[key]
        table.append(
            (
                label, sanitizer, f"{1000 * s['p50_s']:.1f}", f"{1000 * s['p95_s']:.1f}",
                f"{s['entries_per_s_p50']:.0f}", f"{s['ms_per_entry_p50']:.3f}", f"{s['ms_per_entry_p95']:.3f}",
                f"{ratio:.2f}x" if ratio else "",
            )
        )  # fmt: skip
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = []
    for n, row in enumerate(table):
        cells = [cell.ljust(widths[i]) if i < 2 else cell.rjust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    p = results["parameters"]
    m = results["machine"]
    per_entry = results["clean_per_entry"]
    checks = results["safety"]
    target = results["target"]
    load = "/".join(map(str, m.get("load_average", [])))
    lines[:0] = [
        f"news57 import throughput: {p['entries']} entries ({p['feed_bytes'] // 1024} KiB feed), "
        f"{p['repeats']} repeats; {m['database_vendor']}, Python {m['python']}, {m['cpu_count']} CPUs, "
        f"bleach {m['bleach']}, nh3 {m['nh3']}" + (f"; load average 1/5/15 min at the end {load}" if load else ""),
        "",
    ]
    lines += [
        "",
        "clean per entry (ms): "
        + "; ".join(
            f"{name} p50 {v['p50_ms']:.3f} / p95 {v['p95_ms']:.3f} / p99 {v['p99_ms']:.3f}"
            for name, v in per_entry.items()
        ),
        "safety: outputs containing " + ", ".join(repr(f) for f in FORBIDDEN) + ": "
        + ", ".join(f"{name} {count}" for name, count in checks["unsafe_outputs"].items())
        + f"; nh3 output differs textually from bleach's for {checks['differing_outputs']}/{checks['entries']} entries",
        f"target {target['entries_per_s']} entries/s end to end: "
        f"bleach {'met' if target['met_bleach'] else 'NOT met'}, nh3 {'met' if target['met_nh3'] else 'NOT met'}",
    ]
    return "\n".join(lines)


def profile_store(runner, cleaner=None, top=25):
    """cProfile and the SQL of one store() call, printed: where the time goes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cleaner = cleaner or bleach_clean
    profiler = cProfile.Profile()
    with CaptureQueriesContext(connection) as queries:
        profiler.enable()
        seconds = runner.store_once(cleaner)
        profiler.disable()
    print(f"\n--- profile of one store() with bleach, {runner.entries} entries: {seconds:.3f} s")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
    stats.print_stats(top)
    print(out.getvalue())
    kinds = Counter()
    timing = Counter()
    for query in queries.captured_queries:
        words = query["sql"].split()
        key = " ".join(words[:4])[:80]
        kinds[key] += 1
        timing[key] += float(query["time"])
    total = sum(timing.values())
    print(f"--- {len(queries.captured_queries)} queries, {total:.3f} s in the database (as Django times it)")
    for key, count in kinds.most_common(15):
        print(f"{count:6d}  {timing[key]:8.3f} s  {key}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=1000, help="entries in the feed (default 1000)")
    parser.add_argument("--repeats", type=int, default=5, help="repeats per stage (default 5)")
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT), help="where the JSON goes ('' for nowhere)")
    parser.add_argument("--profile", action="store_true", help="also profile one store() call")
    args = parser.parse_args(argv)
    if args.entries < 1 or args.repeats < 1:
        parser.error("--entries and --repeats must be at least 1")
    shared = bool(os.environ.get("DATABASE_URL"))
    temporary = setup_django()
    try:
        run(args.entries, args.repeats, args.output or None, shared=shared, profile=args.profile)
    finally:
        from django.db import connections

        connections.close_all()
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    main()
