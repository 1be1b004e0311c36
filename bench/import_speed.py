"""Import speed and memory at scale: a synthetic UHRI-shaped CSV of N rows into a fresh database.

Writes the CSV (UHRI columns and quirks: "Reccomending Body", "- "-prefixed newline-separated
multi-values, Excel serial dates, paragraph number inside Text) and a fresh SQLite database in a
temporary folder, imports the file with `rightstrack.recommendations.services.import_file`,
imports it again (nothing changes: the idempotency path), and writes rows/s and peak memory
between <!-- import --> and <!-- /import --> in docs/benchmarks.md.

Usage: python bench/import_speed.py [--rows 100000] [--no-write]
Target: 100,000 recommendations in a few minutes on SQLite.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from benchdoc import write_section

ROOT = Path(__file__).resolve().parents[1]
SEED = 11

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
STATES = [
    "France",
    "Germany",
    "Brazil",
    "Kenya",
    "India",
    "Japan",
    "Mexico",
    "Norway",
    "Ghana",
    "Chile",
    "Thailand",
    "Spain",
    "Portugal",
    "Australia",
    "Canada",
    "Senegal",
    "Fiji",
    "Uruguay",
    "Philippines",
    "Tunisia",
    "Slovenia",
    "Iraq",
    "Somalia",
    "Ukraine",
]
VERBS = [
    "Ratify",
    "Consider ratifying",
    "Continue efforts to strengthen",
    "Take measures to ensure",
    "Adopt",
    "Establish",
    "Investigate",
    "Allocate resources to",
]
OBJECTS = [
    "the Convention on the Rights of Persons with Disabilities",
    "a law on internal displacement",
    "access to education for internally displaced children",
    "birth registration for all children",
    "the protection of human rights defenders",
    "the independence of the judiciary",
    "shelters for victims of gender-based violence",
    "conditions of detention",
    "a national human rights institution",
    "the abolition of the death penalty",
]
THEMES = [
    "Right to education",
    "Right to health",
    "Equality & non-discrimination",
    "Freedom of movement",
    "Conditions of detention",
    "Death penalty",
    "Right to adequate housing",
    "Sexual & gender-based violence",
]
GROUPS = [
    "Internally displaced persons",
    "Refugees & asylum seekers",
    "Stateless persons",
    "Persons with disabilities",
    "Women & girls",
    "Children",
]
SDGS = ["16.3", "5.2", "4.1", "1.3", "10.2", "11.5"]
BODIES = ["UPR"] * 6 + [
    "CRC",
    "CEDAW",
    "CRPD",
    "CAT",
    "CCPR",
    "Special Rapporteur on the human rights of internally displaced persons",
]


def multi(values: list[str]) -> str:
    return "\n".join(f"- {v}" for v in values)


def write_csv(path: Path, rows: int) -> None:
    rng = random.Random(SEED)
    with path.open("w", encoding="utf-8", newline="") as fp:
        writer = csv.writer(fp)
        writer.writerow(COLUMNS)
        for n in range(rows):
            body = rng.choice(BODIES)
            country = rng.choice(STATES)
            session = rng.randint(1, 48)
            text = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} (variant {n})."
            if body == "UPR":
                symbol = f"A/HRC/{session + 6}/{rng.randint(1, 40)}"
                text = f"{100 + n // 250}.{n % 250 + 1} {text}"
                states = multi(rng.sample([s for s in STATES if s != country], rng.randint(1, 3)))
                position = rng.choice(["Supported", "Supported", "Noted"])
            else:
                symbol = (
                    f"{body[:5]}/C/{n // 40}/CO/1" if len(body) < 6 else f"A/HRC/{n // 40}/1/Add.1"
                )
                text = f"{n % 40 + 1}. {text}"
                states, position = "", ""
            writer.writerow(
                [
                    f"bench-{n}",
                    text,
                    "Recommendation",
                    body,
                    symbol,
                    str(39000 + rng.randint(0, 6000)),
                    f"- {country}",
                    "",
                    "",
                    multi(rng.sample(THEMES, 2)),
                    multi(rng.sample(GROUPS, 1)),
                    multi(rng.sample(SDGS, 1)),
                    str(session) if body == "UPR" else "",
                    states,
                    position,
                ]
            )


def peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs alone")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "uhri-synthetic.csv"
        start = time.perf_counter()
        write_csv(source, args.rows)
        print(
            f"wrote {args.rows} rows ({source.stat().st_size / 1e6:.1f} MB) in "
            f"{time.perf_counter() - start:.1f} s",
            flush=True,
        )

        os.environ.pop("DATABASE_URL", None)
        os.environ["DB_NAME"] = str(folder / "bench.sqlite")
        os.environ["RIGHTSTRACK_DATA_DIR"] = str(folder)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        from rightstrack.recommendations import services

        call_command("migrate", verbosity=0)
        before = peak_mb()
        start = time.perf_counter()
        first = services.import_file(source, kind="uhri")
        first_s = time.perf_counter() - start
        print(first.summary(), f"in {first_s:.1f} s", flush=True)
        start = time.perf_counter()
        second = services.import_file(source, kind="uhri")
        second_s = time.perf_counter() - start
        print(second.summary(), f"in {second_s:.1f} s", flush=True)
        peak = peak_mb()

    lines = [
        f"Import of a synthetic UHRI-shaped CSV ({args.rows:,} rows, `bench/import_speed.py`) "
        f"into a fresh SQLite database; Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs.",
        "",
        "| step | time | rows/s |",
        "|---|---|---|",
        f"| first import ({first.created:,} new) | {first_s:.1f} s | {args.rows / first_s:,.0f} |",
        f"| re-import ({second.unchanged:,} unchanged) | {second_s:.1f} s | "
        f"{args.rows / second_s:,.0f} |",
        "",
        f"Peak memory (resident set): {peak:.0f} MB ({before:.0f} MB before the import).",
    ]
    print("\n".join(lines))
    if not args.no_write:
        write_section("import", "\n".join(lines), heading="Import")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
