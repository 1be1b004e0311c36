"""Write a realistic, deterministic UHRI-export-shaped CSV of N recommendations (issue 15 §1).

The texts are real: the UPR Info rows, the OHCHR matrix rows and the concluding observation
paragraphs under ../shared/data/raw, read with rightstrack's own importers. They are recombined
(a recommendation's opening clause with another's continuation, half of the time) so that the
corpus keeps their real lengths and word frequencies without repeating one text thousands of
times. Records are laid out as the UHRI export lays them out: reviews of the 193 member States
(a UPR Working Group report with 120-300 recommendations, numbered 1xx.n, with recommending
States and positions), concluding observations of the ten treaty bodies (20-60 paragraphs,
"12. The Committee recommends ..."), and special procedures country reports; mechanisms, bodies,
cycles, themes, groups of persons and SDGs in the proportions of the real sources (label sets are
drawn from the matrices' own labelled rows, so co-occurrence is real too).

Deterministic: the same --rows and --seed give the same bytes. Written row by row (streaming):
memory stays flat whatever N. Nothing of ../shared is copied into the repository; the corpus is
written where you say (default: the system's temporary folder).

Usage:
    python bench/make_corpus.py [--rows 270000] [--seed 15] [--out FILE] [--shared ../shared/data]
Prints the file's path, rows and size. The texts read from ../shared are cached in --cache-dir
(default: the temporary folder; a JSON file named after the sources' sizes), so a second run
starts at once.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import sys
import tempfile
import time
from bisect import bisect
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rightstrack.engine.countries import all_countries, by_code  # noqa: E402

COLUMNS = [
    "OHCHR Annotation Id",
    "Text",
    "Type",
    "Reccomending Body",
    "Document Symbol",
    "Document Publication Date",
    "Countries Concerned",
    "Regions Concerned",
    "Recommending Regions",
    "Themes",
    "Affected Persons",
    "Sdgs",
    "UPR Session",
    "UPR Reccomending States",
    "UPR Position",
]

#: Share of each mechanism's recommendations in the UHRI (about 60 % UPR, a third treaty
#: bodies, the rest special procedures), divided by a document's mean number of
#: recommendations (210, 40, 25) to give the share of documents.
MECHANISM_WEIGHTS = (("UPR", 60 * 1000 // 210), ("TB", 33 * 1000 // 40), ("SP", 7 * 1000 // 25))
TREATY_BODY_WEIGHTS = (
    ("CRC", 20),
    ("CEDAW", 18),
    ("CESCR", 12),
    ("CCPR", 12),
    ("CERD", 11),
    ("CAT", 9),
    ("CRPD", 11),
    ("CMW", 4),
    ("CED", 2),
    ("SPT", 1),
)
SPECIAL_PROCEDURES = (
    "Special Rapporteur on the human rights of internally displaced persons",
    "Special Rapporteur on the right to education",
    "Special Rapporteur on torture and other cruel, inhuman or degrading treatment or punishment",
    "Special Rapporteur on the rights of persons with disabilities",
    "Special Rapporteur on extreme poverty and human rights",
    "Special Rapporteur on violence against women and girls, its causes and consequences",
    "Independent Expert on sexual orientation and gender identity",
    "Working Group on Enforced or Involuntary Disappearances",
    "Special Rapporteur on the human rights of migrants",
    "Special Rapporteur on the right to adequate housing",
)
#: Position shares of UPR recommendations (UPR Info: about three quarters supported).
POSITION_WEIGHTS = (("Supported", 72), ("Noted", 25), ("Supported/Noted", 3))
#: Excel serial of 1 January 2008; days to add per UPR session (about 4 months).
EXCEL_2008 = 39448
CLAUSE_BREAKS = (", ", "; ", " and ", " in order to ", " to ")


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    cumulative = list(accumulate(w for _, w in pairs))
    return pairs[bisect(cumulative, rng.random() * cumulative[-1])][0]


# --- the real texts ---------------------------------------------------------------------------


def _fingerprint(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(f"{path.name}:{path.stat().st_size}\n".encode())
    return digest.hexdigest()[:16]


def source_files(shared: Path) -> dict[str, list[Path]]:
    raw = shared / "raw" if (shared / "raw").is_dir() else shared
    return {
        "upr_info": sorted(
            (raw / "upr-info-terman" / "upr-info-export-sessions1-20").glob("*.csv")
        ),
        "matrix": sorted((raw / "upr-slovenia-docs" / "thematic-lists").glob("*.docx")),
        "co": sorted((raw / "crpd-concluding-observations-sample").glob("*_CO_*.pdf")),
    }


def read_pools(shared: Path, cache_dir: Path) -> dict[str, list]:
    """Return the real texts and label sets: {"upr": [text], "co": [text], "labels": [...]}.

    Cached in *cache_dir* under a name made of the source files' names and sizes.
    """
    files = source_files(shared)
    every = [p for group in files.values() for p in group]
    if not files["upr_info"] and not files["co"]:
        raise SystemExit(f"make_corpus: no source texts under {shared} (need ../shared/data/raw)")
    cache = cache_dir / f"rightstrack-corpus-pools-{_fingerprint(every)}.json"
    if cache.is_file():
        return json.loads(cache.read_text(encoding="utf-8"))

    from rightstrack.formats.exceptions import InputError
    from rightstrack.formats.importers.document import DocumentImporter
    from rightstrack.formats.importers.ohchr_matrix import OhchrMatrixImporter
    from rightstrack.formats.importers.upr_info import UprInfoImporter

    upr: list[str] = []
    for path in files["upr_info"]:
        if path.name == "voluntary.csv":
            continue
        upr += [r.text for r in UprInfoImporter().read(path) if r.recommending_states]
    labels: list[list[list[str]]] = []  # per matrix row: [themes, persons, sdgs]
    for path in files["matrix"]:
        for record in OhchrMatrixImporter().read(path):
            upr.append(record.text)
            themes = [x.term for x in record.labels if x.taxonomy == "uhri_themes"]
            persons = [x.term for x in record.labels if x.taxonomy == "groups_of_persons"]
            sdgs = [x.term for x in record.labels if x.taxonomy == "sdg_targets"]
            labels.append([themes, persons, sdgs])
    co: list[str] = []
    for path in files["co"]:
        try:
            co += [r.text for r in DocumentImporter().read(path)]
        except InputError:
            continue
    pools = {"upr": upr, "co": co or upr, "labels": labels or [[[], [], []]]}
    cache.write_text(json.dumps(pools, ensure_ascii=False), encoding="utf-8")
    return pools


def recombine(rng: random.Random, pool: list[str]) -> str:
    """Return a real text, or half of the time one's opening clause with another's continuation."""
    text = pool[rng.randrange(len(pool))]
    if rng.random() < 0.5:
        return text
    other = pool[rng.randrange(len(pool))]
    for sep in CLAUSE_BREAKS:
        head, found, _ = text.partition(sep)
        if found and len(head) > 15:
            tail_at = other.find(sep)
            if tail_at > 0:
                return head + other[tail_at:]
    return text


# --- the corpus ---------------------------------------------------------------------------------


def multi(values: list[str]) -> str:
    return "\n".join(f"- {v}" for v in values)


def _labels(rng: random.Random, pools: dict[str, list]) -> tuple[str, str, str]:
    themes, persons, sdgs = pools["labels"][rng.randrange(len(pools["labels"]))]
    return multi(themes), multi(persons), multi(sdgs)


def iter_rows(rows: int, seed: int, pools: dict[str, list]):
    """Yield *rows* UHRI rows, review by review, document by document."""
    rng = random.Random(seed)
    states = [c for c in all_countries() if c.un_group and len(c.code) == 3]
    names = [c.name for c in states]
    made = 0
    document = 0
    #: Documents numbered so far per series, so that a symbol names one document.
    numbers: dict[str, int] = {}

    def next_number(series: str, first: int = 1) -> int:
        numbers[series] = numbers.get(series, first - 1) + 1
        return numbers[series]

    while made < rows:
        document += 1
        country = states[rng.randrange(len(states))]
        family = _weighted(rng, MECHANISM_WEIGHTS)
        if family == "UPR":
            session = rng.randint(1, 50)
            council = session + 6 + (session > 30)
            symbol = f"A/HRC/{council}/{next_number(f'HRC{council}', rng.randint(5, 9))}"
            size = rng.randint(120, 300)
            section = 100 + rng.randint(10, 60)
            date = EXCEL_2008 + (session - 1) * 122 + rng.randint(60, 120)
        elif family == "TB":
            body = _weighted(rng, TREATY_BODY_WEIGHTS)
            symbol = f"{body}/C/{country.code}/CO/{next_number(body + country.code)}"
            size = rng.randint(20, 60)
            date = EXCEL_2008 + rng.randint(0, 6500)
        else:
            body = SPECIAL_PROCEDURES[rng.randrange(len(SPECIAL_PROCEDURES))]
            council = rng.randint(7, 59)
            symbol = f"A/HRC/{council}/{next_number(f'SP{council}', 20)}/Add.1"
            size = rng.randint(10, 40)
            date = EXCEL_2008 + rng.randint(0, 6500)
        first_paragraph = rng.randint(5, 30)  # concluding observations open with concerns
        for number in range(1, min(size, rows - made) + 1):
            themes, persons, sdgs = _labels(rng, pools)
            if family == "UPR":
                text = f"{section}.{number} {recombine(rng, pools['upr'])}"
                sponsors = rng.sample(names, 1 if rng.random() < 0.85 else rng.randint(2, 4))
                row = [
                    "UPR",
                    session,
                    multi([s for s in sponsors if s != country.name] or [names[0]]),
                    _weighted(rng, POSITION_WEIGHTS),
                ]
            else:
                text = f"{number + first_paragraph}. {recombine(rng, pools['co'])}"
                row = [body, "", "", ""]
            made += 1
            yield [
                f"corpus-{seed}-{made}",
                text,
                "Recommendation",
                row[0],
                symbol,
                str(date),
                f"- {country.name}",
                f"- {by_code(country.code).region}" if country.region else "",
                "",
                themes,
                persons,
                sdgs,
                str(row[1]),
                row[2],
                row[3],
            ]


def write_corpus(out: Path, rows: int, seed: int, pools: dict[str, list]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="") as fp:
        writer = csv.writer(fp)
        writer.writerow(COLUMNS)
        for row in iter_rows(rows, seed, pools):
            writer.writerow(row)
    partial.replace(out)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=270_000)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--out", type=Path, help="default: TMPDIR/rightstrack-corpus-N-SEED.csv")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument(
        "--cache-dir", type=Path, default=Path(tempfile.gettempdir()), help="where pools are cached"
    )
    args = parser.parse_args(argv)
    out = (
        args.out or Path(tempfile.gettempdir()) / f"rightstrack-corpus-{args.rows}-{args.seed}.csv"
    )
    start = time.perf_counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    pools = read_pools(args.shared, args.cache_dir)
    write_corpus(out, args.rows, args.seed, pools)
    print(
        f"{out}: {args.rows:,} recommendations, {out.stat().st_size / 1e6:.1f} MB "
        f"({len(pools['upr']):,} UPR and {len(pools['co']):,} treaty body texts recombined) "
        f"in {time.perf_counter() - start:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
