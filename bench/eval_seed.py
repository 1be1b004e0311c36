"""The seed's comparison, measured: concrete action, rights-holders stated, level of detail.

Usage: python bench/eval_seed.py [--show-errors] [--mechanism upr|treaty_body|special_procedures]

The gold set bench/gold/seed_comparison.csv (206 recommendations: 60 CRPD paragraphs and 130
Slovenia UPR recommendations from ../shared/data/raw, 16 special procedures paragraphs of our
own fixtures) holds, per recommendation, the document, the paragraph and the labels given by
hand (concrete action, rights-holders stated, detail flags, protection relevance) against
docs/codebook.md; the texts are read from the documents at run time. Prints, per
mechanism, the accuracy of `concrete_action` and `rights_holders_stated` and the micro-F1 of
the detail flags (legal_reference, timeline, budget, indicator, benchmark), with the per-flag
precision and recall; --show-errors prints each disagreement with the deciding words.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rightstrack.conftest import SHARED_RAW  # noqa: E402
from rightstrack.engine.analyse import analyse_texts  # noqa: E402
from rightstrack.formats.extract import extract_document  # noqa: E402

GOLD = ROOT / "bench" / "gold" / "seed_comparison.csv"
FIXTURES = ROOT / "rightstrack" / "formats" / "tests" / "fixtures" / "extract"
FLAGS = ("legal_reference", "timeline", "budget", "indicator", "benchmark")


def _path(source: str) -> Path:
    kind, name = source.split(":", 1)
    return SHARED_RAW / name if kind == "shared" else FIXTURES / name


def load() -> list[dict[str, str]]:
    rows = list(csv.DictReader(GOLD.open(encoding="utf-8")))
    texts: dict[str, dict[str, str]] = {}
    for row in rows:
        source = row["source"]
        if source not in texts:
            path = _path(source)
            texts[source] = (
                {r.paragraph: r.text for r in extract_document(path)} if path.exists() else {}
            )
        row["text"] = texts[source].get(row["paragraph"], "")
    missing = [r for r in rows if not r["text"]]
    if missing:
        print(f"{len(missing)} gold rows without a text (documents absent?)", file=sys.stderr)
    return [r for r in rows if r["text"]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--mechanism", default="")
    parser.add_argument(
        "--vocabulary",
        default="",
        help="a State's own words for groups of persons (CSV group,word|word), e.g. "
        "bench/gold/vocabulary_slovenia.csv",
    )
    args = parser.parse_args()
    rows = [r for r in load() if not args.mechanism or r["mechanism"] == args.mechanism]
    from rightstrack.engine.analyse.persons import load_vocabulary

    vocabulary = load_vocabulary(args.vocabulary) if args.vocabulary else None
    results = analyse_texts([r["text"] for r in rows], vocabulary=vocabulary)
    tallies: dict[str, Counter[str]] = defaultdict(Counter)
    flags: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for row, result in zip(rows, results, strict=True):
        for group in (row["mechanism"], "all"):
            t = tallies[group]
            t["n"] += 1
            t["concrete"] += int(result.concrete_action) == int(row["concrete_action"])
            t["holders"] += int(result.rights_holders_stated) == int(row["rights_holders_stated"])
            gold_p, found_p = row["protection_relevant"] == "1", result.protection_relevant
            t["p_tp"] += gold_p and found_p
            t["p_fp"] += found_p and not gold_p
            t["p_fn"] += gold_p and not found_p
            gold = set(filter(None, row["detail"].split(";")))
            found = set(result.detail)
            for flag in FLAGS:
                c = flags[group][flag]
                c["tp"] += flag in gold and flag in found
                c["fp"] += flag in found and flag not in gold
                c["fn"] += flag in gold and flag not in found
        if args.show_errors:
            wrong = []
            if int(result.concrete_action) != int(row["concrete_action"]):
                wrong.append(
                    f"concrete {int(result.concrete_action)} (gold {row['concrete_action']})"
                )
            if int(result.rights_holders_stated) != int(row["rights_holders_stated"]):
                wrong.append(
                    f"holders {int(result.rights_holders_stated)} "
                    f"(gold {row['rights_holders_stated']})"
                )
            gold = set(filter(None, row["detail"].split(";")))
            if gold != set(result.detail):
                wrong.append(f"detail {sorted(result.detail)} (gold {sorted(gold)})")
            if (row["protection_relevant"] == "1") != result.protection_relevant:
                wrong.append(
                    f"protection {int(result.protection_relevant)} "
                    f"(gold {row['protection_relevant']})"
                )
            if wrong:
                print(
                    f"#{row['id']} {row['document_symbol']} {row['paragraph']}: " + "; ".join(wrong)
                )
                print(f"    {row['text'][:300]}")
                print("    reasons: " + " | ".join(result.reasons[1:]))
    print(
        "| mechanism | n | concrete action (accuracy) | rights-holders stated (accuracy) "
        "| detail flags (micro-F1) |"
    )
    print("|---|---:|---:|---:|---:|")
    for group in ("treaty_body", "upr", "special_procedures", "all"):
        t = tallies.get(group)
        if not t:
            continue
        tp = sum(c["tp"] for c in flags[group].values())
        fp = sum(c["fp"] for c in flags[group].values())
        fn = sum(c["fn"] for c in flags[group].values())
        f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
        print(
            f"| {group} | {t['n']} | {t['concrete'] / t['n']:.3f} | {t['holders'] / t['n']:.3f} "
            f"| {f1:.3f} |"
        )
    t = tallies["all"]
    p = t["p_tp"] / (t["p_tp"] + t["p_fp"]) if t["p_tp"] + t["p_fp"] else 1.0
    r = t["p_tp"] / (t["p_tp"] + t["p_fn"]) if t["p_tp"] + t["p_fn"] else 1.0
    print(
        f"\nprotection relevant: {t['p_tp'] + t['p_fn']} in the gold set, "
        f"precision {p:.3f}, recall {r:.3f}"
    )
    print("\n| flag | gold | precision | recall |")
    print("|---|---:|---:|---:|")
    for flag in FLAGS:
        c = flags["all"][flag]
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        print(f"| {flag} | {c['tp'] + c['fn']} | {p:.3f} | {r:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
