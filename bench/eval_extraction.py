"""Measure extraction against hand-checked gold sets (docs/extraction.md, "Measured").

Usage: python bench/eval_extraction.py [--show-disagreements]

1. Treaty body paragraph selection (bench/gold/co_selection.csv): which paragraphs are
   recommendations, which are selected for follow-up, which are named as urgent; over the 18
   CRPD concluding observations in ../shared/data/raw and our fixtures of the other
   committees (CCPR, CESCR, CAT, CERD, CRC, CEDAW). Precision, recall and F1 over
   (document, paragraph) pairs.
2. Positions read from an older UPR addendum (Slovenia cycle 1, numbered replies) against
   UPR Info's own record of the same responses (upr-info-export-sessions1-20/6-9.csv), each
   UPR Info row matched to our recommendation by its text.
3. OHCHR matrices: every layout fixture read, and the generic reader against the fixed one on
   the real Slovenia matrices.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rightstrack.conftest import SHARED_RAW  # noqa: E402
from rightstrack.formats.exceptions import InputError  # noqa: E402
from rightstrack.formats.extract import extract_document  # noqa: E402

GOLD = ROOT / "bench" / "gold" / "co_selection.csv"
FIXTURES = ROOT / "rightstrack" / "formats" / "tests" / "fixtures" / "extract"


def _path(document: str) -> Path:
    kind, name = document.split(":", 1)
    return (SHARED_RAW / name) if kind == "shared" else (FIXTURES / name)


def _prf(gold: set, found: set) -> tuple[float, float, float]:
    tp = len(gold & found)
    p = tp / len(found) if found else 1.0
    r = tp / len(gold) if gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def treaty_bodies(show: bool) -> None:
    rows = list(csv.DictReader(GOLD.open(encoding="utf-8")))
    by_document: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_document[row["document"]].append(row)
    groups: dict[str, dict[str, tuple[set, set]]] = defaultdict(
        lambda: {k: (set(), set()) for k in ("recommendation", "follow_up", "urgent")}
    )
    for document, gold_rows in sorted(by_document.items()):
        path = _path(document)
        if not path.exists():
            print(f"skip {document}: absent")
            continue
        group = "CRPD (shared data)" if document.startswith("shared:") else "other bodies (ours)"
        try:
            records = extract_document(path)
        except InputError as exc:
            print(f"  refused {document}: {exc}")
            records = []
        for key in ("recommendation", "follow_up", "urgent"):
            gold = {
                (document, r["paragraph"])
                for r in gold_rows
                if key == "recommendation" or r[key] == "1"
            }
            found = {
                (document, r.paragraph)
                for r in records
                if key == "recommendation" or getattr(r, key, False)
            }
            groups[group][key][0].update(gold)
            groups[group][key][1].update(found)
            groups["all"][key][0].update(gold)
            groups["all"][key][1].update(found)
            if show and gold != found:
                print(
                    f"  {document} {key}: missed {sorted(gold - found)} extra {sorted(found - gold)}"
                )
    print("Treaty body paragraph selection (precision / recall / F1):")
    print("| documents | what | gold | found | precision | recall | F1 |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for group in ("CRPD (shared data)", "other bodies (ours)", "all"):
        for key, (gold, found) in groups[group].items():
            p, r, f = _prf(gold, found)
            print(f"| {group} | {key} | {len(gold)} | {len(found)} | {p:.3f} | {r:.3f} | {f:.3f} |")


def upr_cycle1_positions(show: bool) -> None:
    from rapidfuzz import fuzz

    base = SHARED_RAW / "upr-slovenia-docs"
    export = SHARED_RAW / "upr-info-terman" / "upr-info-export-sessions1-20" / "6-9.csv"
    report = base / "wg-reports" / "A_HRC_14_15_cycle1.pdf"
    addendum = base / "addenda-responses" / "A_HRC_14_15_Add1_cycle1.pdf"
    if not (export.exists() and report.exists() and addendum.exists()):
        print("skip UPR cycle 1 positions: files absent")
        return
    records = extract_document(report, positions=addendum)
    text = export.read_text(encoding="utf-8", errors="replace")
    theirs = [r for r in csv.DictReader(io.StringIO(text)) if r["To"] == "Slovenia"]
    wanted = {"Accepted": "supported", "Noted": "noted"}
    exact = in_part = wrong = 0
    for row in theirs:
        ours = max(
            records, key=lambda r: fuzz.partial_ratio(row["Text"].lower()[:150], r.text.lower())
        )
        if ours.position == wanted.get(row["Response"]):
            exact += 1
        elif ours.position == "supported_in_part":
            in_part += 1
        else:
            wrong += 1
            if show:
                print(f"  {ours.paragraph}: ours {ours.position!r}, UPR Info {row['Response']!r}")
    with_position = sum(1 for r in records if r.position)
    print(
        f"UPR cycle 1 (Slovenia, A/HRC/14/15 + Add.1): {len(records)} recommendations, "
        f"{with_position} with a position; against UPR Info's {len(theirs)} rows: {exact} equal, "
        f"{in_part} ours 'supported in part' (theirs accepted or noted), {wrong} different"
    )


def matrices() -> None:
    from rightstrack.formats.extract.matrix import read_matrix
    from rightstrack.formats.importers.ohchr_matrix import OhchrMatrixImporter

    for path in sorted(FIXTURES.glob("matrix_*.docx")):
        records = extract_document(path)
        print(f"matrix fixture {path.name}: {len(records)} recommendations")
    for path in sorted((SHARED_RAW / "upr-slovenia-docs" / "thematic-lists").glob("*.docx")):
        same = read_matrix(path) == list(OhchrMatrixImporter().read(path))
        print(f"{path.name}: generic reader {'equal to' if same else 'DIFFERS from'} the importer")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-disagreements", action="store_true")
    args = parser.parse_args()
    treaty_bodies(args.show_disagreements)
    upr_cycle1_positions(args.show_disagreements)
    matrices()
    return 0


if __name__ == "__main__":
    sys.exit(main())
