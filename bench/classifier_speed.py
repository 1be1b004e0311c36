"""Time `rightstrack classifier train` on the 22,777 UPR Info texts, beside a floor.

Usage: python bench/classifier_speed.py [--no-write]

Texts: the UPR Info export, sessions 1-13, one row per (State under review, session, text)
(22,777 recommendations, 54 issues). The command runs in a child process with --progress, so
its progress bar is drawn on stderr; its wall time and CPU time (user + system, its processes included)
are printed. The floor, measured in the same run: a plain TF-IDF (word 1-2-grams) and one linear
SVM per label, no cross-validation, no thresholds, no calibration. On a shared machine the wall
time depends on the load, so the one-minute load average is printed before and after each
figure, and the CPU time divided by the cores is the wall time a quiet machine would need for
the parallel part. Target: <= 60 s on 2 cores. Writes docs/benchmarks.md between the
classifier-speed markers unless --no-write.
"""

from __future__ import annotations

import argparse
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

from eval_issues import EXPORT, issues_of, load_upr_info_issues  # noqa: E402

TARGET_SECONDS = 60


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def floor(texts: list[str], labels: list[list[str]]) -> tuple[float, float]:
    """Return wall and CPU seconds of a plain TF-IDF + one LinearSVC per label, in process."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer
    from sklearn.svm import LinearSVC

    started, cpu = time.perf_counter(), time.process_time()
    features = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True).fit_transform(texts)
    y = MultiLabelBinarizer().fit_transform(labels)
    OneVsRestClassifier(LinearSVC(C=0.5)).fit(features, y)
    return time.perf_counter() - started, time.process_time() - cpu


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    if not EXPORT.is_dir():
        print(f"skipped: {EXPORT} is absent")
        return 0
    from rightstrack.formats.tables import write_table

    rows = load_upr_info_issues()
    texts, labels = [r["Text"] for r in rows], [issues_of(r) for r in rows]
    lines = []
    before = load()
    floor_wall, floor_cpu = floor(texts, labels)
    lines.append(
        f"floor, plain TF-IDF word 1-2-grams + one LinearSVC per label on {len(rows)} texts: "
        f"{floor_wall:.1f} s wall, {floor_cpu:.1f} s CPU ({before}; after: {load()})"
    )
    with tempfile.TemporaryDirectory() as folder:
        source, model = os.path.join(folder, "issues.csv"), os.path.join(folder, "issues.model")
        write_table(
            source, ["Text", "Issue"], [{"Text": r["Text"], "Issue": r["Issue"]} for r in rows]
        )
        command = [
            *(sys.executable, "-m", "rightstrack", "classifier", "train", source, "-o", model),
            *("--label-column", "Issue", "--label-separator", ",", "--progress"),
        ]
        before, cpu = load(), children_cpu()
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - started
        cpu = children_cpu() - cpu
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr}")
        summary = result.stdout.strip().splitlines()
    cores = os.cpu_count() or 1
    lines += [
        f"rightstrack classifier train on {len(rows)} texts (54 labels, cross-validation "
        f"included): {wall:.0f} s wall, {cpu:.0f} s CPU over its processes, "
        f"{cpu / cores:.0f} s CPU per core (target <= {TARGET_SECONDS} s on {cores} cores; "
        f"{before}; after: {load()})",
        *(f"  {line.replace(model, 'MODEL')}" for line in summary),
    ]
    print("\n".join(lines))
    if not args.no_write:
        write_section(
            "classifier-speed",
            f"### Classifier training speed (`bench/classifier_speed.py`)\n\n"
            f"{date.today().isoformat()}, {platform.machine()}, {cores} cores shared with other "
            f"work (load averages below), Python {platform.python_version()}.\n\n```\n"
            + "\n".join(lines)
            + "\n```\n",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
