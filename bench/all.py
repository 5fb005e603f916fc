"""Every benchmark in bench/, one after another, and one table of their ratios.

    STUDIO_NO_BOOTSTRAP=1 .venv/bin/python bench/all.py            # full sizes (tens of minutes)
    STUDIO_NO_BOOTSTRAP=1 .venv/bin/python bench/all.py --quick    # small sizes, a few minutes (.ci/run)
    STUDIO_NO_BOOTSTRAP=1 .venv/bin/python bench/all.py --only engine,load

Each benchmark runs as its own process (each sets Django up its own way), with the arguments
of the mode chosen (BENCHES below), its output kept in a log file named at the end. From
its output one or two figures per benchmark go into the table, each a ratio against a
baseline measured in the same run (the seconds themselves move with the machine's load):

    engine     the local engine, end to end and first playable, over LAME encoding the same audio
    library    the slowest held library view at the largest size over the same view at 100 tracks
    API        requests/s of a create and of record-info as a share of a trivial view's
    streaming  Range requests through the audio view: throughput as a share of reading the file
    upstream   vendor requests per generation and stage, with callbacks and polling alone
    load       50 (quick: 20) creators on the production topology: p50 over one client's, errors, lost
    idle       an idle Studio's memory (MB PSS, `up --production`), and the first job after a
               quiet spell over a warm one

Numbers never fail the run: this command exits 1 only when a benchmark crashed (a non-zero
exit), so `.ci/run` prints the table and goes on. Quick mode is bounded: each benchmark has
a limit of its own and all of them a budget of 240 s (`--budget`); one stopped at its limit,
or left out once the budget is spent, is listed so, not failed. A benchmark that needs what is missing
(PostgreSQL and Redis for `load`) is listed as skipped. bench/servers.py (gunicorn against
granian) is left out: granian is not one of Studio's dependencies.
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _find(pattern: str, text: str, group: int = 1) -> float | None:
    found = re.findall(pattern, text, re.M)
    if not found:
        return None
    value = found[-1]
    return float(value[group - 1] if isinstance(value, tuple) else value)


def engine_rows(out: str) -> list[tuple]:
    return [("engine", "end to end, two takes / LAME encoding them",
             _find(r"^end to end .*ratio to LAME\s+([\d.]+)", out), "lower is better"),
            ("engine", "first take playable / LAME encoding both",
             _find(r"^first playable .*ratio to LAME\s+([\d.]+)", out), "lower is better")]


def library_rows(out: str) -> list[tuple]:
    # The last "Ratio against" table (all sizes timed in turn); held views only.
    table = out.rsplit("Ratio against", 1)[-1].split("\n\n", 1)[0] if "Ratio against" in out else ""
    ratios = [float(r) for line in table.splitlines()[2:] if "not held" not in line
              for r in re.findall(r"([\d.]+)x", line)[-1:]]
    size = re.findall(r"^\s+view\s+.*?(\d+)\s*$", table, re.M)
    return [("library", f"slowest held view at {size[-1] if size else '?'} tracks / at 100",
             max(ratios) if ratios else None, "goal <= 1.5")]


def streaming_rows(out: str) -> list[tuple]:
    return [("streaming", "Range through the audio view / reading the file (MB/s)",
             _find(r"view / direct: ([\d.]+)", out), "higher is better")]


def api_rows(out: str) -> list[tuple]:
    out, _, served = out.partition("Through gunicorn")  # in-process, then through gunicorn

    def share(name):
        return _find(rf"^\s+{re.escape(name)}\s+\d+\s+[\d.]+\s+([\d.]+)", out)
    return [("API", "create, req/s / a trivial view's", share("create (v1 generate)"),
             "goal >= 0.2"),
            ("API", "record-info, req/s / a trivial view's", share("record-info"), "goal >= 0.4"),
            ("API", "record-info after a change (reads the database), the same",
             share("record-info, changed"), "measured"),
            ("API", "signed-in Range overhead over a trivial view (ms CPU)",
             _find(r"Range overhead over the trivial view: [\d.]+ ms \(([\d.]+) ms CPU\)", out),
             "goal <= 1.5")] + served_rows(served)


def served_rows(out: str) -> list[tuple]:
    """api.py --server: the same requests through gunicorn, by the server's CPU time."""
    def share(name):  # the last column: of the trivial view's, by the server's CPU
        return _find(rf"^\s+{re.escape(name)}\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+([\d.]+)$", out)
    return [("API", "through gunicorn: create / a trivial view (server CPU)",
             share("create (v1 generate)"), "goal >= 0.2"),
            ("API", "through gunicorn: record-info / a trivial view (server CPU)",
             share("record-info"), "goal >= 0.4"),
            ("API", "through gunicorn: signed-in Range overhead (ms server CPU)",
             _find(r"Range overhead over the trivial view: ([\d.]+) ms of server CPU", out),
             "goal <= 1.5")]


def upstream_rows(out: str) -> list[tuple]:
    per_stage = re.findall(r"requests per generation and stage\s+([\d.]+)", out)
    return [("upstream", "vendor requests per generation and stage, callbacks",
             float(per_stage[0]) if per_stage else None, "goal <= 1.5"),
            ("upstream", "the same, polling alone / callbacks",
             _find(r"requests per generation and stage .*?([\d.]+)× callbacks", out),
             "lower is better")]


def idle_rows(out: str) -> list[tuple]:
    idle = _find(r"^\s+idle footprint, median\s+(\d+) MB PSS", out)
    ratio = _find(r"^\s+first job after idle, worker .*first/warm\s+([\d.]+)", out)
    note = ""
    if idle is None:  # stopped at its limit before the summary: the median of the runs it finished
        runs = re.findall(r"^\s+run \d+: idle\s+(\d+) MB PSS; first job after idle .*first/warm ([\d.]+)$", out, re.M)
        if runs:
            idle = statistics.median(float(i) for i, _r in runs)
            ratio = statistics.median(float(r) for _i, r in runs)
            note = f", {len(runs)} run{'s' if len(runs) > 1 else ''}"
    return [("idle", "idle footprint, web + 2 workers, MB PSS (up --production)", idle, "goal <= 400" + note),
            ("idle", "first job after a quiet spell / a warm one (worker time)", ratio, "goal <= 1.5" + note)]


def load_rows(out: str) -> list[tuple]:
    return [("load", "p50 under load / one client's p50 (same page, same run)",
             _find(r"^p50 under load .*: ([\d.]+)$", out), "lower is better"),
            ("load", "requests per second", _find(r"^requests/s ([\d.]+)", out), "measured"),
            ("load", "errors", _find(r"^requests/s .*errors (\d+)", out), "goal 0"),
            ("load", "lost generations", _find(r"lost (\d+) \(goals", out), "goal 0")]


@dataclass
class Bench:
    name: str
    script: str
    quick: list[str]
    full: list[str]
    rows: object
    needs_services: bool = False
    limit: float = 300  # quick mode: seconds before it is stopped (its row then says so)


# name, script, quick arguments, full arguments, rows; quick: seconds it may take at most.
# Run in this order (the cheapest first, so a tight budget leaves out the dearest); the table
# lists them as ORDER says.
BENCHES = [
    # Three runs, each against its own trivial view, not one: a single quick run read a
    # create at 0.26 of a trivial view and record-info at 1.22 (a slow baseline) on a tree
    # whose 5-run median was 0.14-0.16 and 0.76.
    Bench("api", "api.py", ["--runs", "3", "--seconds", "0.3", "--server"], ["--server"],
          api_rows, limit=90),
    Bench("engine", "engine.py", ["--seconds", "10", "--runs", "5"], ["--stages"], engine_rows,
          limit=60),
    Bench("library", "library.py", ["--tracks", "100,500", "--repeat", "3", "--mb", "4"], [],
          lambda out: library_rows(out) + streaming_rows(out), limit=60),
    Bench("load", "load.py", ["--quick", "--drain", "60"], [], load_rows, needs_services=True,
          limit=150),
    Bench("upstream", "upstream.py", ["--songs", "10", "--delay", "3", "--take-seconds", "3",
                                      "--timeout", "90"], [], upstream_rows, limit=90),
    # Three pairs, not one: a single first-after-idle/warm pair read 1.24-1.54 in CI runs of
    # one tree whose 5-pair median was 1.36.
    Bench("idle", "idle.py", ["--production", "--runs", "3", "--idle-seconds", "8"],
          ["--production"], idle_rows, limit=180),
]
ORDER = ["engine", "library", "api", "streaming", "upstream", "load", "idle"]


def _environment() -> dict:
    """Each benchmark makes its own temporary database (load: its own PostgreSQL one)."""
    env = {**os.environ, "STUDIO_NO_BOOTSTRAP": "1", "PYTHONUNBUFFERED": "1"}
    for name in ("DATABASE_URL", "REDIS_URL", "STUDIO_DATA_DIR", "STUDIO_MEDIA_ROOT",
                 "STUDIO_QUEUE_NAME"):
        env.pop(name, None)
    return env


# A benchmark stopped at its limit gets SIGTERM as an exception, so its `finally` and `with`
# blocks stop what it started (servers, clusters, the load test's database).
_WRAPPER = ("import runpy, signal, sys\n"
            "signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))\n"
            "sys.argv = sys.argv[1:]\n"
            "runpy.run_path(sys.argv[0], run_name='__main__')\n")


def _run(script: Path, args: list[str], out, timeout: float | None) -> int | None:
    """The benchmark's exit code, or None when it was stopped at `timeout`."""
    process = subprocess.Popen([sys.executable, "-c", _WRAPPER, str(script), *args], cwd=ROOT,
                               env=_environment(), stdout=out, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.terminate()
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
        return None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="small sizes, a few minutes in all")
    ap.add_argument("--only", default="", help="comma-separated names: " +
                    ",".join(b.name for b in BENCHES))
    ap.add_argument("--timeout", type=float, default=0,
                    help="seconds per benchmark (default: each one's own limit when quick, "
                         "none at full sizes)")
    ap.add_argument("--budget", type=float, default=0,
                    help="seconds for all of them (default: 240 quick, none at full sizes); "
                         "what the budget leaves no room for is listed as skipped")
    ap.add_argument("--logs", default="", help="directory for each benchmark's output")
    a = ap.parse_args()
    chosen = [b for b in BENCHES if not a.only or b.name in a.only.split(",")]
    logs = Path(a.logs or tempfile.mkdtemp(prefix="studio-bench-"))
    logs.mkdir(parents=True, exist_ok=True)
    budget = a.budget or (240 if a.quick else None)
    rows, crashed, took = [], [], {}
    begun = time.monotonic()
    for bench in chosen:
        left = budget - (time.monotonic() - begun) if budget else None
        if bench.needs_services:
            sys.path.insert(0, str(ROOT))
            from tests.topology.harness import services_available
            if why := services_available():
                rows.append((bench.name, f"skipped: {why}", None, ""))
                continue
        args = bench.quick if a.quick else bench.full
        timeout = a.timeout or (bench.limit if a.quick else None)
        if left is not None:
            if left < 30:
                rows.append((bench.name, f"skipped: the {budget:.0f} s budget is spent", None, ""))
                continue
            timeout = min(timeout or left, left)
        log = logs / f"{bench.name}.txt"
        print(f"== bench/{bench.script} {' '.join(args)}", flush=True)
        started = time.monotonic()
        with open(log, "w") as out:
            code = _run(ROOT / "bench" / bench.script, args, out, timeout)
        took[bench.name] = time.monotonic() - started
        text = log.read_text()
        if code is None:  # what it printed before it was stopped, if anything
            found = [r for r in bench.rows(text) if r[2] is not None]
            rows.extend((n, m, v, f"{note}; stopped at {timeout:.0f} s") for n, m, v, note in found)
            if not found:
                rows.append((bench.name, f"stopped at its limit, {timeout:.0f} s (see {log})",
                             None, ""))
        elif code != 0:
            crashed.append(bench.name)
            rows.append((bench.name, f"CRASHED (exit {code}): see {log}", None, ""))
            print(text[-3000:])
        else:
            rows.extend(bench.rows(text))
        print(f"   {took[bench.name]:.0f} s", flush=True)

    print(f"\nBenchmarks ({'quick' if a.quick else 'full'} sizes); each figure against a baseline "
          "of the same run")
    rows.sort(key=lambda r: ORDER.index(r[0].lower()) if r[0].lower() in ORDER else len(ORDER))
    width = max(len(r[1]) for r in rows) if rows else 40
    print(f"{'bench':<10} {'measure':<{width}} {'value':>8}  note")
    for name, measure, value, note in rows:
        shown = "n/a" if value is None else f"{value:.2f}"
        print(f"{name:<10} {measure:<{width}} {shown:>8}  {note}")
    print("seconds: " + ", ".join(f"{n} {s:.0f}" for n, s in took.items())
          + f"; logs in {logs}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
