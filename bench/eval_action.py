"""Print the action-category figures on held-out UPR Info sessions, and the groups-of-persons
figures on the OHCHR Slovenia matrices.

Usage: python bench/eval_action.py

Protocol (docs/analysis.md): settings chosen on sessions 9-10 (trained on 1-8); the figure is
measured on sessions 11-13 with a model trained here, in memory, on sessions 1-10 only, so
sessions 11-13 are never used for training or tuning. (The shipped weights are trained with the
same settings on sessions 1-13.) Rows are deduplicated by (State under review, session, text).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from train_action_model import train_model_json
from upr_info_data import load_upr_info, split_sessions

from rightstrack.engine.analyse.action import classify_actions
from rightstrack.engine.analyse.model import model_from_json

LABELS = ["1", "2", "3", "4", "5"]


def figures(gold: list[str], pred: list[str]) -> tuple[float, float]:
    accuracy = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)
    f1s = []
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(p == label != g for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label != p for g, p in zip(gold, pred, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return accuracy, sum(f1s) / len(f1s)


def confusion(gold: list[str], pred: list[str]) -> str:
    counts = Counter(zip(gold, pred, strict=True))
    lines = ["gold\\pred " + " ".join(f"{p:>5}" for p in LABELS)]
    lines += [f"{g:>9} " + " ".join(f"{counts[(g, p)]:>5}" for p in LABELS) for g in LABELS]
    return "\n".join(lines)


def evaluate_action() -> None:
    rows = load_upr_info()
    held_out_model = model_from_json(train_model_json(rows, 1, 10))
    for name, low, high in (("sessions 11-13 (held out)", 11, 13),):
        part = split_sessions(rows, low, high)
        texts = [r["Text"] for r in part]
        gold = [r["Action"] for r in part]
        rules = [str(r.category) for r in classify_actions(texts, use_model=False)]
        combined_results = classify_actions(texts, model=held_out_model)
        combined = [str(r.category) for r in combined_results]
        print(f"action category, {name}: n={len(part)}")
        for label, pred in (("rules only", rules), ("rules + model", combined)):
            acc, macro = figures(gold, pred)
            print(f"  {label:<14} accuracy {acc:.4f}  macro-F1 {macro:.4f}")
        if low == 11:
            print(confusion(gold, combined))


if __name__ == "__main__":
    evaluate_action()
    from eval_persons import main as evaluate_persons

    evaluate_persons()
