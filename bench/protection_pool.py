"""Draw the candidates of the hand-checked protection-relevance set (bench/gold/protection.csv).

Usage: python bench/protection_pool.py [--print]

How the set was made (docs/analysis.md, "Protection relevance"): recommendations are read with
`extract_document` from documents no other gold set uses: the terman sample of UPR Working Group
reports (Afghanistan 2014, Kenya 2010, ...), Slovenia's cycle-1 Working Group report, the CRPD
concluding observations and our own special-procedure fixtures. From each document, up to
`TOPIC_PER_DOC` recommendations that mention a broad list of topic words (wider than any rule:
"return", "camp", "land", "housing", "border", "migrant", "nationality", "documents" ..., so that
near misses and hard negatives are drawn too) and `RANDOM_PER_DOC` others at random (seed 14).
Each was then read and labelled by hand after the codebook (docs/codebook.md,
protection_relevant), without looking at what the rules say. Only ids and labels are stored.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rightstrack.conftest import SHARED_RAW  # noqa: E402
from rightstrack.formats.extract import extract_document  # noqa: E402

FIXTURES = ROOT / "rightstrack" / "formats" / "tests" / "fixtures" / "extract"
DOCUMENTS = (
    [
        f"shared:upr-info-terman/wg-report-texts-sample/{n}"
        for n in (
            "afghanistan2014.txt",
            "kenya2010.txt",
            "fiji2014.txt",
            "egypt2014.txt",
            "brazil2012.txt",
            "norway2014.txt",
            "china2009.txt",
            "canada2009.txt",
        )
    ]
    + ["shared:upr-slovenia-docs/wg-reports/A_HRC_14_15_cycle1.pdf"]
    + [
        f"shared:crpd-concluding-observations-sample/{n}"
        for n in (
            "Azerbaijan_2014_CRPD_C_AZE_CO_1.pdf",
            "Kenya_2015_CRPD_C_KEN_CO_1.pdf",
            "Ghana_2024_CRPD_C_GHA_CO_1.pdf",
            "Australia_UnknownYear_CRPD_C_AUS_CO_1.pdf",
            "Argentina_UnknownYear_CRPD_C_ARG_CO_1.pdf",
        )
    ]
    + ["fixture:sp_housing_visit.txt", "fixture:sp_visit_report.txt"]
)
TOPIC = re.compile(
    r"\b(?:displac\w*|refugee\w*|asylum|stateless\w*|nationality|citizenship|return\w*|"
    r"resettle\w*|camps?|humanitarian|emergenc\w*|disasters?|floods?|conflict\w*|evict\w*|"
    r"land|housing|homeless\w*|settlements?|registration|documents?|identity|border\w*|"
    r"migra\w*|deport\w*|expel\w*|expulsion|foreign\w*|minorit\w*|roma|detention)",
    re.I,
)
TOPIC_PER_DOC = 9
RANDOM_PER_DOC = 4
#: A second draw, from the UPR Working Group reports of 2013 (terman's CSV, one row per
#: recommending State): 30 recommendations with a topic word and 10 others, other States.
YEAR_CSV = "upr-info-terman/wg-report-year-csvs/2013data.csv"
YEAR_TOPIC, YEAR_RANDOM = 30, 10
#: (source, paragraph) pairs already in the seed's gold set (bench/gold/seed_comparison.csv).
SEED = ROOT / "bench" / "gold" / "seed_comparison.csv"


def path_of(source: str) -> Path:
    kind, name = source.split(":", 1)
    return SHARED_RAW / name if kind == "shared" else FIXTURES / name


#: The test set, drawn and labelled after the rules were revised on the development set above,
#: and never used to change them: other CRPD concluding observations and the 2014 reports.
TEST_DOCUMENTS = [
    f"shared:crpd-concluding-observations-sample/{n}"
    for n in (
        "Canada_2017_CRPD_C_CAN_CO_1.pdf",
        "China_2022_CRPD_C_CHN_CO_2-3.pdf",
        "Japan_2022_CRPD_C_JPN_CO_1.pdf",
        "India_2019_CRPD_C_IND_CO_1.pdf",
        "Mexico_2014_CRPD_C_MEX_CO_1.pdf",
        "Slovenia_2018_CRPD_C_SVN_CO_1.pdf",
    )
]
TEST_YEAR_CSV = "upr-info-terman/wg-report-year-csvs/2014data.csv"
TEST_PER_DOC = (4, 1)
TEST_YEAR = (45, 15)


def _year_rows(year_csv: str = YEAR_CSV) -> list[tuple[str, str, str]]:
    """Return (state, paragraph, text) of each recommendation of the year CSV, once."""
    import csv

    path = SHARED_RAW / year_csv
    if not path.exists():
        return []
    seen, out = set(), []
    with path.open(encoding="latin-1", newline="") as fp:
        for row in csv.DictReader(fp):
            m = re.match(r"\s*(\d+\.\d+)\.?\s+(.*)", row["text"], re.S)
            if not m or (row["to"], m.group(1)) in seen:
                continue
            seen.add((row["to"], m.group(1)))
            text = re.sub(r"\s*\([^()]*\);?\s*$", "", m.group(2)).strip()
            out.append((row["to"], m.group(1), text))
    return out


def draw(test: bool = False) -> list[tuple[str, str, str, str]]:
    """Return (source, document symbol, paragraph, text) of the candidates, in a fixed order;
    *test*: those of the test set."""
    import csv

    rng = random.Random(15 if test else 14)
    documents = TEST_DOCUMENTS if test else DOCUMENTS
    per_doc = TEST_PER_DOC if test else (TOPIC_PER_DOC, RANDOM_PER_DOC)
    year_csv = TEST_YEAR_CSV if test else YEAR_CSV
    per_year = TEST_YEAR if test else (YEAR_TOPIC, YEAR_RANDOM)
    seed = {(r["source"], r["paragraph"]) for r in csv.DictReader(SEED.open(encoding="utf-8"))}
    out = []
    for source in documents:
        path = path_of(source)
        if not path.exists():
            continue
        seen, records = set(), []
        for r in extract_document(path):
            if (source, r.paragraph) in seed:
                continue
            if r.paragraph and r.paragraph not in seen and len(r.text) > 30:
                seen.add(r.paragraph)
                records.append(r)
        topic = [r for r in records if TOPIC.search(r.text)]
        rest = [r for r in records if not TOPIC.search(r.text)]
        picked = rng.sample(topic, min(per_doc[0], len(topic)))
        picked += rng.sample(rest, min(per_doc[1], len(rest)))
        for r in picked:
            out.append((source, r.document_symbol or "", r.paragraph, r.text))
    rows = _year_rows(year_csv)
    topic = [r for r in rows if TOPIC.search(r[2])]
    rest = [r for r in rows if not TOPIC.search(r[2])]
    for state, para, text in rng.sample(topic, per_year[0]) + rng.sample(rest, per_year[1]):
        out.append((f"shared:{year_csv}#{state}", "", para, text))
    return out


def texts_of(rows: list[dict[str, str]]) -> dict[tuple[str, str], str]:
    """Return (source, paragraph) -> text for the gold rows whose documents are present."""
    out: dict[tuple[str, str], str] = {}
    by_source: dict[str, dict[str, str]] = {}
    years: dict[str, dict[tuple[str, str], str]] = {}
    for row in rows:
        source, para = row["source"], row["paragraph"]
        if "#" in source:
            name, state = source.split("#", 1)
            name = name.split(":", 1)[1]
            if name not in years:
                years[name] = {(s, p): t for s, p, t in _year_rows(name)}
            if (state, para) in years[name]:
                out[(source, para)] = years[name][(state, para)]
            continue
        if source not in by_source:
            path = path_of(source)
            by_source[source] = (
                {r.paragraph: r.text for r in extract_document(path)} if path.exists() else {}
            )
        if para in by_source[source]:
            out[(source, para)] = by_source[source][para]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--print", action="store_true", help="print the texts to label")
    parser.add_argument("--test", action="store_true", help="the test set's candidates")
    args = parser.parse_args()
    rows = draw(args.test)
    print(len(rows), "candidates")
    if args.print:
        for i, (source, _symbol, para, text) in enumerate(rows, 1):
            print(f"[{i}] {source.split('/')[-1]} {para}: {' '.join(text.split())[:600]}")


if __name__ == "__main__":
    main()
