"""Print micro-F1 of groups of persons against OHCHR's own labels in the Slovenia UPR matrices
(cycles 2, 3 and 4).

Usage: python bench/eval_persons.py

Counting (docs/analysis.md): one row per unique recommendation text of each matrix, read by
`OhchrMatrixImporter`; gold names are mapped to the current list (legacy names through their
successors, "general" carries no group); micro-F1 over all (recommendation, group) pairs.
The main figure is cycle 4 with every group (the current UHRI convention, which tags "Public
officials" on 253 of 254 rows); each cycle is also printed without "Public officials" on both
sides. The implication rules follow the cycle-4 convention and were revised after reading
cycle-4 errors, so cycle 4 is a tuning figure, not a held-out one.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rightstrack.engine.analyse import analyse_texts
from rightstrack.engine.taxonomies import find_term
from rightstrack.formats.importers.ohchr_matrix import OhchrMatrixImporter

SHARED = Path(os.environ.get("RIGHTSTRACK_SHARED", Path(__file__).resolve().parents[2] / "shared"))
MATRICES = SHARED / "data" / "raw" / "upr-slovenia-docs" / "thematic-lists"
PUBLIC_OFFICIALS = "Public officials"


def current_groups(taxonomy: str, name: str) -> list[str]:
    term = find_term("groups_of_persons", name)
    if term is not None:
        return [term.name]
    legacy = find_term("groups_of_persons_legacy", name)
    if legacy is None:
        raise SystemExit(f"group name not in the taxonomies: {name!r} ({taxonomy})")
    return list(legacy.successors)


def load_cycle(cycle: int) -> list[tuple[str, set[str]]]:
    """Return (text, gold groups) per unique recommendation of the cycle's matrix."""
    path = next(MATRICES.glob(f"cycle{cycle}_*.docx"))
    rows: dict[str, set[str]] = {}
    for record in OhchrMatrixImporter().read(path):
        if record.text in rows:
            continue
        rows[record.text] = {
            group
            for label in record.labels
            if label.taxonomy in ("groups_of_persons", "groups_of_persons_legacy")
            for group in current_groups(label.taxonomy, label.term)
        }
    return list(rows.items())


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
        rows = load_cycle(cycle)
        results = analyse_texts([text for text, _ in rows])
        for (_, groups), result in zip(rows, results, strict=True):
            g, p = set(groups), set(result.affected_persons)
            if drop_public_officials:
                g.discard(PUBLIC_OFFICIALS)
                p.discard(PUBLIC_OFFICIALS)
            gold.append(g)
            pred.append(p)
    return micro(gold, pred)


def main() -> None:
    for label, cycles in (
        ("cycle 2", (2,)),
        ("cycle 3", (3,)),
        ("cycle 4 (current convention)", (4,)),
        ("all three", (2, 3, 4)),
    ):
        for drop in (True, False):
            p, r, f = evaluate(cycles, drop_public_officials=drop)
            note = "without 'Public officials'" if drop else "all groups"
            print(
                f"groups of persons, {label}, {note}: precision {p:.3f} recall {r:.3f} micro-F1 {f:.3f}"
            )


if __name__ == "__main__":
    main()
