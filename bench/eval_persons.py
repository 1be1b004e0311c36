"""Groups of persons and SDG goals against OHCHR's own labels in the Slovenia UPR matrices
(cycles 2, 3 and 4), held out: leave one matrix out.

Usage: python bench/eval_persons.py [--per-group] [--sdg] [--agreement]

Counting (docs/analysis.md): one row per unique recommendation text of each matrix, read by
`OhchrMatrixImporter`; gold names are mapped to the current list (legacy names through their
successors, "general" carries no group); micro-F1 over all (recommendation, group) pairs.

Three answers are measured in the same run, on the same rows:
- the floor: 22 keyword patterns, one per common group (`FLOOR` below), written once and never
  changed after seeing a figure;
- the general rules (`analyse.persons.find_groups`), which learn nothing from the matrices;
- rules + a small trained model (`analyse.persons.GroupModel`): fitted on two matrices, scored
  on the third, for each of the three; its thresholds are chosen inside the two training
  matrices (each predicts the other), never on the matrix reported.

"Public officials" is measured both ways: OHCHR tags it on 253 of 254 cycle-4 rows and on 4 of
215 in cycle 3, so it is printed with every group and "ignoring Public officials" (on both sides).

SDG goals (`--sdg`): the matrices of cycles 3 and 4 carry their own SDGs (cycle 2 none), so the
held-out protocol is fit on one, report the other, both ways.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rightstrack.engine.analyse.persons import GroupModel, find_groups
from rightstrack.engine.analyse.themes import SdgModel, find_sdg_goals, find_themes
from rightstrack.engine.taxonomies import find_term
from rightstrack.formats.importers.ohchr_matrix import OhchrMatrixImporter

SHARED = Path(os.environ.get("RIGHTSTRACK_SHARED", Path(__file__).resolve().parents[2] / "shared"))
MATRICES = SHARED / "data" / "raw" / "upr-slovenia-docs" / "thematic-lists"
PUBLIC_OFFICIALS = "Public officials"
CYCLES = (2, 3, 4)

#: The floor: 22 keyword patterns, the plain words a reader would try first for each group.
FLOOR: dict[str, str] = {
    "Women & girls": r"women|girls?|gender",
    "Children": r"child\w*",
    "Youth & juveniles": r"youth|young people|juvenile",
    "Older persons": r"older persons|elderly",
    "Persons with disabilities": r"disabilit\w*",
    "Migrants": r"migrants?",
    "Refugees & asylum seekers": r"refugees?|asylum",
    "Internally displaced persons": r"displaced",
    "Stateless persons": r"stateless\w*",
    "Non-citizens": r"non-citizens?|foreigners?",
    "Minorities/ racial, ethnic, linguistic, religious or descent-based groups": r"minorit\w*|ethnic|racial|racism",
    "Roma, Gypsies, Sinti & Travellers": r"roma",
    "Indigenous peoples": r"indigenous",
    "Lesbian, gay, bisexual and transgender and intersex persons (LGBTI)": r"lgbt\w*|sexual orientation",
    "Persons living in poverty": r"poverty|poor",
    "Persons deprived of their liberty & detainees": r"detention|prisons?|prisoners?|detainees",
    "Human rights defenders": r"human rights defenders?",
    "Civil society": r"civil society|ngos?",
    "Media": r"journalists?|media",
    "Judges, lawyers and prosecutors": r"judges?|judiciary|prosecutors?",
    "Law enforcement / police & prison officials": r"police|law enforcement",
    "Vulnerable persons/groups": r"vulnerable",
}
_FLOOR = {name: re.compile(rf"\b(?:{p})\b", re.I) for name, p in FLOOR.items()}
assert len(FLOOR) == 22


@dataclass(frozen=True)
class Row:
    cycle: int
    paragraph: str
    text: str
    groups: frozenset[str]
    sdgs: frozenset[int]


def current_groups(taxonomy: str, name: str) -> list[str]:
    term = find_term("groups_of_persons", name)
    if term is not None:
        return [term.name]
    legacy = find_term("groups_of_persons_legacy", name)
    if legacy is None:
        raise SystemExit(f"group name not in the taxonomies: {name!r} ({taxonomy})")
    return list(legacy.successors)


def load_rows(cycle: int) -> list[Row]:
    """Return one Row per unique recommendation text of the cycle's matrix."""
    path = next(MATRICES.glob(f"cycle{cycle}_*.docx"))
    rows: dict[str, Row] = {}
    for record in OhchrMatrixImporter().read(path):
        if record.text in rows:
            continue
        groups = {
            group
            for label in record.labels
            if label.taxonomy in ("groups_of_persons", "groups_of_persons_legacy")
            for group in current_groups(label.taxonomy, label.term)
        }
        sdgs = {int(label.term) for label in record.labels if label.taxonomy == "sdg_goals"}
        rows[record.text] = Row(
            cycle, record.paragraph, record.text, frozenset(groups), frozenset(sdgs)
        )
    return list(rows.values())


def load_cycle(cycle: int) -> list[tuple[str, set[str]]]:
    """Return (text, gold groups) per unique recommendation of the cycle's matrix."""
    return [(row.text, set(row.groups)) for row in load_rows(cycle)]


def floor_groups(text: str) -> set[str]:
    return {name for name, pattern in _FLOOR.items() if pattern.search(text)}


def rule_groups(text: str) -> set[str]:
    return {name for name, _ in find_groups(text)}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set, pred: set) -> None:
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self) -> str:
        return f"P {self.precision:.3f} R {self.recall:.3f} F1 {self.f1:.3f}"


def micro(gold: list[set[str]], pred: list[set[str]]) -> tuple[float, float, float]:
    score = Score()
    for g, p in zip(gold, pred, strict=True):
        score.add(g, p)
    return score.precision, score.recall, score.f1


def _drop(groups: set[str], drop: bool) -> set[str]:
    return groups - {PUBLIC_OFFICIALS} if drop else set(groups)


def evaluate(cycles: tuple[int, ...], *, drop_public_officials: bool) -> tuple[float, float, float]:
    """Micro P/R/F1 of the general rules (no training) on these cycles."""
    gold, pred = [], []
    for cycle in cycles:
        for row in load_rows(cycle):
            gold.append(_drop(set(row.groups), drop_public_officials))
            pred.append(_drop(rule_groups(row.text), drop_public_officials))
    return micro(gold, pred)


def held_out(
    data: dict[int, list[Row]], *, drop_public_officials: bool
) -> dict[str, dict[int, tuple[list[set[str]], list[set[str]]]]]:
    """Return method -> test cycle -> (gold, predicted), each cycle predicted by a model fitted
    on the other two."""
    out: dict[str, dict[int, tuple[list[set[str]], list[set[str]]]]] = {
        "floor (22 keyword patterns)": {},
        "general rules": {},
        "rules + model (fit on the other two)": {},
    }
    for test in data:
        train = [row for c in data if c != test for row in data[c]]
        model = GroupModel().fit(
            [r.text for r in train],
            [_drop(set(r.groups), drop_public_officials) for r in train],
            folds=[r.cycle for r in train],
        )
        rows = data[test]
        gold = [_drop(set(r.groups), drop_public_officials) for r in rows]
        texts = [r.text for r in rows]
        out["floor (22 keyword patterns)"][test] = (
            gold,
            [_drop(floor_groups(t), drop_public_officials) for t in texts],
        )
        out["general rules"][test] = (
            gold,
            [_drop(rule_groups(t), drop_public_officials) for t in texts],
        )
        out["rules + model (fit on the other two)"][test] = (
            gold,
            [_drop(set(p), drop_public_officials) for p in model.predict(texts)],
        )
    return out


def _report(results, per_group: bool) -> None:  # type: ignore[no-untyped-def]
    for method, by_cycle in results.items():
        total = Score()
        parts = []
        for cycle, (gold, pred) in sorted(by_cycle.items()):
            score = Score()
            for g, p in zip(gold, pred, strict=True):
                score.add(g, p)
                total.add(g, p)
            parts.append(f"cycle {cycle} {score.f1:.3f}")
        print(f"  {method:40s} {', '.join(parts)}; pooled {total.line()}")
    if not per_group:
        return
    for method, by_cycle in results.items():
        print(f"  per label, {method} (pooled over the held-out matrices):")
        scores: dict[str, Score] = {}
        support: Counter[str] = Counter()
        for gold, pred in by_cycle.values():
            for g, p in zip(gold, pred, strict=True):
                for name in g | p:
                    scores.setdefault(name, Score()).add({name} & g, {name} & p)
                support.update(g)
        for name, score in sorted(scores.items(), key=lambda kv: (-support[kv[0]], str(kv[0]))):
            print(f"    {support[name]:4d}  {score.line()}  {str(name)[:60]}")


def sdg_held_out(data: dict[int, list[Row]]):  # type: ignore[no-untyped-def]
    """SDG goals: rules from the themes, and rules + model fitted on the other matrix."""
    out: dict[str, dict[int, tuple[list[set[int]], list[set[int]]]]] = {
        "themes -> SDGs (general rules)": {},
        "rules + model (fit on the other matrix)": {},
    }
    cycles = [c for c in data if any(r.sdgs for r in data[c])]
    for test in cycles:
        train = [row for c in cycles if c != test for row in data[c]]
        model = SdgModel().fit([r.text for r in train], [set(r.sdgs) for r in train])
        rows = data[test]
        gold = [set(r.sdgs) for r in rows]
        rules = [
            set(find_sdg_goals(r.text, [name for name, _ in find_themes(r.text)])) for r in rows
        ]
        out["themes -> SDGs (general rules)"][test] = (gold, rules)
        out["rules + model (fit on the other matrix)"][test] = (
            gold,
            [set(p) for p in model.predict([r.text for r in rows])],
        )
    return out


def label_agreement() -> tuple[int, tuple[float, float, float], int, tuple[float, float, float]]:
    """How far OHCHR's own labels agree with themselves: on the pairs of bench/gold/repeats.csv
    judged the same (a later matrix's recommendation asking again for an earlier one's), the
    later row's groups scored against the earlier row's (ignoring "Public officials"), and the
    same for SDGs where both rows carry them. Returns (pairs, P/R/F1 groups, pairs, P/R/F1 SDGs).
    """
    import csv

    rows = {f"upr{c}:{r.paragraph}": r for c in CYCLES for r in load_rows(c)}
    gold_path = Path(__file__).resolve().parent / "gold" / "repeats.csv"
    later, earlier, later_sdg, earlier_sdg = [], [], [], []
    for pair in csv.DictReader(gold_path.open(encoding="utf-8")):
        a, b = rows.get(pair["later"]), rows.get(pair["earlier"])
        if pair["same"] != "1" or a is None or b is None:
            continue
        later.append(set(a.groups) - {PUBLIC_OFFICIALS})
        earlier.append(set(b.groups) - {PUBLIC_OFFICIALS})
        if a.sdgs and b.sdgs:
            later_sdg.append(set(a.sdgs))
            earlier_sdg.append(set(b.sdgs))
    return len(later), micro(later, earlier), len(later_sdg), micro(later_sdg, earlier_sdg)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-group", action="store_true", help="precision/recall per group")
    parser.add_argument("--sdg", action="store_true", help="also SDG goals")
    parser.add_argument(
        "--agreement", action="store_true", help="also OHCHR's labels against themselves"
    )
    args = parser.parse_args()
    if not MATRICES.is_dir():
        raise SystemExit(f"no matrices at {MATRICES}")
    data = {cycle: load_rows(cycle) for cycle in CYCLES}
    print("rows:", ", ".join(f"cycle {c} {len(rows)}" for c, rows in data.items()))
    for drop in (True, False):
        note = "ignoring 'Public officials'" if drop else "all groups"
        print(f"groups of persons, leave one matrix out, {note}:")
        _report(held_out(data, drop_public_officials=drop), args.per_group and drop)
    if args.sdg:
        print("SDG goals, fit on one matrix, report the other:")
        _report(sdg_held_out(data), args.per_group)
    if args.agreement:
        n, groups, n_sdg, sdgs = label_agreement()
        print(
            f"OHCHR's labels on {n} recommendations that repeat an earlier cycle's, against the "
            f"earlier row's: groups P {groups[0]:.3f} R {groups[1]:.3f} F1 {groups[2]:.3f}; "
            f"SDGs ({n_sdg} pairs) P {sdgs[0]:.3f} R {sdgs[1]:.3f} F1 {sdgs[2]:.3f}"
        )


if __name__ == "__main__":
    main()
