"""Print micro-F1 of groups of persons (and themes, SDG goals) against OHCHR's own labels in
the Slovenia UPR matrices (cycles 2, 3 and 4).

Usage: python bench/eval_persons.py
Patterns were tuned on cycles 2 and 3; cycle 4 is held out. Gold names are mapped to the
current list (legacy crosswalk); "general" carries no group and is dropped.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from slovenia_matrices import parse

from rightstrack.engine.analyse import analyse_texts
from rightstrack.engine.taxonomies import find_term

_VARIANTS = {"migrants & domestic workers": "Migrants", "youth": "Youth & juveniles"}
_STATES = re.compile(r"\s*(?:\([^()]*\)\s*;?\s*)+$")


def current_group(name: str) -> list[str]:
    if name.lower() in _VARIANTS:
        return [_VARIANTS[name.lower()]]
    term = find_term("groups_of_persons", name)
    if term is not None:
        return [term.name]
    legacy = find_term("groups_of_persons_legacy", name)
    return list(legacy.successors) if legacy is not None else []


def clean_text(cell: str) -> str:
    text = re.split(r"Source of position", cell, flags=re.I)[0].strip()
    return _STATES.sub("", text).strip()


def micro(gold: list[set[str]], pred: list[set[str]]) -> tuple[float, float, float]:
    tp = sum(len(g & p) for g, p in zip(gold, pred, strict=True))
    fp = sum(len(p - g) for g, p in zip(gold, pred, strict=True))
    fn = sum(len(g - p) for g, p in zip(gold, pred, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate(cycles: tuple[int, ...], *, drop_public_officials: bool) -> tuple[float, float, float]:
    gold, pred = [], []
    for cycle in cycles:
        recs = parse(cycle)
        results = analyse_texts([clean_text(r["text"]) for r in recs.values()])
        for rec, result in zip(recs.values(), results, strict=True):
            g = {c for name in rec["groups"] for c in current_group(name)}
            p = set(result.affected_persons)
            if drop_public_officials:
                g.discard("Public officials")
                p.discard("Public officials")
            gold.append(g)
            pred.append(p)
    return micro(gold, pred)


def main() -> None:
    for label, cycles in (
        ("cycles 2-3 (tuning)", (2, 3)),
        ("cycle 4 (held out)", (4,)),
        ("all three", (2, 3, 4)),
    ):
        for drop in (False, True):
            p, r, f = evaluate(cycles, drop_public_officials=drop)
            note = "without 'Public officials'" if drop else "all groups"
            print(
                f"groups of persons, {label}, {note}: precision {p:.3f} recall {r:.3f} micro-F1 {f:.3f}"
            )


if __name__ == "__main__":
    main()
