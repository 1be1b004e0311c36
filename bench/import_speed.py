"""Import at scale (issue 15 §4): the realistic corpus into a fresh database, against its floor.

Writes the corpus with bench/make_corpus.py (default 270,000 UHRI-shaped records recombining the
real texts of ../shared/data), then, in the same run and on the same machine:

1. the floor: the same CSV bulk-loaded into one bare table (`sqlite3 .import`; on PostgreSQL
   `\\copy` through psql, i.e. COPY);
2. `services.import_file` into a fresh, migrated database in a child process (its own peak
   memory): the records (streamed, in chunks, one transaction), then their analysis;
3. the re-import of the unchanged file.

Each step runs in a child process of its own, so that its peak memory is its own. Prints the
figures and writes them between <!-- import-scale-N --> and <!-- /import-scale-N --> (N rows) in
docs/benchmarks.md, with the date, machine, command and load average.

Usage: python bench/import_speed.py [--rows 270000] [--postgres URL] [--corpus FILE] [--no-write]
(--postgres defaults to $BENCH_POSTGRES_URL; bench/run.py gives both databases.)
Targets: records + analysis < 3 min on SQLite and within 10x the floor; re-import < 1 min;
peak memory < 1 GiB.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from benchdoc import write_section

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

CHILD = r"""
import json, os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
import django
django.setup()
from rightstrack.analysis.services import analyse_imported
from rightstrack.recommendations import services
from rightstrack.recommendations.models import ImportBatch, Recommendation
step, path = sys.argv[1], sys.argv[2]
out = {}
start = time.perf_counter()
if step == "records":
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    result = services.import_file(path, kind="uhri", analyse=False)
    out["batch"] = result.batch.pk
    out["summary"] = result.summary()
    out["stored"] = Recommendation.objects.count()
elif step == "analysis":
    out["analysed"] = analyse_imported(ImportBatch.objects.get(pk=int(sys.argv[3])))
else:  # the unchanged file again, as `rightstrack import` runs it (analysis included)
    result = services.import_file(path, kind="uhri")
    out["summary"] = result.summary()
out["seconds"] = time.perf_counter() - start
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
# The analysis's engine processes (forked), if any: their own peak, each.
out["workers_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps(out))
"""


def sqlite_floor(corpus: Path, folder: Path) -> float:
    db = folder / "floor.sqlite3"
    start = time.perf_counter()
    subprocess.run(
        ["sqlite3", str(db), ".mode csv", f".import {corpus} bare"],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def postgres_floor(corpus: Path, url: str) -> float:
    with corpus.open(encoding="utf-8") as fp:
        header = fp.readline().strip().split(",")
    columns = ", ".join(f"c{i} text" for i in range(len(header)))
    sql = [
        "DROP TABLE IF EXISTS bench_bare",
        f"CREATE TABLE bench_bare ({columns})",
    ]
    subprocess.run(["psql", url, "-qc", "; ".join(sql)], check=True, capture_output=True)
    start = time.perf_counter()
    subprocess.run(
        ["psql", url, "-qc", f"\\copy bench_bare FROM '{corpus}' WITH (FORMAT csv, HEADER true)"],
        check=True,
        capture_output=True,
    )
    took = time.perf_counter() - start
    subprocess.run(["psql", url, "-qc", "DROP TABLE bench_bare"], check=True, capture_output=True)
    return took


def run_step(step: str, corpus: Path, env: dict[str, str], *extra: str) -> dict[str, Any]:
    """Run one step in a child process of its own (its own peak memory); return its figures."""
    done = subprocess.run(
        [PYTHON, "-c", CHILD, step, str(corpus), *extra],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"{step} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_import(corpus: Path, env: dict[str, str], analyse: bool) -> dict[str, Any]:
    """Records, then their analysis, then the unchanged file again: three child processes."""
    out: dict[str, Any] = {"records": run_step("records", corpus, env)}
    print(f"  records: {out['records']}", flush=True)
    if analyse:
        out["analysis"] = run_step("analysis", corpus, env, str(out["records"]["batch"]))
        print(f"  analysis: {out['analysis']}", flush=True)
    out["again"] = run_step("again", corpus, env)
    print(f"  re-import: {out['again']}", flush=True)
    return out


def postgres_reachable(url: str) -> str | None:
    """Create the benchmark's database if need be; return why PostgreSQL cannot be used."""
    if not shutil.which("psql"):
        return "psql not installed"
    server, _, name = url.rpartition("/")
    probe = subprocess.run(
        [
            "psql",
            f"{server}/postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
        ],
        capture_output=True,
        text=True,
    )
    if probe.returncode:
        return f"no PostgreSQL server at {server} ({probe.stderr.strip()[:200]})"
    if probe.stdout.strip() != "1":
        subprocess.run(
            ["psql", f"{server}/postgres", "-qc", f'CREATE DATABASE "{name}"'],
            check=True,
            capture_output=True,
        )
    return None


def _fmt_mb(step: dict[str, Any]) -> str:
    text = f"{step['peak_mb']:.0f} MiB"
    if step.get("workers_peak_mb"):
        text += f" (+ engine processes {step['workers_peak_mb']:.0f} MiB each)"
    return text


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=270_000)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES_URL", ""),
        help="also on this PostgreSQL database (created if absent, then emptied); "
        "default $BENCH_POSTGRES_URL; skipped, saying so, when no server answers",
    )
    parser.add_argument("--corpus", type=Path, help="an existing corpus CSV (else written)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs alone")
    parser.add_argument(
        "--no-analysis", action="store_true", help="time the records only (no analysis)"
    )
    args = parser.parse_args(argv)

    load_before = os.getloadavg()
    notes = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = args.corpus or folder / f"corpus-{args.rows}.csv"
        if not args.corpus:
            made = subprocess.run(
                [
                    PYTHON,
                    str(ROOT / "bench" / "make_corpus.py"),
                    f"--rows={args.rows}",
                    f"--out={corpus}",
                ],
                check=False,
            )
            if made.returncode:
                print("skipped: no corpus (is ../shared/data there?)", file=sys.stderr)
                return 0
        with corpus.open(encoding="utf-8", newline="") as fp:
            rows = sum(1 for _ in csv.reader(fp)) - 1
        size_mb = corpus.stat().st_size / 1e6
        runs = []
        base_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DB_NAME")}
        base_env["RIGHTSTRACK_DATA_DIR"] = str(folder)
        analyse = not args.no_analysis
        floor = sqlite_floor(corpus, folder)
        print(f"SQLite, floor sqlite3 .import: {floor:.1f} s", flush=True)
        env = {**base_env, "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}"}
        runs.append(("SQLite", "`sqlite3 .import`", floor, run_import(corpus, env, analyse)))
        if args.postgres:
            why = postgres_reachable(args.postgres)
            if why:
                notes.append(f"PostgreSQL not measured: {why}.")
                print(notes[-1], flush=True)
            else:
                floor = postgres_floor(corpus, args.postgres)
                print(f"PostgreSQL, floor COPY: {floor:.1f} s", flush=True)
                subprocess.run(
                    [
                        "psql",
                        args.postgres,
                        "-qc",
                        "DROP SCHEMA public CASCADE; CREATE SCHEMA public",
                    ],
                    check=True,
                    capture_output=True,
                )
                env = {**base_env, "DATABASE_URL": args.postgres}
                runs.append(
                    (
                        "PostgreSQL",
                        "`COPY` (psql `\\copy`)",
                        floor,
                        run_import(corpus, env, analyse),
                    )
                )
    load_after = os.getloadavg()

    command = (
        f"python bench/import_speed.py --rows {rows}"
        f"{' --corpus FILE (written by make_corpus.py --rows ' + str(rows) + ')' if args.corpus else ''}"
        f"{' --postgres URL' if args.postgres else ''}"
        f"{' --no-analysis' if args.no_analysis else ''}"
    )
    lines = [
        f"{date.today().isoformat()}, `{command}`: the realistic corpus of "
        f"`bench/make_corpus.py` ({rows:,} UHRI-shaped records, {size_mb:.0f} MB CSV) "
        f"into a fresh database, each step in a child process of its own (its peak resident "
        f"memory, `getrusage`); {platform.node() or 'this machine'}, Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, load average "
        f"{load_before[0]:.1f} before and {load_after[0]:.1f} after (a shared machine: the "
        "ratio to the floor, measured in the same run, is the figure to read).",
        "",
        "| database | floor: one bare table | records | analysis | records + analysis "
        "| vs floor (target 10x) | re-import unchanged (target 60 s) | peak memory per step "
        "(target 1 GiB) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, how, floor, out in runs:
        records_s = out["records"]["seconds"]
        analysis_s = out["analysis"]["seconds"] if "analysis" in out else 0.0
        total = records_s + analysis_s
        peaks = [f"records {_fmt_mb(out['records'])}"]
        if "analysis" in out:
            peaks.append(f"analysis {_fmt_mb(out['analysis'])}")
        peaks.append(f"re-import {_fmt_mb(out['again'])}")
        if "analysis" in out:
            analysis = f"{analysis_s:.1f} s | {total:.1f} s"
            ratio = f"{records_s / floor:.1f}x (records), {total / floor:.1f}x (with analysis)"
        else:
            analysis, ratio = "not run (`--no-analysis`) | —", f"{records_s / floor:.1f}x (records)"
        lines.append(
            f"| {name} | {how} {floor:.1f} s | {records_s:.1f} s | {analysis} | {ratio} | "
            f"{out['again']['seconds']:.1f} s | {'; '.join(peaks)} |"
        )
    lines += [
        "",
        *(
            f"- {name}: {out['records']['summary']}; then {out['again']['summary']}"
            for name, _, _, out in runs
        ),
        *(f"- {note}" for note in notes),
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section(
            f"import-scale-{rows}",
            text,
            heading=f"Import at scale, {rows:,} records (issue 15 §4; bench/import_speed.py)",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
