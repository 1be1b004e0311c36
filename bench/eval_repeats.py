"""Precision and recall of "repeats" against a hand-checked set of 205 pairs.

Usage: python bench/eval_repeats.py [--method lexical] [--threshold T] [--show-errors]

The set (`bench/gold/repeats.csv`: later id, earlier id, same 1/0; drawn by
`bench/repeats_pairs.py`, see there and docs/analysis.md for how) pairs Slovenia's
recommendations across UPR cycles 1-4 and with the CRPD's 2018 concluding observations.
Two answers are measured:
- "linked": `find_repeats(earlier set, later set)` links the later recommendation to that
  earlier one (each later one gets its single most similar earlier one at or above the
  threshold, as `mark_repeats` stores it);
- "related": the pair's own similarity reaches the threshold (the later one may be linked to
  another, equally good, earlier one).
The default threshold was chosen on the pairs whose later recommendation is of UPR cycle 2 or
3 ("chosen on"); the pairs of cycle 4 and the CRPD ("held out") were not looked at to choose it.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from repeats_pairs import PLAN, load_sets  # noqa: E402

from rightstrack.engine.cluster import find_repeats  # noqa: E402
from rightstrack.engine.cluster.grouping import REPEAT_THRESHOLDS  # noqa: E402
from rightstrack.engine.cluster.vectors import vectorise  # noqa: E402

GOLD = ROOT / "bench" / "gold" / "repeats.csv"


def evaluate(method: str = "lexical", threshold: float | None = None):  # type: ignore[no-untyped-def]
    """Return (rows, linked, similarity) for the gold rows whose texts are present."""
    threshold = REPEAT_THRESHOLDS[method] if threshold is None else threshold
    sets = load_sets()
    rows = list(csv.DictReader(GOLD.open(encoding="utf-8")))
    linked: dict[tuple[str, str], str] = {}
    similarity: dict[tuple[str, str], float] = {}
    for later_name, earlier_names, _ in dict.fromkeys(PLAN):
        if later_name not in sets or any(e not in sets for e in earlier_names):
            continue
        later = sorted(sets[later_name].items())
        earlier = sorted(item for e in earlier_names for item in sets[e].items())
        key = (later_name, ",".join(earlier_names))
        for pair in find_repeats(earlier, later, threshold=threshold, method=method):
            linked[(key[0] + "|" + key[1], pair.later_id)] = pair.earlier_id
        vectors = vectorise(
            [t for _, t in earlier] + [t for _, t in later], method=method, pairs=False
        )
        index = {k: i for i, (k, _) in enumerate(earlier)}
        index.update({k: len(earlier) + i for i, (k, _) in enumerate(later)})
        for row in rows:
            a, b = row["later"], row["earlier"]
            if (
                a.split(":")[0] == later_name
                and b.split(":")[0] in earlier_names
                and a in index
                and b in index
            ):
                m = vectors.matrix
                s = m[index[a]] @ m[index[b]].T
                s = float(s.toarray()[0, 0] if hasattr(s, "toarray") else s[0])
                similarity[(a, b)] = max(similarity.get((a, b), 0.0), s)
                if linked.get((key[0] + "|" + key[1], a)) == b:
                    similarity[("linked", a, b)] = 1.0  # type: ignore[index]
    present = [r for r in rows if (r["later"], r["earlier"]) in similarity]
    is_linked = {
        (r["later"], r["earlier"]): ("linked", r["later"], r["earlier"]) in similarity
        for r in present
    }
    return present, is_linked, similarity, threshold


def _kind(row: dict[str, str], kind: str) -> bool:
    crpd = "crpd" in row["later"] + row["earlier"]
    dev = row["later"].split(":")[0] in ("upr2", "upr3")
    return {
        "all": True,
        "across cycles": not crpd,
        "across mechanisms": crpd,
        "chosen on": dev,
        "held out": not dev,
    }[kind]


def _pr(rows, predicted) -> tuple[int, int, int, float, float]:  # type: ignore[no-untyped-def]
    tp = sum(1 for r in rows if r["same"] == "1" and predicted[(r["later"], r["earlier"])])
    fp = sum(1 for r in rows if r["same"] == "0" and predicted[(r["later"], r["earlier"])])
    fn = sum(1 for r in rows if r["same"] == "1" and not predicted[(r["later"], r["earlier"])])
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return tp, fp, fn, p, r


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", default="lexical", choices=sorted(REPEAT_THRESHOLDS))
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    rows, is_linked, similarity, threshold = evaluate(args.method, args.threshold)
    if not rows:
        print("no gold pairs with texts: ../shared/data absent")
        return 0
    same = sum(1 for r in rows if r["same"] == "1")
    print(f"repeats, {args.method} at {threshold:.2f}: {len(rows)} pairs, {same} the same")
    related = {
        (r["later"], r["earlier"]): similarity[(r["later"], r["earlier"])] >= threshold
        for r in rows
    }
    for name, predicted in (("linked", is_linked), ("related", related)):
        for kind in ("all", "across cycles", "across mechanisms", "chosen on", "held out"):
            subset = [r for r in rows if _kind(r, kind)]
            tp, fp, fn, p, r = _pr(subset, predicted)
            print(
                f"  {name:8s} {kind:18s} n {len(subset):3d}: precision {p:.3f} recall {r:.3f} (tp {tp}, fp {fp}, fn {fn})"
            )
    if args.show_errors:
        for r in rows:
            key = (r["later"], r["earlier"])
            gold = r["same"] == "1"
            if gold != is_linked[key]:
                print(
                    f"  {'missed' if gold else 'extra '} #{r['id']} {key[0]} ~ {key[1]} similarity {similarity[key]:.3f}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
