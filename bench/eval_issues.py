"""Measure the trainable classifier on UPR Info issues: train on sessions 1-10, test on 11-13.

Usage: python bench/eval_issues.py [--train-max-session 10] [--test-sessions 11-13] [--write]

The UPR Info export has one row per co-sponsor; rows are deduplicated on (State under review,
session, text). Sessions 11-13 are never used for training or tuning: the per-label thresholds
and the calibration come from cross-validation on the training sessions only. --write puts the
figures, the calibration of the confidences and the train/predict speed into docs/benchmarks.md
between the classifier markers.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import resource
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from benchdoc import write_section

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rightstrack.conftest import SHARED_RAW  # noqa: E402
from rightstrack.engine.classify.tfidf_linear import TfidfLinearClassifier  # noqa: E402

EXPORT = SHARED_RAW / "upr-info-terman" / "upr-info-export-sessions1-20"
FILES = ("1-5.csv", "6-9.csv", "10-13.csv")


def load_upr_info_issues() -> list[dict[str, str]]:
    """Return the UPR Info rows of sessions 1-13, one per (To, Session, Text)."""
    rows: dict[tuple[str, str, str], dict[str, str]] = {}
    for name in FILES:
        text = (EXPORT / name).read_bytes().decode("latin-1")
        for row in csv.DictReader(io.StringIO(text, newline="")):
            rows.setdefault((row["To"], row["Session"], row["Text"]), row)
    return list(rows.values())


def issues_of(row: dict[str, str]) -> list[str]:
    return [i.strip() for i in row["Issue"].split(",") if i.strip()]


def evaluate(train_max: int, test_range: tuple[int, int]) -> dict[str, Any]:
    from sklearn.metrics import f1_score

    rows = load_upr_info_issues()
    train = [r for r in rows if int(r["Session"]) <= train_max]
    test = [r for r in rows if test_range[0] <= int(r["Session"]) <= test_range[1]]
    model = TfidfLinearClassifier(multi_label=True)

    started, cpu = time.perf_counter(), _cpu()
    load_before = os.getloadavg()[0]
    cv = model.fit([r["Text"] for r in train], [issues_of(r) for r in train])
    train_seconds = time.perf_counter() - started
    train_cpu = _cpu() - cpu
    load_after = os.getloadavg()[0]
    started = time.perf_counter()
    predictions = model.predict([r["Text"] for r in test])
    predict_seconds = time.perf_counter() - started

    truth = model._binarise([issues_of(r) for r in test])
    predicted = model._binarise([p.labels for p in predictions])
    present = truth.sum(axis=0) > 0
    confidences = model._confidences(model.scores([r["Text"] for r in test]))
    return {
        "calibration": calibration(confidences, truth),
        "shown_calibration": calibration(confidences[predicted == 1], truth[predicted == 1]),
        "train_rows": len(train),
        "test_rows": len(test),
        "labels": len(model.labels),
        "cv_micro_f1": cv.micro_f1,
        "cv_macro_f1": cv.macro_f1,
        "micro_f1": float(f1_score(truth, predicted, average="micro")),
        "macro_f1": float(f1_score(truth[:, present], predicted[:, present], average="macro")),
        "empty_predictions": sum(1 for p in predictions if not p.labels),
        "train_seconds": train_seconds,
        "train_cpu": train_cpu,
        "folds": cv.folds,
        "load": (load_before, load_after),
        "predict_seconds": predict_seconds,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_mib": _worker_peak_mib(),
    }


def _cpu() -> float:
    """Return the CPU seconds of this process and its ended children (the label processes
    count once the executor has shut down)."""
    from joblib.externals.loky import get_reusable_executor

    get_reusable_executor().shutdown(wait=True)
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


def calibration(confidences: Any, truth: Any, bins: int = 10) -> dict[str, Any]:
    """Return the expected calibration error, the Brier score and a reliability table
    (bin, pairs, mean confidence, share true) of (text, label) *confidences* against *truth*."""
    import numpy as np

    confidences, truth = np.ravel(confidences), np.ravel(truth).astype(float)
    which = np.minimum((confidences * bins).astype(int), bins - 1)
    table, error = [], 0.0
    for b in range(bins):
        inside = which == b
        if not inside.any():
            continue
        mean, share = float(confidences[inside].mean()), float(truth[inside].mean())
        error += inside.sum() / len(confidences) * abs(mean - share)
        table.append((b / bins, int(inside.sum()), mean, share))
    brier = float(np.mean((confidences - truth) ** 2))
    return {"ece": error, "brier": brier, "table": table}


def _worker_peak_mib() -> float:
    """Return the peak memory of the largest worker process, once they have all ended."""
    from joblib.externals.loky import get_reusable_executor

    get_reusable_executor().shutdown(wait=True)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _calibration_lines(figures: dict[str, Any]) -> list[str]:
    every, shown = figures["calibration"], figures["shown_calibration"]
    lines = [
        f"  calibration, every (text, label) pair: expected calibration error {every['ece']:.3f},"
        f" Brier score {every['brier']:.3f}",
        f"  calibration, the labels given (what a person sees): expected calibration error "
        f"{shown['ece']:.3f}, Brier score {shown['brier']:.3f}",
        "    confidence   labels given   mean confidence   share right",
    ]
    lines += [
        f"    {low:.1f}-{low + 0.1:.1f}      {n:>12}   {mean:>15.3f}   {share:>11.3f}"
        for low, n, mean, share in shown["table"]
    ]
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--train-max-session", type=int, default=10)
    parser.add_argument("--test-sessions", default="11-13")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    if not EXPORT.is_dir():
        print(f"skipped: {EXPORT} is absent")
        return 0
    low, high = (int(s) for s in args.test_sessions.split("-"))
    figures = evaluate(args.train_max_session, (low, high))
    lines = [
        f"UPR Info issues, train sessions 1-{args.train_max_session} "
        f"({figures['train_rows']} recommendations, {figures['labels']} labels), "
        f"test sessions {low}-{high} ({figures['test_rows']}):",
        f"  held-out micro-F1 {figures['micro_f1']:.3f}  macro-F1 {figures['macro_f1']:.3f}"
        f"  (target 0.90 / 0.80)",
        f"  cross-validated on training sessions: micro-F1 {figures['cv_micro_f1']:.3f}"
        f"  macro-F1 {figures['cv_macro_f1']:.3f}",
        f"  texts with no predicted label: {figures['empty_predictions']}",
        *_calibration_lines(figures),
        f"  train {figures['train_seconds']:.0f} s wall, {figures['train_cpu']:.0f} s CPU "
        f"({figures['folds']}-fold CV included; one-minute load average "
        f"{figures['load'][0]:.2f} before, {figures['load'][1]:.2f} after, on a shared "
        f"machine), predict "
        f"{figures['predict_seconds']:.1f} s, peak memory {figures['peak_mib']:.0f} MiB "
        f"(and {figures['worker_peak_mib']:.0f} MiB in the largest of the processes that fit "
        "labels in parallel)",
    ]
    print("\n".join(lines))
    if args.write:
        write_section(
            "classifier",
            f"### Classifier (`bench/eval_issues.py --write`)\n\n"
            f"{date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}.\n\n```\n" + "\n".join(lines) + "\n```\n",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
