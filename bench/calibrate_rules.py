"""Calibrate the confidences of the rule-based suggestions on OHCHR's own labels.

Usage: python bench/calibrate_rules.py [--write]

Labelled data: the Slovenia UPR matrices of cycles 2, 3 and 4 (`../shared/data/raw/
upr-slovenia-docs/thematic-lists`), one row per unique recommendation text, read by
`OhchrMatrixImporter`; legacy names are mapped to the current lists through their successors.
Groups of persons and themes are labelled in all three matrices, SDG goals in cycles 3 and 4.

Held-out reliability: for each matrix in turn, the per-label precisions are estimated on the
other matrices and given as confidences to the suggestions made on it; the pooled (confidence,
right?) pairs make the reliability table (confidence bins against the share OHCHR also gave) and
the expected calibration error, beside those of the constants used before (0.8, 0.7, 0.6).
--write stores the figures estimated on all matrices in
`rightstrack/engine/analyse/calibration.json` (what the engine reads) and the tables in
docs/analysis.md between the rule-calibration markers.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import zlib
from collections import Counter
from datetime import date
from pathlib import Path

from benchdoc import write_section

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rightstrack.engine.analyse import analyse_texts  # noqa: E402
from rightstrack.engine.analyse.calibration import DATA, FORMAT, estimate  # noqa: E402
from rightstrack.engine.taxonomies import find_term  # noqa: E402
from rightstrack.formats import records  # noqa: E402
from rightstrack.formats.importers.ohchr_matrix import OhchrMatrixImporter  # noqa: E402

SHARED = Path(os.environ.get("RIGHTSTRACK_SHARED", ROOT.parent / "shared"))
MATRICES = SHARED / "data" / "raw" / "upr-slovenia-docs" / "thematic-lists"
CYCLES = (2, 3, 4)
TAXONOMIES = (records.GROUPS_OF_PERSONS, records.THEMES, records.SDG_GOALS)
LEGACY = {
    records.GROUPS_OF_PERSONS: "groups_of_persons_legacy",
    records.THEMES: "uhri_themes_legacy",
}
#: The constant each taxonomy's suggestions carried before (the review queue's "before").
CONSTANT = {records.GROUPS_OF_PERSONS: 0.8, records.THEMES: 0.7, records.SDG_GOALS: 0.6}
#: Pseudo suggestions at the taxonomy's pooled precision added to each label's own counts; the
#: one kept is chosen per taxonomy, inside the training matrices only (the lowest Brier score
#: fitting on one and measuring on another). The last stands for the pooled precision alone.
WEIGHTS = (0.0, 2.0, 5.0, 10.0, 20.0, 50.0, 1e6)
BINS = 10
FOLDS = 5


def current_names(taxonomy: str, name: str) -> list[str]:
    """Return the current names a gold label stands for (none for "general" and the like)."""
    if taxonomy == records.SDG_GOALS:
        return [str(int(name))] if name.strip().isdigit() else []
    base = taxonomy if taxonomy in LEGACY else next(k for k, v in LEGACY.items() if v == taxonomy)
    term = find_term(base, name)
    if term is not None:
        return [term.name]
    legacy = find_term(LEGACY[base], name)
    return list(legacy.successors) if legacy is not None else []


def load_cycle(cycle: int) -> list[tuple[str, dict[str, set[str]]]]:
    """Return (text, {taxonomy: gold names}) per unique recommendation of the cycle's matrix."""
    path = next(MATRICES.glob(f"cycle{cycle}_*.docx"))
    rows: dict[str, dict[str, set[str]]] = {}
    for record in OhchrMatrixImporter().read(path):
        if record.text in rows:
            continue
        gold: dict[str, set[str]] = {t: set() for t in TAXONOMIES}
        for label in record.labels:
            base = next((k for k, v in LEGACY.items() if v == label.taxonomy), label.taxonomy)
            if base in gold:
                gold[base].update(current_names(label.taxonomy, label.term))
        rows[record.text] = gold
    return list(rows.items())


def suggestions(cycle_rows: list[tuple[str, dict[str, set[str]]]]) -> list[tuple[str, str, bool]]:
    """Return (taxonomy, label, right?) of every suggestion the rules make on the rows, for the
    taxonomies the matrix labels."""
    labelled = {t for _, gold in cycle_rows for t, names in gold.items() if names}
    results = analyse_texts([text for text, _ in cycle_rows])
    found = []
    for (_, gold), result in zip(cycle_rows, results, strict=True):
        made = {
            records.GROUPS_OF_PERSONS: result.affected_persons,
            records.THEMES: result.themes,
            records.SDG_GOALS: [str(g) for g in result.sdg_goals],
        }
        for taxonomy in TAXONOMIES:
            if taxonomy in labelled:
                found.extend((taxonomy, name, name in gold[taxonomy]) for name in made[taxonomy])
    return found


def suggestions_by_text(
    cycle_rows: list[tuple[str, dict[str, set[str]]]],
) -> dict[str, list[tuple[str, str, bool]]]:
    """Return the suggestions of `suggestions`, per recommendation text."""
    return {text: suggestions([(text, gold)]) for text, gold in cycle_rows}


def fit(found: list[tuple[str, str, bool]]) -> dict[str, dict]:
    """Return per taxonomy its pooled precision and per label (suggested, right)."""
    table: dict[str, dict] = {}
    for taxonomy in TAXONOMIES:
        mine = [(label, right) for t, label, right in found if t == taxonomy]
        if not mine:
            continue
        suggested, right = (
            Counter(label for label, _ in mine),
            Counter(name for name, r in mine if r),
        )
        table[taxonomy] = {
            "pooled": round(sum(right.values()) / len(mine), 4),
            "suggested": len(mine),
            "right": sum(right.values()),
            "labels": {
                label: {"suggested": n, "right": right[label]}
                for label, n in sorted(suggested.items())
            },
        }
    return table


def confidence_of(table: dict[str, dict], taxonomy: str, label: str, weight: float) -> float:
    entry = table[taxonomy]
    figures = entry["labels"].get(label)
    if figures is None:
        return entry["pooled"]
    return estimate(figures["right"], figures["suggested"], entry["pooled"], weight)


def choose_weight(parts: dict[int, list[tuple[str, str, bool]]], taxonomy: str) -> float:
    """Return the weight with the lowest Brier score when each of *parts* is measured with the
    figures of the others (leave one out, inside the training data only)."""
    scores = {}
    for weight in WEIGHTS:
        error, n = 0.0, 0
        for measured in parts:
            table = fit([s for p, found in parts.items() if p != measured for s in found])
            if taxonomy not in table:
                continue
            for t, label, right in parts[measured]:
                if t == taxonomy:
                    error += (confidence_of(table, taxonomy, label, weight) - right) ** 2
                    n += 1
        scores[weight] = error / n if n else 0.0
    return min(WEIGHTS, key=lambda w: (scores[w], -w))


def held_out(parts: dict[int, list[tuple[str, str, bool]]], taxonomy: str) -> tuple[list, list]:
    """Return the (confidence, right?) pairs of every part's suggestions of *taxonomy*, with
    confidences estimated on the other parts, and the weights chosen."""
    pairs, weights = [], []
    for held in parts:
        test = [(label, right) for t, label, right in parts[held] if t == taxonomy]
        others = {p: found for p, found in parts.items() if p != held}
        table = fit([s for found in others.values() for s in found])
        if not test or taxonomy not in table:
            continue
        weight = choose_weight(others, taxonomy)
        weights.append(weight)
        pairs += [(confidence_of(table, taxonomy, label, weight), r) for label, r in test]
    return pairs, weights


def reliability(
    pairs: list[tuple[float, bool]],
) -> tuple[float, list[tuple[float, int, float, float]]]:
    """Return the expected calibration error and the table (bin, n, mean confidence, share
    right) of (confidence, right?) pairs."""
    table, error = [], 0.0
    for b in range(BINS):
        inside = [(c, r) for c, r in pairs if min(int(c * BINS), BINS - 1) == b]
        if not inside:
            continue
        mean = sum(c for c, _ in inside) / len(inside)
        share = sum(r for _, r in inside) / len(inside)
        error += len(inside) / len(pairs) * abs(mean - share)
        table.append((b / BINS, len(inside), mean, share))
    return error, table


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="write calibration.json and docs")
    args = parser.parse_args(argv)
    if not MATRICES.is_dir():
        print(f"skipped: {MATRICES} is absent")
        return 0
    rows = {cycle: load_cycle(cycle) for cycle in CYCLES}
    found = {cycle: suggestions(rows[cycle]) for cycle in CYCLES}
    # The second split: five folds of recommendations drawn across the three matrices (by a
    # hash of the text), so each convention sits on both sides.
    folds: dict[int, list[tuple[str, str, bool]]] = {k: [] for k in range(FOLDS)}
    for cycle in CYCLES:
        made = suggestions_by_text(rows[cycle])
        for text, found_here in made.items():
            folds[zlib.crc32(f"{cycle} {text}".encode()) % FOLDS].extend(found_here)
    lines = []
    for taxonomy in TAXONOMIES:
        labelled = [c for c in CYCLES if any(t == taxonomy for t, _, _ in found[c])]
        precisions = "; ".join(
            f"cycle {c} {sum(r for t, _, r in found[c] if t == taxonomy) / max(1, sum(t == taxonomy for t, _, _ in found[c])):.3f}"
            for c in labelled
        )
        lines.append(f"{taxonomy}: precision of the rules per matrix: {precisions}")
        for split, parts in (
            ("one matrix held out, estimated on the others", {c: found[c] for c in labelled}),
            (f"{FOLDS} folds of recommendations across the matrices", folds),
        ):
            calibrated, weights = held_out(parts, taxonomy)
            constant = [(CONSTANT[taxonomy], r) for _, r in calibrated]
            ece, bins = reliability(calibrated)
            before, _ = reliability(constant)
            brier = sum((c - r) ** 2 for c, r in calibrated) / len(calibrated)
            brier_before = sum((c - r) ** 2 for c, r in constant) / len(constant)
            lines += [
                f"  {split}: {len(calibrated)} suggestions, weights chosen "
                f"{', '.join(f'{w:g}' for w in weights)}",
                f"    expected calibration error {ece:.3f} (constant {CONSTANT[taxonomy]}: "
                f"{before:.3f}), Brier score {brier:.3f} (constant: {brier_before:.3f})",
                "      confidence   suggestions   mean confidence   share OHCHR also gave",
                *(
                    f"      {low:.1f}-{low + 0.1:.1f}      {n:>11}   {mean:>15.3f}   {share:>21.3f}"
                    for low, n, mean, share in bins
                ),
            ]
    print("\n".join(lines))
    if args.write:
        shipped = fit([s for c in CYCLES for s in found[c]])
        for taxonomy, entry in shipped.items():
            entry["weight"] = choose_weight(folds, taxonomy)
        payload = {
            "format": FORMAT,
            "written_by": "bench/calibrate_rules.py --write",
            "date": date.today().isoformat(),
            "source": "OHCHR's labels in the Slovenia UPR matrices, cycles 2, 3 and 4 "
            "(SDG goals: cycles 3 and 4)",
            "taxonomies": shipped,
        }
        DATA.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        write_section(
            "rule-calibration",
            f"Made by `python bench/calibrate_rules.py --write` on {date.today().isoformat()} "
            "(each matrix held out in turn, confidences estimated on the others):\n\n```\n"
            + "\n".join(lines)
            + "\n```\n",
            doc=ROOT / "docs" / "analysis.md",
        )
        print(f"wrote {DATA.relative_to(ROOT)} and docs/analysis.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
