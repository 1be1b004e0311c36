"""Speed of storing the analysis: N recommendations analysed and written to a fresh database.

Creates a temporary SQLite database (or uses DATABASE_URL), fills it with N recommendations
whose texts cycle through the UPR Info export (sessions 1-13 in ../shared/data), then runs
`rightstrack.analysis.services.analyse_recommendations` over all of them, and again (the
idempotent re-run). Prints the times, rows/s and peak memory; docs/review-queue.md records them.

Usage: python bench/analyse_database.py [--rows 40000]
Target: 40,000 recommendations in about a minute on this 2-core machine.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = (
    ROOT.parent / "shared" / "data" / "raw" / "upr-info-terman" / "upr-info-export-sessions1-20"
)
FILES = ("1-5.csv", "6-9.csv", "10-13.csv")


def _texts() -> list[str]:
    texts = []
    for name in FILES:
        with (SHARED / name).open(encoding="utf-8", errors="replace", newline="") as fp:
            texts += [row["Text"] for row in csv.DictReader(fp) if row.get("Text")]
    return texts


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=40_000)
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} is absent")
        return 0
    sys.path.insert(0, str(ROOT))
    tmp = tempfile.TemporaryDirectory()
    os.environ.setdefault("DB_NAME", str(Path(tmp.name) / "bench.sqlite"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from rightstrack.analysis.services import analyse_recommendations
    from rightstrack.recommendations.models import Body, Country, Recommendation
    from rightstrack.recommendations.services import load_reference_data

    call_command("migrate", verbosity=0)
    load_reference_data()
    texts = _texts()
    country = Country.objects.order_by("id").first()
    body = Body.objects.get(code="UPR")
    Recommendation.objects.bulk_create(
        [
            Recommendation(
                key=f"bench-{n}",
                country=country,
                body=body,
                mechanism=body.mechanism,
                text=texts[n % len(texts)],
                year=2010 + n % 15,
            )
            for n in range(args.rows)
        ],
        batch_size=2000,
    )
    ids = list(Recommendation.objects.values_list("id", flat=True))
    for label in ("first run", "re-run"):
        start = time.perf_counter()
        count = analyse_recommendations(ids)
        elapsed = time.perf_counter() - start
        print(f"{label}: {count} recommendations in {elapsed:.1f} s ({count / elapsed:,.0f}/s)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
