#!/usr/bin/env python3
"""Check that `make run` stops cleanly: on Ctrl-C in a terminal, then on SIGTERM to make.

Each round starts `make run` in a pseudo-terminal on a free port with a
throw-away var and media dir, waits until the web server answers and the
worker is ready, stops it, and then requires that every process it started
is gone within STOP_SECONDS, that each exited on its one SIGTERM (bin/run did
not have to kill it), that nothing reports "Segmentation fault", and that there
are at most MAX_WARM_SHUTDOWN_LINES "Warm shutdown" lines.

A script rather than a test so pytest does not collect it: the first round
installs, migrates and loads the demo, which takes minutes. Python stdlib only.
Exits 1 on failure, after killing anything left over.
"""

import os
import pty
import re
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
START_SECONDS = 300  # the first round installs, migrates and loads the demo
READY_SECONDS = 60
STOP_SECONDS = 15
MAX_WARM_SHUTDOWN_LINES = 3
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")  # colours, left out of what is printed
# Point make at the embedded defaults whatever the caller's environment says.
UNSET = ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "NEWS57_BROKER_DIR", "NEWS57_CELERY_QUEUE")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def proc_stat(pid):
    """(state, ppid, session, start time) of a live process, or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces; split after it.
    fields = stat[stat.rindex(")") + 2 :].split()
    return fields[0], int(fields[1]), int(fields[3]), int(fields[19])


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "?"


def started_by(root):
    """{pid: start time} of the processes in root's session or below root, zombies left out."""
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := proc_stat(int(entry))) is not None:
            stats[int(entry)] = stat
    found, changed = {pid for pid, stat in stats.items() if stat[2] == root}, True
    # Descendants too, in case one left the session.
    while changed:
        more = {pid for pid, stat in stats.items() if stat[1] in found or stat[1] == root} - found
        found |= more
        changed = bool(more)
    return {pid: stats[pid][3] for pid in found if stats[pid][0] != "Z"}


def alive(processes):
    """The recorded processes still running (same pid and start time, not a zombie)."""
    left = {}
    for pid, start in processes.items():
        stat = proc_stat(pid)
        if stat is not None and stat[3] == start and stat[0] != "Z":
            left[pid] = start
    return left


class Terminal:
    """`make run` in a pseudo-terminal, its output collected by a thread."""

    def __init__(self, env, port, log_path):
        self.output = bytearray()
        self.log_path = log_path
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: a session leader with the pty as controlling terminal
            try:
                os.chdir(REPO)
                os.execvpe("make", ["make", "run", f"PORT={port}"], env)
            finally:
                os._exit(127)
        self.status = None
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:  # EIO once no process holds the terminal open
                break
            if not chunk:
                break
            self.output += chunk

    def text(self):
        return self.output.decode(errors="replace")

    def exited(self):
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
        return self.status is not None

    def close(self):
        self.reader.join(timeout=5)
        os.close(self.fd)
        with open(self.log_path, "ab") as log:
            log.write(self.output)


def wait_until(predicate, seconds, step=0.5):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def answers_http(port):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=3).close()
    except urllib.error.HTTPError:  # any status will do: the server is up
        return True
    except OSError:
        return False
    return True


def round_(name, stop, env, port, log_path):
    """Start `make run`, stop it with stop(terminal), and return a list of problems."""
    print(f"-- {name}: make run PORT={port} (output in {log_path})", flush=True)
    term = Terminal(env, port, log_path)
    problems = []
    try:
        started = time.monotonic()
        if not wait_until(lambda: term.exited() or answers_http(port), START_SECONDS):
            problems.append(f"the web server did not answer on port {port} within {START_SECONDS} s")
        elif term.exited():
            problems.append(f"make {describe(term.status)} before the web server answered")
        if problems:
            print_lines("output so far", term.output)
            return problems
        print(f"   web server answered after {time.monotonic() - started:.0f} s", flush=True)
        # Stop a worker that is fully up, not one still starting.
        if not wait_until(lambda: re.search(r"celery@\S+ ready\.", term.text()), READY_SECONDS):
            problems.append(f"the worker did not report ready within {READY_SECONDS} s")
        time.sleep(2)
        processes = started_by(term.pid)
        print(f"   {len(processes)} processes running:", flush=True)
        for pid in sorted(processes):
            print(f"     {pid} {cmdline(pid)[:110]}", flush=True)
        mark = len(term.output)

        stopped_at = time.monotonic()
        stop(term)
        gone = wait_until(lambda: term.exited() and not alive(processes | started_by(term.pid)), STOP_SECONDS, 0.1)
        took = time.monotonic() - stopped_at
        left = alive(processes | started_by(term.pid))
        if gone:
            print(f"   all {len(processes)} gone {took:.1f} s after the stop; make {describe(term.status)}", flush=True)
        else:
            problems.append(
                f"still running {STOP_SECONDS} s after the stop: make exited={term.exited()}, {len(left)} left"
            )
            for pid in sorted(left):
                problems.append(f"  left over: {pid} {cmdline(pid)[:110]}")
        time.sleep(0.5)  # the last lines through the pty
        after = print_lines("output after the stop", term.output[mark:])
        warm = after.count("Warm shutdown")
        print(f"   {warm} 'Warm shutdown' line(s) after the stop", flush=True)
        if warm > MAX_WARM_SHUTDOWN_LINES:
            problems.append(f"{warm} 'Warm shutdown' lines after the stop (at most {MAX_WARM_SHUTDOWN_LINES})")
        if "Segmentation fault" in term.text():
            problems.append("'Segmentation fault' in the output")
        # bin/run kills what a single SIGTERM did not stop in time; the worker and web must not need that.
        if "still running, killing it" in after:
            problems.append("a process did not exit on one SIGTERM and was killed")
        return problems
    finally:
        kill_left_over(term)
        term.close()


def print_lines(title, output, count=12):
    """Print the last lines of output, without colours; return all of it as text."""
    text = ANSI.sub("", output.decode(errors="replace"))
    print(f"   {title}:", flush=True)
    for line in [line.rstrip() for line in text.splitlines() if line.strip()][-count:]:
        print(f"     | {line[:130]}", flush=True)
    return text


def describe(status):
    code = os.waitstatus_to_exitcode(status)
    return f"killed by {signal.Signals(-code).name}" if code < 0 else f"exited with status {code}"


def kill_left_over(term):
    for pid in alive(started_by(term.pid)) | ({} if term.exited() else {term.pid: 0}):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if not term.exited():
        os.waitpid(term.pid, 0)


def ctrl_c(term):
    # As a terminal does it: the line discipline turns ^C into SIGINT for the foreground process group.
    os.write(term.fd, b"\x03")


def sigterm(term):
    os.kill(term.pid, signal.SIGTERM)


def main():
    if not (REPO / ".venv/bin/celery").exists():
        print("note: .venv is not installed yet; the first round runs make install", flush=True)
    scratch = Path(tempfile.mkdtemp(prefix="news57-run-"))
    env = {key: value for key, value in os.environ.items() if key not in UNSET and not key.startswith("MAKE")}
    env.update(NEWS57_VAR_DIR=str(scratch / "var"), MEDIA_ROOT=str(scratch / "media"), TERM="dumb")
    port = free_port()
    failed = False
    # The second round reuses the var dir, so it skips most of the demo's loading.
    for name, stop in (("Ctrl-C in the terminal", ctrl_c), ("SIGTERM to make", sigterm)):
        problems = round_(name, stop, env, port, scratch / "make-run.log")
        for problem in problems:
            print(f"   FAIL: {problem}", flush=True)
        failed = failed or bool(problems)
        if not problems:
            print(f"   ok: {name} stopped make run cleanly", flush=True)
    if failed:
        print(f"make run did not stop cleanly; output kept in {scratch / 'make-run.log'}")
        return 1
    shutil.rmtree(scratch, ignore_errors=True)
    print("make run stops cleanly on Ctrl-C and on SIGTERM")
    return 0


if __name__ == "__main__":
    sys.exit(main())
