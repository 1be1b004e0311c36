"""Import at scale (issue 15 §4): the realistic corpus into a fresh database, against its floor.

Writes the corpus with bench/make_corpus.py (default 270,000 UHRI-shaped records recombining the
real texts of ../shared/data), then, in the same run and on the same machine:

1. the floor: the same CSV bulk-loaded into one bare table (`sqlite3 .import`; on PostgreSQL
   `\\copy` through psql, i.e. COPY);
2. `services.import_file` into a fresh, migrated database in a child process (its own peak
   memory): the records (streamed, in chunks, one transaction), then their analysis;
3. the re-import of the unchanged file.

Prints the figures and writes them between <!-- import --> and <!-- /import --> in
docs/benchmarks.md, with the load average (the machine is shared: say so).

Usage: python bench/import_speed.py [--rows 270000] [--postgres URL] [--no-write]
Targets: records + analysis < 3 min on SQLite and within 10x the floor; re-import < 1 min;
peak memory < 1 GiB.
"""

from __future__ import annotations

import argparse
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

from benchdoc import write_section

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

CHILD = r"""
import json, os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from rightstrack.analysis.services import analyse_imported
from rightstrack.recommendations import services
from rightstrack.recommendations.models import Recommendation
path = sys.argv[1]
out = {}
start = time.perf_counter()
first = services.import_file(path, kind="uhri", analyse=False)
out["records_s"] = time.perf_counter() - start
start = time.perf_counter()
if os.environ.get("BENCH_ANALYSE", "1") == "1":
    analyse_imported(first.batch)
out["analysis_s"] = time.perf_counter() - start
out["first"] = first.summary()
out["stored"] = Recommendation.objects.count()
start = time.perf_counter()
again = services.import_file(path, kind="uhri", analyse=os.environ.get("BENCH_ANALYSE") == "1")
out["reimport_s"] = time.perf_counter() - start
out["again"] = again.summary()
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
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


def run_import(corpus: Path, env: dict[str, str]) -> dict[str, object]:
    done = subprocess.run(
        [PYTHON, "-c", CHILD, str(corpus)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"import failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=270_000)
    parser.add_argument("--postgres", help="also on this PostgreSQL database (it is emptied)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs alone")
    parser.add_argument(
        "--no-analysis", action="store_true", help="time the records only (no analysis)"
    )
    args = parser.parse_args(argv)

    load_before = os.getloadavg()
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = folder / f"corpus-{args.rows}.csv"
        subprocess.run(
            [
                PYTHON,
                str(ROOT / "bench" / "make_corpus.py"),
                f"--rows={args.rows}",
                f"--out={corpus}",
            ],
            check=True,
        )
        size_mb = corpus.stat().st_size / 1e6
        runs = []
        base_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DB_NAME")}
        base_env["RIGHTSTRACK_DATA_DIR"] = str(folder)
        base_env["BENCH_ANALYSE"] = "0" if args.no_analysis else "1"
        floor = sqlite_floor(corpus, folder)
        print(f"sqlite3 .import: {floor:.1f} s", flush=True)
        env = {**base_env, "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}"}
        runs.append(("SQLite", "`sqlite3 .import`", floor, run_import(corpus, env)))
        print(runs[-1], flush=True)
        if args.postgres:
            floor = postgres_floor(corpus, args.postgres)
            print(f"COPY: {floor:.1f} s", flush=True)
            subprocess.run(
                ["psql", args.postgres, "-qc", "DROP SCHEMA public CASCADE; CREATE SCHEMA public"],
                check=True,
                capture_output=True,
            )
            env = {**base_env, "DATABASE_URL": args.postgres}
            runs.append(("PostgreSQL", "`COPY` (psql `\\copy`)", floor, run_import(corpus, env)))
            print(runs[-1], flush=True)
        shutil.rmtree(folder / "bench.sqlite3", ignore_errors=True)
    load_after = os.getloadavg()

    lines += [
        f"{date.today().isoformat()}, `python bench/import_speed.py --rows {args.rows}"
        f"{' --postgres URL' if args.postgres else ''}"
        f"{' --no-analysis' if args.no_analysis else ''}`: the realistic corpus of "
        f"`bench/make_corpus.py` ({args.rows:,} UHRI-shaped records, {size_mb:.0f} MB CSV) "
        f"into a fresh database; Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {load_before[0]:.1f} before and {load_after[0]:.1f} after (a shared "
        "machine: 9 engineers on 2 cores; the ratio to the floor, measured in the same run, is "
        "the figure to read).",
        "",
        "| database | floor: one bare table | records | analysis | records + analysis "
        "| vs floor | re-import unchanged | peak memory |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, how, floor, out in runs:
        total = out["records_s"] + out["analysis_s"]
        lines.append(
            f"| {name} | {how} {floor:.1f} s | {out['records_s']:.1f} s | "
            f"{out['analysis_s']:.1f} s | {total:.1f} s | {out['records_s'] / floor:.1f}x "
            f"(records), {total / floor:.1f}x (with analysis) | {out['reimport_s']:.1f} s | "
            f"{out['peak_mb']:.0f} MiB |"
        )
    lines += ["", *(f"- {name}: {out['first']}; then {out['again']}" for name, _, _, out in runs)]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section("import", text, heading="Import")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
