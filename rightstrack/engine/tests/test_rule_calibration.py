from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from rightstrack.engine.analyse import RuleAnalyser
from rightstrack.engine.analyse.calibration import (
    DATA,
    confidence,
    estimate,
    load_calibration,
)
from rightstrack.engine.types import RecText
from rightstrack.formats.exceptions import InputError
from rightstrack.formats.records import ACTION_CATEGORIES, GROUPS_OF_PERSONS, SDG_GOALS, THEMES

BENCH = Path(__file__).resolve().parents[3] / "bench"


def test_a_rarely_seen_label_is_pulled_towards_its_taxonomy() -> None:
    # One suggestion, right: not certainty, but between the pooled 0.6 and 1.
    assert 0.6 < estimate(1, 1, 0.6, 5.0) < 0.7
    # Many suggestions: the label's own precision wins.
    assert estimate(90, 100, 0.6, 5.0) == pytest.approx(93 / 105)
    assert estimate(3, 10, 0.6, 0.0) == pytest.approx(0.3)


def test_each_label_has_its_own_confidence_from_the_shipped_table() -> None:
    table = load_calibration()
    groups = table["taxonomies"][GROUPS_OF_PERSONS]
    children = groups["labels"]["Children"]
    expected = estimate(
        children["right"], children["suggested"], groups["pooled"], groups["weight"]
    )

    assert confidence(GROUPS_OF_PERSONS, "Children") == round(expected, 3)
    values = {confidence(THEMES, name) for name in table["taxonomies"][THEMES]["labels"]}
    assert len(values) > 10 and all(0 <= v <= 1 for v in values)
    # A label the labelled data never saw suggested gets its taxonomy's pooled precision.
    assert confidence(THEMES, "No such theme") == round(table["taxonomies"][THEMES]["pooled"], 3)


def test_the_analyser_reports_the_calibrated_confidences() -> None:
    text = (
        "Adopt a law to protect children and persons with disabilities from violence, "
        "and guarantee their right to education."
    )

    labels = RuleAnalyser().predict([RecText("r1", text)])

    rules = [label for label in labels if label.taxonomy != ACTION_CATEGORIES]
    assert {label.taxonomy for label in rules} == {GROUPS_OF_PERSONS, THEMES, SDG_GOALS}
    for label in rules:
        assert label.confidence == confidence(label.taxonomy, label.term)
    assert len({label.confidence for label in rules}) > 2


def test_a_broken_calibration_file_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "calibration.json"
    broken.write_text("{not json", encoding="utf-8")
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"format": "else"}), encoding="utf-8")

    with pytest.raises(InputError, match=r"calibration\.json: cannot read the rule calibration"):
        load_calibration(str(broken))
    with pytest.raises(InputError, match=r"other\.json: not a rightstrack rule calibration"):
        load_calibration(str(other))


@pytest.mark.shared_data
def test_the_shipped_table_matches_the_rules_on_the_matrices(shared_raw: Path) -> None:
    # The table is data written by bench/calibrate_rules.py: when a rule changes, its counts
    # on OHCHR's matrices change, and the table must be written again.
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("calibrate_rules", BENCH / "calibrate_rules.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    if not bench.MATRICES.is_dir():
        pytest.skip("the Slovenia matrices are absent")
    found = [s for cycle in bench.CYCLES for s in bench.suggestions(bench.load_cycle(cycle))]

    fitted = bench.fit(found)
    shipped = json.loads(DATA.read_text(encoding="utf-8"))["taxonomies"]

    for taxonomy, entry in fitted.items():
        assert shipped[taxonomy]["labels"] == entry["labels"], (
            f"{taxonomy}: run python bench/calibrate_rules.py --write"
        )
