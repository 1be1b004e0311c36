"""Time `rightstrack group` on 40,000 real recommendations and record its peak memory.

Usage: python bench/group_speed.py [--rows 40000] [--method lexical] [--no-write]

The texts are the UPR Info export (sessions 1-13, one row per co-sponsor, so real repeats) and
the recommendations parsed from the UPR Working Group reports of 2008-2014, cut to --rows.
The command runs in a child process so its own peak memory (ru_maxrss) is measured. Target:
under 5 minutes and 1.5 GiB on a 2-core machine. Also times classifier train and predict on
the same texts. Writes docs/benchmarks.md between the group markers unless --no-write.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from benchdoc import write_section

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rightstrack.conftest import SHARED_RAW  # noqa: E402

UPR_INFO = SHARED_RAW / "upr-info-terman" / "upr-info-export-sessions1-20"
WG_YEARS = SHARED_RAW / "upr-info-terman" / "wg-report-year-csvs"
TARGET_SECONDS, TARGET_MIB = 300, 1536


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def collect_texts(limit: int) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for name in ("1-5.csv", "6-9.csv", "10-13.csv"):
        for row in csv.DictReader(io.StringIO(decode((UPR_INFO / name).read_bytes()), newline="")):
            rows.append({"Text": row["Text"], "Source": f"upr-info {row['To']} s{row['Session']}"})
    for path in sorted(WG_YEARS.glob("*.csv")):
        for row in csv.DictReader(io.StringIO(decode(path.read_bytes()), newline="")):
            text = (row.get("text") or "").strip()
            if text:
                rows.append({"Text": text, "Source": f"wg-report {path.stem} {row.get('to', '')}"})
    return rows[:limit]


def run_child(command: list[str]) -> tuple[float, float, str]:
    """Run *command*; return its wall seconds, its peak memory in MiB and its stderr."""
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr}")
    # ru_maxrss of children is the largest child so far: run the biggest job first.
    return seconds, max(peak, before) / 1024, result.stderr.strip()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=40_000)
    parser.add_argument("--method", default="lexical")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    if not UPR_INFO.is_dir():
        print(f"skipped: {UPR_INFO} is absent")
        return 0
    from rightstrack.formats.tables import write_table

    rows = collect_texts(args.rows)
    cli = [sys.executable, "-m", "rightstrack"]
    with tempfile.TemporaryDirectory() as folder:
        source, output = os.path.join(folder, "in.csv"), os.path.join(folder, "out.csv")
        write_table(source, ["Text", "Source"], rows)
        seconds, mib, message = run_child(
            [*cli, "group", source, "-o", output, "--method", args.method]
        )
        lines = [
            f"rightstrack group --method {args.method} on {len(rows)} recommendations: "
            f"{seconds:.0f} s, peak {mib:.0f} MiB "
            f"(target < {TARGET_SECONDS} s, < {TARGET_MIB} MiB)",
            f"  {message.replace(' in ' + output, '')}",
        ]
        # Classifier speed on a labelled slice of the same texts (UPR Info issues).
        labelled = os.path.join(folder, "labelled.csv")
        model = os.path.join(folder, "model.pkl")
        predicted = os.path.join(folder, "predicted.csv")
        issues = []
        for name in ("1-5.csv", "6-9.csv", "10-13.csv"):
            text = decode((UPR_INFO / name).read_bytes())
            issues += [
                {"Text": r["Text"], "Issue": r["Issue"]}
                for r in csv.DictReader(io.StringIO(text, newline=""))
            ]
        write_table(labelled, ["Text", "Issue"], issues)
        train_s, _, _ = run_child(
            [
                *cli,
                "classifier",
                "train",
                labelled,
                "-o",
                model,
                "--label-column",
                "Issue",
                "--label-separator",
                ",",
            ]
        )
        predict_s, _, _ = run_child([*cli, "classifier", "predict", model, source, "-o", predicted])
        lines += [
            f"rightstrack classifier train on {len(issues)} labelled texts (54 labels, cross-validation "
            f"included): {train_s:.0f} s",
            f"rightstrack classifier predict on {len(rows)} texts: {predict_s:.0f} s",
        ]
    print("\n".join(lines))
    if not args.no_write:
        write_section(
            "group",
            f"### Grouping and classifier speed (`bench/group_speed.py`)\n\n"
            f"{date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}.\n\n```\n" + "\n".join(lines) + "\n```\n",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
