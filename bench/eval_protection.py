"""Protection relevance against a hand-checked set: precision and recall.

Usage: python bench/eval_protection.py [--show-errors] [--vocabulary CSV]

The set (`bench/gold/protection.csv`, ids and labels only; the texts are read from the
documents in ../shared/data) was drawn by `bench/protection_pool.py` from documents no other
gold set uses, UPR Working Group reports of nine States and five CRPD concluding observations,
and labelled by hand after the codebook (docs/codebook.md, protection_relevant). The rules were
revised once after reading this development set's errors; `--test` reads the test set
(`bench/gold/protection_test.csv`: six other CRPD concluding observations and the 2014 UPR
reports), drawn and labelled after that revision and never used to change the rules.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from protection_pool import texts_of  # noqa: E402

from rightstrack.engine.analyse import analyse_texts  # noqa: E402

GOLD = ROOT / "bench" / "gold" / "protection.csv"
GOLD_TEST = ROOT / "bench" / "gold" / "protection_test.csv"


def load(test: bool = False) -> list[dict[str, str]]:
    rows = list(csv.DictReader((GOLD_TEST if test else GOLD).open(encoding="utf-8")))
    texts = texts_of(rows)
    for row in rows:
        row["text"] = texts.get((row["source"], row["paragraph"]), "")
    missing = [r for r in rows if not r["text"]]
    if missing:
        print(f"{len(missing)} gold rows without a text (documents absent?)", file=sys.stderr)
    return [r for r in rows if r["text"]]


def scores(rows, predicted) -> dict[str, tuple[int, int, int, int]]:  # type: ignore[no-untyped-def]
    """mechanism -> (n, true positives, false positives, false negatives); "all" too."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row, pred in zip(rows, predicted, strict=True):
        gold = row["protection_relevant"] == "1"
        for key in (row["mechanism"], "all"):
            c = out[key]
            c[0] += 1
            c[1] += gold and pred
            c[2] += pred and not gold
            c[3] += gold and not pred
    return {k: tuple(v) for k, v in out.items()}  # type: ignore[misc]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--vocabulary", default="", help="a State's own words (CSV group,words)")
    parser.add_argument(
        "--test", action="store_true", help="the test set (drawn after the rules were revised)"
    )
    args = parser.parse_args()
    rows = load(args.test)
    if not rows:
        print("no gold rows with a text: ../shared/data absent")
        return 0
    vocabulary = None
    if args.vocabulary:
        from rightstrack.engine.analyse.persons import load_vocabulary

        vocabulary = load_vocabulary(args.vocabulary)
    results = analyse_texts([r["text"] for r in rows], vocabulary=vocabulary)
    predicted = [r.protection_relevant for r in results]
    for key, (n, tp, fp, fn) in sorted(scores(rows, predicted).items()):
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        print(
            f"protection relevance, {key}: n {n}, relevant {tp + fn}, precision {p:.3f} recall {r:.3f}"
        )
    if args.show_errors:
        for row, pred, res in zip(rows, predicted, results, strict=True):
            gold = row["protection_relevant"] == "1"
            if gold != pred:
                why = next((x for x in res.reasons if x.startswith("protection")), "")
                print(
                    f"{'missed' if gold else 'extra '} #{row['id']} {row['source'].split('/')[-1]} "
                    f"{row['paragraph']}: {' '.join(row['text'].split())[:200]} [{why}]"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
