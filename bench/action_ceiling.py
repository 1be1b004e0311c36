"""Measure the action-category method where there is no shift between sessions.

Usage: python bench/action_ceiling.py

Trains rules + model (the shipped settings) on 80% of sessions 1-13 and tests on the other 20%,
split two ways: by recommendation at random, and by State under review (no State on both sides).
If the figures on later sessions (bench/eval_action.py) were held down by drift between
sessions, these would be clearly higher; they are not (docs/analysis.md), which points at the
labels' own consistency as the limit.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval_action import figures
from train_action_model import fit, to_json
from upr_info_data import EXPORT_DIR, load_upr_info, split_sessions

from rightstrack.engine.analyse.action import classify_actions
from rightstrack.engine.analyse.model import model_from_json

SEED = 0


def measure(train: list[dict[str, str]], test: list[dict[str, str]]) -> tuple[float, float]:
    vectorisers, svc = fit([r["Text"] for r in train], [r["Action"] for r in train])
    model = model_from_json(to_json(vectorisers, svc))
    predicted = [str(r.category) for r in classify_actions([r["Text"] for r in test], model=model)]
    return figures([r["Action"] for r in test], predicted)


def main() -> int:
    if not EXPORT_DIR.is_dir():
        print(f"skipped: {EXPORT_DIR} is absent")
        return 0
    rows = split_sessions(load_upr_info(), 1, 13)
    shuffled = rows[:]
    random.Random(SEED).shuffle(shuffled)
    cut = len(shuffled) * 4 // 5
    states = sorted({r["To"] for r in rows})
    random.Random(SEED).shuffle(states)
    test_states = set(states[: len(states) // 5])
    splits = {
        "random 80/20 by recommendation": (shuffled[:cut], shuffled[cut:]),
        "80/20 by State under review": (
            [r for r in rows if r["To"] not in test_states],
            [r for r in rows if r["To"] in test_states],
        ),
    }
    for name, (train, test) in splits.items():
        accuracy, macro = measure(train, test)
        print(
            f"sessions 1-13, {name}: train {len(train)}, test {len(test)}: "
            f"accuracy {accuracy:.4f}  macro-F1 {macro:.4f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
