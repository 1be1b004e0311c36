"""Measure the grouping on real recommendations: UPR Info sessions 1 and 13, Slovenia cycles 2-4.

Usage: python bench/eval_grouping.py [--method lexical] [--threshold T] [--sample N]

1. Repeats across cycles (UPR Info): the States reviewed in session 1 (2008) were reviewed again
   in session 13 (2012). For each, `find_repeats(session 1, session 13)` pairs later
   recommendations with earlier ones. Label agreement: the share of pairs whose UPR Info issues
   overlap (a pair asking for the same thing should share an issue; the converse need not hold).
2. Groups across States (UPR Info session 13): `group_texts` on all recommendations of a State
   under review; agreement = share of member pairs sharing an issue, and the number of groups
   that join recommendations from different recommending States.
3. Slovenia's OHCHR matrices (cycles 2, 3, 4): groups over all three cycles; how many join
   cycles, and the share of member pairs sharing an OHCHR theme.
--sample N prints N seeded random cross-cycle pairs of each data set to judge by hand.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rightstrack.conftest import SHARED_RAW  # noqa: E402
from rightstrack.engine.cluster import find_repeats, group_texts  # noqa: E402

UPR_INFO = SHARED_RAW / "upr-info-terman" / "upr-info-export-sessions1-20"
SLOVENIA = SHARED_RAW / "upr-slovenia-docs" / "thematic-lists"


def upr_info_rows() -> list[dict[str, str]]:
    rows: dict[tuple[str, str, str], dict[str, str]] = {}
    for name in ("1-5.csv", "10-13.csv"):
        text = (UPR_INFO / name).read_bytes().decode("latin-1")
        for row in csv.DictReader(io.StringIO(text, newline="")):
            key = (row["To"], row["Session"], row["Text"].strip())
            if key in rows:
                rows[key]["From"] += f", {row['From']}"
            else:
                rows[key] = dict(row)
    return list(rows.values())


def issues(row: dict[str, str]) -> set[str]:
    return {i.strip() for i in row["Issue"].split(",") if i.strip()}


def pair_agreement(pairs: list[tuple[set[str], set[str]]]) -> float:
    return sum(1 for a, b in pairs if a & b) / len(pairs) if pairs else float("nan")


def repeats_across_cycles(args: argparse.Namespace, rows: list[dict[str, str]]) -> list[str]:
    first = [r for r in rows if r["Session"] == "1"]
    second = [r for r in rows if r["Session"] == "13"]
    states = sorted({r["To"] for r in first} & {r["To"] for r in second})
    found, agreeing, later_total, shuffled_agreement = [], 0, 0, []
    rng = random.Random(0)
    for state in states:
        earlier = [r for r in first if r["To"] == state]
        later = [r for r in second if r["To"] == state]
        later_total += len(later)
        pairs = find_repeats(
            [(str(i), r["Text"]) for i, r in enumerate(earlier)],
            [(str(i), r["Text"]) for i, r in enumerate(later)],
            threshold=args.threshold,
            method=args.method,
        )
        for p in pairs:
            a, b = later[int(p.later_id)], earlier[int(p.earlier_id)]
            found.append((state, b, a, p.similarity))
            agreeing += bool(issues(a) & issues(b))
            # Chance level: the same later text against a random earlier one of that State.
            shuffled_agreement.append(bool(issues(a) & issues(rng.choice(earlier))))
    lines = [
        f"UPR Info, {len(states)} States reviewed in sessions 1 and 13: {len(found)} of "
        f"{later_total} session-13 recommendations flagged as repeats of session 1",
        f"  flagged pairs sharing a UPR Info issue: {agreeing / max(1, len(found)):.3f} "
        f"(chance, random earlier recommendation of the same State: "
        f"{sum(shuffled_agreement) / max(1, len(shuffled_agreement)):.3f})",
    ]
    if args.sample:
        lines.append("  sample of flagged pairs (similarity | session 1 | session 13):")
        for state, b, a, sim in random.Random(1).sample(found, min(args.sample, len(found))):
            lines.append(f"  - {sim:.2f} | {state} | {b['Text'][:150]} || {a['Text'][:150]}")
    return lines


def groups_across_states(args: argparse.Namespace, rows: list[dict[str, str]]) -> list[str]:
    session = [r for r in rows if r["Session"] == "13"]
    pairs, grouped, multi_state, groups_total = [], 0, 0, 0
    for state in sorted({r["To"] for r in session}):
        mine = [r for r in session if r["To"] == state]
        for group in group_texts(
            [(str(i), r["Text"]) for i, r in enumerate(mine)],
            threshold=args.threshold,
            method=args.method,
        ):
            if group.size < 2:
                continue
            members = [mine[int(m)] for m in group.members]
            groups_total += 1
            grouped += len(members)
            multi_state += len({m["From"] for m in members}) > 1
            pairs += [(issues(a), issues(b)) for a, b in combinations(members, 2)]
    return [
        f"UPR Info session 13 ({len(session)} recommendations, distinct texts per State): "
        f"{groups_total} groups of two or more holding {grouped} recommendations, "
        f"{multi_state} joining different recommending States",
        f"  member pairs sharing a UPR Info issue: {pair_agreement(pairs):.3f} "
        f"({len(pairs)} pairs)",
    ]


def slovenia(args: argparse.Namespace) -> list[str]:
    from rightstrack.formats.importers.ohchr_matrix import OhchrMatrixImporter
    from rightstrack.formats.records import THEMES

    records = []
    for path in sorted(SLOVENIA.glob("cycle*_thematic_list.docx")):
        records += list(OhchrMatrixImporter().read(path))
    themes = [
        {label.term for label in r.labels if label.taxonomy.startswith(THEMES)} for r in records
    ]
    groups = group_texts(
        [(str(i), r.text) for i, r in enumerate(records)],
        threshold=args.threshold,
        method=args.method,
    )
    shared = [g for g in groups if g.size > 1]
    cycles = [{records[int(m)].cycle for m in g.members} for g in shared]
    pairs = [
        (themes[int(a)], themes[int(b)]) for g in shared for a, b in combinations(g.members, 2)
    ]
    cross = [
        (themes[int(a)], themes[int(b)])
        for g in shared
        for a, b in combinations(g.members, 2)
        if records[int(a)].cycle != records[int(b)].cycle
    ]
    lines = [
        f"Slovenia matrices, cycles 2-4 ({len(records)} recommendations): {len(shared)} groups "
        f"of two or more ({sum(g.size for g in shared)} recommendations), "
        f"{sum(len(c) > 1 for c in cycles)} joining cycles",
        f"  member pairs sharing an OHCHR theme: {pair_agreement(pairs):.3f} ({len(pairs)} pairs;"
        f" across cycles {pair_agreement(cross):.3f}, {len(cross)} pairs)",
    ]
    if args.sample:
        lines.append("  sample of groups joining cycles (cycle: text):")
        joined = [g for g, c in zip(shared, cycles, strict=True) if len(c) > 1]
        for g in random.Random(2).sample(joined, min(args.sample, len(joined))):
            lines.append(f"  - {g.id} sim {g.similarity:.2f} [{'; '.join(g.key_phrases)}]")
            for m in g.members:
                lines.append(f"      c{records[int(m)].cycle}: {records[int(m)].text[:140]}")
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--method", default="lexical")
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--sample", type=int, default=0)
    args = parser.parse_args(argv)
    if not UPR_INFO.is_dir():
        print(f"skipped: {UPR_INFO} is absent")
        return 0
    rows = upr_info_rows()
    lines = [f"method {args.method}, threshold {args.threshold or 'default'}"]
    lines += repeats_across_cycles(args, rows)
    lines += groups_across_states(args, rows)
    if SLOVENIA.is_dir():
        lines += slovenia(args)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
