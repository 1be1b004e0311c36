"""Run the benchmarks, each on SQLite and on PostgreSQL where it applies, with the peak memory
of each step; write a summary (date, machine, command, time, peak memory, result) to
docs/benchmarks.md. Each benchmark also writes its own section there with its figures and its
floor (measured in the same run).

Usage: python bench/run.py [--postgres URL] [--list] [name ...]
  name         run only the steps whose name starts with it (e.g. `search`, `search_speed:pg`)
  --postgres   base URL of the PostgreSQL server (default postgres://postgres@127.0.0.1:5432);
               each step uses a database of its own there (rt_bench_<step>)
  --no-postgres  SQLite steps only
Benchmarks that need ../shared/data skip when it is absent. Exit status 1 when a step fails
(a benchmark exits 1 when it misses its target).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import os
import platform
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchdoc import write_section

HERE = Path(__file__).resolve().parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432"


@dataclass(frozen=True)
class Step:
    """One benchmark run: a script with its arguments, on one database."""

    name: str
    script: str
    args: tuple[str, ...] = ()
    #: "sqlite", "postgresql" or "sqlite+postgresql" (then `{postgres}` in *args* is replaced
    #: by the database URL), or "" when the step uses no database.
    database: str = "sqlite"
    #: The issue-15 target it shows, in a few words.
    target: str = ""


#: Every benchmark, one entry per step: add a benchmark by adding its entries here.
STEPS: list[Step] = [
    Step("extract_pdf", "extract_pdf.py", database="", target=">= 20 pages/s"),
    Step("analyse_speed", "analyse_speed.py", target="40,000 in < 60 s"),
    Step("group_speed", "group_speed.py"),
    Step(
        "import_speed",
        "import_speed.py",
        ("--postgres", "{postgres}"),
        database="sqlite+postgresql",
        target="270,000 with analysis < 3 min and <= 10x bulk load; re-import < 1 min; < 1 GiB",
    ),
    Step(
        "search_speed:sqlite",
        "search_speed.py",
        ("--rows", "270000", "--keep"),
        target="queries + facets p95 < 100 ms and <= 5x floor; pages p95 < 300 ms cold and warm",
    ),
    Step(
        "search_speed:pg",
        "search_speed.py",
        ("--rows", "270000", "--keep", "--postgres", "{postgres}"),
        database="postgresql",
        target="queries + facets p95 < 100 ms and <= 5x floor; pages p95 < 300 ms cold and warm",
    ),
    Step("followup_speed", "followup_speed.py"),
]


@dataclass
class Result:
    step: Step
    command: str
    seconds: float
    peak_mib: float
    status: int


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores of {cpu}, {platform.system()}, Python {platform.python_version()}"
    )


def run_step(step: Step, postgres: str) -> Result:
    """Run *step* in a child process; its peak resident memory comes from wait4's rusage
    (that child and the children it waited for), so every step has its own figure."""
    url = f"{postgres.rstrip('/')}/rt_bench_{step.name.replace(':', '_')}"
    args = [a.replace("{postgres}", url) for a in step.args]
    argv = [sys.executable, str(HERE / step.script), *args]
    command = shlex.join(["python", f"bench/{step.script}", *args])
    print(f"== {step.name}: {command}", flush=True)
    start = time.perf_counter()
    proc = subprocess.Popen(argv)
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    print(
        f"== {step.name}: exit {proc.returncode}, {seconds:.0f} s, peak {peak:.0f} MiB",
        flush=True,
    )
    return Result(step, command, seconds, peak, proc.returncode)


def write_summary(results: list[Result], argv: list[str]) -> None:
    lines = [
        f"`python bench/run.py{' ' if argv else ''}{shlex.join(argv)}`, "
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {_machine()}, load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end (the machine is shared: "
        "a busy one adds time to every figure). Peak memory: the step's process (resident set, "
        "from wait4). The figures of each step are in its own section.",
        "",
        "| step | database | command | time | peak memory | target | result |",
        "|---|---|---|---:|---:|---|---|",
    ]
    for r in results:
        outcome = "ok" if r.status == 0 else f"exit {r.status} (missed or failed)"
        lines.append(
            f"| {r.step.name} | {r.step.database or '-'} | `{r.command}` | {r.seconds:.0f} s "
            f"| {r.peak_mib:.0f} MiB | {r.step.target or '-'} | {outcome} |"
        )
    write_section("run", "\n".join(lines), heading="All benchmarks (`bench/run.py`)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, metavar="URL")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--list", action="store_true", help="list the steps and stop")
    args = parser.parse_args(argv)
    steps = [
        s
        for s in STEPS
        if (not args.names or any(s.name.startswith(n) for n in args.names))
        and not (args.no_postgres and s.database == "postgresql")
    ]
    if args.no_postgres:  # a step on both databases runs on SQLite alone
        steps = [
            dataclasses.replace(s, args=(), database="sqlite")
            if s.database == "sqlite+postgresql"
            else s
            for s in steps
        ]
    if args.list:
        for s in steps:
            print(f"{s.name:24} {s.database or '-':10} bench/{s.script} {' '.join(s.args)}")
        return 0
    results = []
    for step in steps:
        if not (HERE / step.script).exists():
            print(f"== {step.name}: missing bench/{step.script}", file=sys.stderr)
            continue
        results.append(run_step(step, args.postgres))
    if results:
        write_summary(results, argv)
    failed = [r.step.name for r in results if r.status != 0]
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
