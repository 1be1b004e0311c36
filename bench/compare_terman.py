"""Compare our UPR report extraction with the authors' own parses (Terman & Voeten).

For each of the 8 plain-text Working Group reports in
`upr-info-terman/wg-report-texts-sample/`, the rows of `wg-report-year-csvs/<year>data.csv`
for that country and year are the authors' parse: one row per recommending State, the text
starting with the paragraph number ("129.1 Ratify ... (Slovakia, Spain);"); merged
recommendations are split by them into "86.2.1", "86.2.2" ..., which belong to paragraph 86.2.

Per report: recommendations (distinct paragraph numbers) they found and we found, the share
of their paragraph numbers we also extract, text agreement (rapidfuzz ratio >= 90 on the
normalised text without States) and recommending-State agreement (equal sets of States
resolved with the one country list), both over the paragraphs found by both.

    .venv/bin/python bench/compare_terman.py [--show-disagreements]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rightstrack.engine import countries  # noqa: E402
from rightstrack.formats.extract import extract_document  # noqa: E402
from rightstrack.formats.tables import read_table  # noqa: E402

RAW = (
    Path(os.environ.get("RIGHTSTRACK_SHARED", ROOT.parent / "shared"))
    / "data"
    / "raw"
    / "upr-info-terman"
)
REPORTS = (
    "afghanistan2014",
    "brazil2012",
    "canada2009",
    "china2009",
    "egypt2014",
    "fiji2014",
    "kenya2010",
    "norway2014",
)
# Their decisions as our positions; "consider" is "will be examined" (no position yet).
# "implemented" (China 2009: "noted ... already being implemented") has no counterpart.
POSITIONS = {"support": "supported", "reject": "noted", "noted": "noted", "consider": ""}
_NUMBER = re.compile(r"^\s*(\d{1,3})\.(\d{1,3})\b[.\d]*\s*")
# A trailing "(Slovakia, Spain);" group, possibly with one nested "(Plurinational State of)".
# Their rows sometimes end "(Austria). );": the stray ")" is their parser's.
_TRAILING_GROUP = re.compile(r"\s*\((?:[^()]|\([^()]*\))*\)[\s;.,)]*$")


@dataclass
class Comparison:
    report: str
    theirs: int
    ours: int
    found: int  #: their paragraph numbers we also extract
    same_text: int
    same_states: int
    #: paragraphs whose position they state as support / reject / consider, and agreeing
    with_position: int = 0
    same_position: int = 0
    text_disagreements: list[tuple[str, str, str]] = field(default_factory=list)
    state_disagreements: list[tuple[str, list[str], list[str]]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.theirs if self.theirs else 0.0

    @property
    def text_agreement(self) -> float:
        return self.same_text / self.found if self.found else 0.0

    @property
    def state_agreement(self) -> float:
        return self.same_states / self.found if self.found else 0.0

    @property
    def position_agreement(self) -> float:
        return self.same_position / self.with_position if self.with_position else 1.0


def normalise(text: str) -> str:
    """Lower-case ASCII words only: the authors' files mix encodings, ours is Unicode."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def strip_states(text: str) -> str:
    """Drop the trailing parenthesised groups that name States (not '(No. 29)')."""
    while True:
        m = _TRAILING_GROUP.search(text)
        if not m or re.search(r"\d", m.group(0)):
            return text.strip()
        text = text[: m.start()]


def state_code(name: str) -> str:
    found = countries.resolve(name)
    return found.code if found else name.strip()


def read_theirs(raw: Path, report: str) -> dict[str, dict]:
    """Return {'86.2': {'texts': [...], 'states': {...}}} from the authors' year CSV."""
    country, year = report[:-4], report[-4:]
    # The year files mix Mac Roman, Windows-1252 and others; latin-1 reads them all and the
    # comparison works on ASCII words and resolved State names.
    table = read_table(raw / "wg-report-year-csvs" / f"{year}data.csv", encoding="latin-1")
    paragraphs: dict[str, dict] = {}
    for row in table.rows:
        if row["to"].lower().replace(" ", "") != country or row["year"].strip() != year:
            continue
        m = _NUMBER.match(row["text"])
        if not m:
            continue
        number = f"{m.group(1)}.{m.group(2)}"
        entry = paragraphs.setdefault(
            number, {"rows": [], "texts": [], "states": set(), "decision": row["decision"]}
        )
        # One row per recommending State: the same row text repeats once per State.
        if row["text"] not in entry["rows"]:
            entry["rows"].append(row["text"])
            entry["texts"].append(strip_states(row["text"][m.end() :]))
        if row["From"].strip():
            entry["states"].add(state_code(row["From"]))
    return paragraphs


def compare_report(raw: Path, report: str) -> Comparison:
    from rapidfuzz import fuzz

    theirs = read_theirs(raw, report)
    ours = {
        r.paragraph: r for r in extract_document(raw / "wg-report-texts-sample" / f"{report}.txt")
    }
    result = Comparison(report, len(theirs), len(ours), 0, 0, 0)
    for number, entry in theirs.items():
        record = ours.get(number)
        if record is None:
            continue
        result.found += 1
        their_text = normalise(" ".join(entry["texts"]))
        our_text = normalise(record.text)
        if fuzz.ratio(their_text, our_text) >= 90:
            result.same_text += 1
        else:
            result.text_disagreements.append((number, their_text, our_text))
        expected = POSITIONS.get(entry["decision"].strip().lower())
        if expected is not None:
            result.with_position += 1
            result.same_position += record.position == expected
        if set(record.recommending_states) == entry["states"]:
            result.same_states += 1
        else:
            result.state_disagreements.append(
                (number, sorted(entry["states"]), sorted(record.recommending_states))
            )
    return result


def compare_all(raw: Path = RAW) -> list[Comparison]:
    return [compare_report(raw, report) for report in REPORTS]


def print_table(results: list[Comparison]) -> None:
    print(
        "| report | theirs | ours | their numbers we find | same text | same States "
        "| same position |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r.report} | {r.theirs} | {r.ours} | {r.recall:.1%} | "
            f"{r.text_agreement:.1%} | {r.state_agreement:.1%} | {r.position_agreement:.1%} |"
        )
    theirs = sum(r.theirs for r in results)
    found = sum(r.found for r in results)
    print(
        f"| all | {theirs} | {sum(r.ours for r in results)} | {found / theirs:.1%} | "
        f"{sum(r.same_text for r in results) / found:.1%} | "
        f"{sum(r.same_states for r in results) / found:.1%} | "
        f"{sum(r.same_position for r in results) / sum(r.with_position for r in results):.1%} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show-disagreements", action="store_true")
    args = parser.parse_args(argv)
    results = compare_all()
    print_table(results)
    if args.show_disagreements:
        for r in results:
            for number, theirs, ours in r.text_disagreements:
                print(f"\n{r.report} {number} text\n  theirs: {theirs}\n  ours:   {ours}")
            for number, theirs, ours in r.state_disagreements:
                print(f"{r.report} {number} States: theirs {theirs} ours {ours}")
            missing = sorted(
                set(read_theirs(RAW, r.report))
                - {
                    rec.paragraph
                    for rec in extract_document(RAW / "wg-report-texts-sample" / f"{r.report}.txt")
                }
            )
            if missing:
                print(f"{r.report} not found by us: {', '.join(missing)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
