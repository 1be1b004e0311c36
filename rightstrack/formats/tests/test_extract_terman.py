"""UPR report extraction measured against the authors' own parses (Terman & Voeten).

The 8 plain-text Working Group reports of `upr-info-terman/wg-report-texts-sample/` and the
authors' rows for them in `wg-report-year-csvs/` (bench/compare_terman.py prints the table).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from rightstrack.conftest import SHARED_RAW
from rightstrack.formats.extract import extract_document

pytestmark = pytest.mark.shared_data

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))

TEXTS = "upr-info-terman/wg-report-texts-sample"

# (their paragraph numbers, ours). Afghanistan: their parser ran 136.49 and 136.50 together
# (printed on one line in the text: "... (New Zealand); 136.50 Continue ... (Azerbaijan);"),
# so they have 223 paragraphs, 136.49 with both States and both texts; we have 224. That one
# paragraph is the only text and State disagreement in the 8 reports.
COUNTS = {
    "afghanistan2014": (223, 224),
    "brazil2012": (170, 170),
    "canada2009": (68, 68),
    "china2009": (49, 49),
    "egypt2014": (300, 300),
    "fiji2014": (138, 138),
    "kenya2010": (150, 150),
    "norway2014": (203, 203),
}


@pytest.fixture(scope="module")
def comparisons():  # type: ignore[no-untyped-def]
    # Module scope: the comparison reads the 8 reports and 4 year files once.
    if not (SHARED_RAW / "upr-info-terman").is_dir():
        pytest.skip("../shared/data/raw/upr-info-terman is absent")
    import compare_terman

    return {c.report: c for c in compare_terman.compare_all(SHARED_RAW / "upr-info-terman")}


@pytest.mark.parametrize("report", sorted(COUNTS))
def test_it_finds_the_recommendations_the_authors_found(comparisons, report: str) -> None:  # type: ignore[no-untyped-def]
    result = comparisons[report]
    assert (result.theirs, result.ours) == COUNTS[report]
    assert result.recall == 1.0
    assert result.text_agreement >= 0.99
    assert result.state_agreement >= 0.99
    assert result.position_agreement == 1.0


def test_it_agrees_on_text_and_states_overall(comparisons) -> None:  # type: ignore[no-untyped-def]
    found = sum(c.found for c in comparisons.values())
    assert found == 1301
    disagreements = {
        (c.report, number) for c in comparisons.values() for number, *_ in c.state_disagreements
    } | {(c.report, number) for c in comparisons.values() for number, *_ in c.text_disagreements}
    assert disagreements == {("afghanistan2014", "136.49")}


def test_it_numbers_cycle_1_items_under_their_paragraph(shared_raw: Path) -> None:
    records = extract_document(shared_raw / TEXTS / "china2009.txt")
    numbers = [r.paragraph for r in records]
    assert numbers[:2] == ["114.1", "114.2"] and numbers[-1] == "116.4"
    by_paragraph = {
        p: {r.position for r in records if r.paragraph.startswith(p + ".")}
        for p in ("114", "115", "116")
    }
    # 114 "enjoy the support of China", 115 "are noted", 116 "will be examined".
    assert by_paragraph == {"114": {"supported"}, "115": {"noted"}, "116": {""}}
    assert records[-1].text == "Follow-up on this UPR"
    assert records[-1].recommending_states == ("AUT",)


@pytest.mark.parametrize("report", ["canada2009", "china2009", "afghanistan2014", "norway2014"])
def test_it_reads_reports_saved_as_one_line(shared_raw: Path, tmp_path: Path, report: str) -> None:
    source = shared_raw / TEXTS / f"{report}.txt"
    flat = tmp_path / f"{report}.txt"
    flat.write_bytes(re.sub(rb"\s*[\r\n]+\s*", b" ", source.read_bytes()))
    expected = [
        (r.paragraph, r.text, r.recommending_states, r.position) for r in extract_document(source)
    ]
    got = [(r.paragraph, r.text, r.recommending_states, r.position) for r in extract_document(flat)]
    assert got == expected
