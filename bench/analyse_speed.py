"""Time `rightstrack analyse` on 40,000 recommendations and record it in docs/benchmarks.md.

Usage: python bench/analyse_speed.py [--rows 40000]
Builds the input from the UPR Info export texts (repeated to reach --rows), runs the command in
a subprocess, and measures wall time and peak memory (ru_maxrss of the child). The target is
under 60 s and under 1.5 GiB on the project's 2-core machine.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchdoc import write_section
from upr_info_data import load_upr_info

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=40_000)
    args = parser.parse_args()
    texts = [r["Text"] for r in load_upr_info()]
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "in.csv", Path(tmp) / "out.csv"
        with source.open("w", encoding="utf-8", newline="") as fp:
            writer = csv.writer(fp)
            writer.writerow(["id", "Text"])
            for i in range(args.rows):
                writer.writerow([i, texts[i % len(texts)]])
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "rightstrack", "analyse", str(source), "-o", str(target)],
            check=True,
            cwd=ROOT,
        )
        seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    text = (
        f"## rightstrack analyse\n\n"
        f"{datetime.date.today().isoformat()}, {machine}: {args.rows:,} recommendations (UPR Info texts) in "
        f"**{seconds:.1f} s**, peak memory **{peak_mib:.0f} MiB** (targets: < 60 s, < 1536 MiB).\n"
        f"Command: `python bench/analyse_speed.py --rows {args.rows}`"
    )
    print(text)
    write_section("analyse", text)
    return 0 if seconds < 60 and peak_mib < 1536 else 1


if __name__ == "__main__":
    sys.exit(main())
