"""Two-hop latency: a document published on the central portal until it is live on the communes.

The demo's chain for real: this installation's web app on a loopback port, a
real `celery worker --beat` polling its feeds, the province subscribed to the
central portal's feed and its agencies to the province's. Each round
republishes a new document centrally and waits until both agencies two hops
down carry it, then reads each hop's times from the database: source time →
first seen → live. Prints a table and writes bench/results/two_hop.json.

Without DATABASE_URL it migrates a fresh SQLite file in a temporary folder.
The issue's bound is 2 poll intervals + 2 ticks + 10 s; it is reported, never
asserted.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import machine_info, percentile, setup_django  # noqa: E402

DEFAULT_OUTPUT = ROOT / "bench" / "results" / "two_hop.json"


def serve(port_holder):
    """The project's WSGI app on a free loopback port, in a thread; returns the server."""
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    server.set_app(get_wsgi_application())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port_holder.append(server.server_port)
    return server


def start_worker(port, folder, tick, log_path):
    from django.conf import settings
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    database_url = os.environ["DATABASE_URL"] if connection.vendor != "sqlite" else f"sqlite:///{Path(name).resolve()}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "NEWS57_BROKER_DIR": str(Path(folder) / "broker"),
        "NEWS57_CELERY_QUEUE": "news57-bench-two-hop",
        "NEWS57_SYNDICATION_TICK_SECONDS": str(tick),
        "NEWS57_SOURCE_MIN_INTERVAL_SECONDS": "1",
        "NEWS57_FETCH_ALLOW_HOSTS": f"trunguong.localhost:{port},langson.localhost:{port}",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "cms", "worker", "--beat",
        "--schedule-filename", str(Path(folder) / "celerybeat-schedule"),
        "--concurrency", "2", "--loglevel", "WARNING",
        "--without-mingle", "--without-gossip", "--without-heartbeat",
    ]  # fmt: skip
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def wait_until(condition, timeout, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def one_round(number, setups, bound):
    from news57.models import DirectiveDocument, Publication, PublicationStatus
    from news57.republishing.actions import republish

    document = DirectiveDocument.objects.create(
        code=f"{900 + number}/QĐ-TTg",
        title=f"Quyết định số {900 + number}/QĐ-TTg ngày 20/11/2026 của Thủ tướng Chính phủ (đo độ trễ hai bước)",
        issuer=setups["thu-tuong"].agency,
    )
    communes = [setups["thanhtra-langson"].site, setups["hoangvanthu"].site]
    started = time.monotonic()
    republish(document, setups["trunguong"].site, None)
    arrived = wait_until(
        lambda: Publication.objects.filter(
            document=document, site__in=communes, status=PublicationStatus.PUBLISHED
        ).count()
        == len(communes),
        bound * 3,
    )
    elapsed = time.monotonic() - started
    if not arrived:
        return {"arrived": False, "elapsed_s": elapsed}
    live = {
        p.site_id: p
        for p in Publication.objects.filter(document=document).exclude(status=PublicationStatus.QUEUED)
    }
    central, province = live[setups["trunguong"].site.pk], live[setups["langson"].site.pk]
    commune = live[setups["hoangvanthu"].site.pk]

    def seconds(start, end):
        return (end - start).total_seconds()

    return {
        "arrived": True,
        "elapsed_s": elapsed,
        "within_bound": elapsed <= bound,
        "hop1_s": seconds(central.published_at, province.published_at),
        "hop1_source_to_first_seen_s": seconds(province.source_time, province.first_seen_at),
        "hop1_first_seen_to_live_s": seconds(province.first_seen_at, province.published_at),
        "hop2_s": seconds(province.published_at, commune.published_at),
        "hop2_source_to_first_seen_s": seconds(commune.source_time, commune.first_seen_at),
        "hop2_first_seen_to_live_s": seconds(commune.first_seen_at, commune.published_at),
    }


def run(rounds=5, poll_seconds=2, tick=1, output=DEFAULT_OUTPUT):
    temporary = setup_django()
    from django.db import connection
    from django.db.models import Q

    from news57.demo.agencies import provision_demo_agencies
    from news57.demo.syndication import load_chain
    from news57.models import Source

    folder = temporary or os.environ["NEWS57_VAR_DIR"]
    port_holder = []
    server = serve(port_holder)
    port = port_holder[0]
    setups = provision_demo_agencies(port=port)
    load_chain(setups, port=port, poll_interval=poll_seconds)
    Source.objects.filter(Q(url__contains=f":{port}/")).update(poll_interval=poll_seconds)
    log_path = Path(folder) / "worker.log"
    worker = start_worker(port, folder, tick, log_path)
    bound = 2 * poll_seconds + 2 * tick + 10
    results = []
    try:
        ready = wait_until(lambda: not Source.objects.filter(last_success_at__isnull=True).exists(), 120, 0.25)
        if not ready:
            raise SystemExit("the worker never polled the demo sources; see " + str(log_path))
        for number in range(rounds):
            results.append(one_round(number, setups, bound))
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
        server.shutdown()
    report = summarise(results, rounds, poll_seconds, tick, bound)
    report["machine"] = machine_info(connection)
    print(format_table(report))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nJSON: {output}")
    if temporary:
        shutil.rmtree(temporary, ignore_errors=True)
    return report


def summarise(results, rounds, poll_seconds, tick, bound):
    arrived = [r for r in results if r["arrived"]]
    keys = [
        "elapsed_s",
        "hop1_s",
        "hop1_source_to_first_seen_s",
        "hop1_first_seen_to_live_s",
        "hop2_s",
        "hop2_source_to_first_seen_s",
        "hop2_first_seen_to_live_s",
    ]
    stats = {
        key: {q: percentile([r[key] for r in arrived], q) for q in (50, 95)} | {"max": max((r[key] for r in arrived), default=None)}
        for key in keys
    }
    return {
        "parameters": {"rounds": rounds, "poll_interval_s": poll_seconds, "tick_s": tick, "bound_s": bound},
        "rounds": results,
        "arrived": len(arrived),
        "within_bound": sum(1 for r in arrived if r["within_bound"]),
        "stats": stats,
    }


def format_table(report):
    p = report["parameters"]
    lines = [
        f"news57 two-hop latency: {p['rounds']} rounds, poll {p['poll_interval_s']} s, tick {p['tick_s']} s, "
        f"bound {p['bound_s']} s",
        "",
        f"{'measure':34}  {'p50 s':>7}  {'p95 s':>7}  {'max s':>7}",
        f"{'-' * 34}  {'-' * 7}  {'-' * 7}  {'-' * 7}",
    ]
    labels = {
        "elapsed_s": "central live → both communes live",
        "hop1_s": "hop 1: central → province live",
        "hop1_source_to_first_seen_s": "  source time → first seen",
        "hop1_first_seen_to_live_s": "  first seen → live",
        "hop2_s": "hop 2: province → commune live",
        "hop2_source_to_first_seen_s": "  source time → first seen",
        "hop2_first_seen_to_live_s": "  first seen → live",
    }
    for key, label in labels.items():
        values = report["stats"][key]

        def cell(value):
            return f"{value:7.2f}" if value is not None else f"{'-':>7}"

        lines.append(f"{label:34}  {cell(values[50])}  {cell(values[95])}  {cell(values['max'])}")
    lines.append("")
    lines.append(
        f"arrived {report['arrived']}/{p['rounds']}, within the bound {report['within_bound']}/{p['rounds']}"
    )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--poll-seconds", type=int, default=2)
    parser.add_argument("--tick", type=int, default=1)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    run(args.rounds, args.poll_seconds, args.tick, args.output)


if __name__ == "__main__":
    main()
