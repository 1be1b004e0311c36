"""Search, facets and pages at the size of the full UHRI export (about 270,000 recommendations).

Builds a temporary SQLite database of synthetic recommendations with labels (bulk inserts,
through the real migrations, so the FTS5 index and triggers are the real ones), then times
typical searches, facet counts and whole pages rendered by the Django test client, and writes
the figures between <!-- search --> and <!-- /search --> in docs/benchmarks.md.

Usage: python bench/search_speed.py [--rows 270000] [--keep]   (--keep reuses the database
from an earlier run with the same number of rows; target: every page under 300 ms.)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- search -->", "<!-- /search -->"
TARGET_MS = 300
REPEAT = 5
SEED = 7

VERBS = [
    "Ratify",
    "Consider ratifying",
    "Continue efforts to",
    "Take measures to",
    "Ensure",
    "Adopt",
    "Strengthen",
    "Establish",
    "Investigate",
    "Allocate resources to",
    "Guarantee",
]
OBJECTS = [
    "the Convention on the Rights of Persons with Disabilities",
    "the Optional Protocol to the Convention against Torture",
    "access to education for internally displaced children",
    "the protection of refugees and asylum-seekers",
    "birth registration for all children",
    "freedom of expression and of the media",
    "the independence of the judiciary",
    "gender-based violence against women and girls",
    "the right to adequate housing",
    "conditions of detention in prisons",
    "the rights of older persons",
    "statelessness and the right to a nationality",
    "a national human rights institution",
    "the abolition of the death penalty",
    "access to safe drinking water and sanitation",
    "the rights of migrant workers and members of their families",
]
TAILS = [
    "in line with the Paris Principles",
    "with a time-bound plan",
    "and allocate a budget",
    "in consultation with civil society",
    "including in rural areas",
    "without delay",
    "",
    "by adopting comprehensive legislation",
    "and collect disaggregated data",
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
    "Rights related to name, identity & nationality",
    "Right to life",
    "Freedom of opinion and expression & access to information",
    "Ratification of & accession to international instruments",
]
GROUPS = [
    "Internally displaced persons",
    "Refugees & asylum-seekers",
    "Stateless persons",
    "Older persons",
    "Persons with disabilities",
    "Women & girls",
    "Children",
    "Migrants",
    "Persons deprived of their liberty",
]
BODIES = (
    [("UPR", "upr")] * 6
    + [
        (b, "treaty_body")
        for b in ("CRC", "CEDAW", "CRPD", "CAT", "CCPR", "CESCR", "CERD", "CMW", "CED")
    ]
    + [("SR-IDPs", "special_procedures"), ("SR-Education", "special_procedures")]
)


def setup_django(db_path: Path) -> None:
    os.environ["DB_NAME"] = str(db_path)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(rows: int) -> None:
    from django.core.management import call_command
    from django.db import transaction

    from rightstrack.formats import records
    from rightstrack.recommendations.models import (
        Body,
        Country,
        Label,
        Recommendation,
        Taxonomy,
        Term,
    )

    call_command("migrate", verbosity=0)
    rnd = random.Random(SEED)
    with transaction.atomic():
        countries = Country.objects.bulk_create(
            Country(code=f"C{i:02d}", name=f"State {i:03d}") for i in range(195)
        )
        bodies = {
            code: Body.objects.create(code=code, name=code, mechanism=m) for code, m in set(BODIES)
        }
        taxonomies = {
            slug: Taxonomy.objects.create(slug=slug, name=slug)
            for slug in (records.THEMES, records.GROUPS_OF_PERSONS, records.SDG_GOALS)
        }
        themes = [Term.objects.create(taxonomy=taxonomies[records.THEMES], name=n) for n in THEMES]
        groups = [
            Term.objects.create(taxonomy=taxonomies[records.GROUPS_OF_PERSONS], name=n)
            for n in GROUPS
        ]
        goals = [
            Term.objects.create(
                taxonomy=taxonomies[records.SDG_GOALS], code=str(g), name=f"Goal {g}"
            )
            for g in range(1, 18)
        ]
    batch = 5000
    start = time.perf_counter()
    for offset in range(0, rows, batch):
        recs = []
        for n in range(offset, min(rows, offset + batch)):
            code, mechanism = rnd.choice(BODIES)
            year = rnd.randint(2006, 2025)
            text = f"{rnd.choice(VERBS)} {rnd.choice(OBJECTS)} {rnd.choice(TAILS)}".strip() + "."
            recs.append(
                Recommendation(
                    key=f"bench-{n}",
                    country=rnd.choice(countries),
                    body=bodies[code],
                    mechanism=mechanism,
                    paragraph=f"{rnd.randint(5, 160)}.{rnd.randint(1, 300)}",
                    document_symbol=f"A/HRC/{rnd.randint(5, 59)}/{rnd.randint(1, 20)}",
                    text=text,
                    year=year,
                    cycle=min(4, (year - 2006) // 5 + 1) if mechanism == "upr" else None,
                    position=rnd.choice(["supported", "supported", "noted"])
                    if mechanism == "upr"
                    else "",
                )
            )
        with transaction.atomic():
            created = Recommendation.objects.bulk_create(recs)
            labels = []
            for rec in created:
                for term in {rnd.choice(themes), rnd.choice(themes)}:
                    labels.append(Label(recommendation=rec, term=term, source="document"))
                labels.append(Label(recommendation=rec, term=rnd.choice(groups), source="document"))
                labels.append(Label(recommendation=rec, term=rnd.choice(goals), source="document"))
            Label.objects.bulk_create(labels)
    print(f"built {rows} recommendations in {time.perf_counter() - start:.0f} s", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure() -> list[tuple[str, float]]:
    from django.test import Client

    from rightstrack.recommendations.models import Recommendation
    from rightstrack.recommendations.search import facet_counts, filter_recommendations

    client = Client()
    some = Recommendation.objects.order_by("id")[1234]

    def page(url: str):  # type: ignore[no-untyped-def]
        def get() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return get

    cases = [
        (
            "search: rare word, first page of results",
            lambda: list(filter_recommendations(query="statelessness")[:25]),
        ),
        (
            "search: common word, count and first page",
            lambda: (
                filter_recommendations(query="children").count(),
                list(filter_recommendations(query="children")[:25]),
            ),
        ),
        ("facets: all 9 over everything", lambda: facet_counts(Recommendation.objects.all())),
        (
            "facets: all 9 over a common word",
            lambda: facet_counts(filter_recommendations(query="children")),
        ),
        (
            "facets: all 9 over one country",
            lambda: facet_counts(filter_recommendations(country="C07")),
        ),
        ("page / (no query)", page("/")),
        ("page /?q=children", page("/?q=children")),
        (
            'page /?q="national human rights institution"&mechanism=upr',
            page("/?q=%22national+human+rights+institution%22&mechanism=upr"),
        ),
        (
            "page /?theme=Right to education&position=noted",
            page("/?theme=Right+to+education&position=noted"),
        ),
        ("page /?q=torture&page=20", page("/?q=torture&page=20")),
        ("htmx fragment /?q=refugees&country=C07", page("/?q=refugees&country=C07")),
        ("page /recommendations/<code>/", page(f"/recommendations/{some.code}/")),
        ("page /countries/", page("/countries/")),
        ("page /countries/C07/", page("/countries/C07/")),
        (
            "API /api/v1/recommendations?q=education&facets=true",
            page("/api/v1/recommendations?q=education&facets=true"),
        ),
    ]
    results = []
    for name, fn in cases:
        fn()  # warm caches, as a running server has them
        ms = timed(fn)
        results.append((name, ms))
        print(f"{ms:8.1f} ms  {name}", flush=True)
    return results


def write_doc(rows: int, results: list[tuple[str, float]]) -> None:
    import platform

    lines = [
        START,
        f"Search at scale: {rows:,} synthetic recommendations with {rows * 4 // 1000:,}k labels "
        f"on SQLite (FTS5), median of {REPEAT} runs after one warm-up, server-side time "
        f"(Django test client, templates rendered). Target: every page under {TARGET_MS} ms. "
        f"Machine: {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f} "
        "(the machine is shared: a busy one adds time to every case). "
        "Run `python bench/search_speed.py`.",
        "",
        "| case | ms | within target |",
        "|---|---:|---|",
        *[f"| {name} | {ms:.0f} | {'yes' if ms < TARGET_MS else 'NO'} |" for name, ms in results],
        END,
    ]
    block = "\n".join(lines)
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        _, after = rest.split(END, 1)
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n## Search\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=270_000)
    parser.add_argument("--keep", action="store_true", help="reuse the database of an earlier run")
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    args = parser.parse_args()
    db_path = Path(tempfile.gettempdir()) / f"rightstrack-bench-search-{args.rows}.sqlite"
    fresh = not (args.keep and db_path.exists())
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    setup_django(db_path)
    if fresh:
        build(args.rows)
    results = measure()
    if not args.no_write:
        write_doc(args.rows, results)
    slow = [name for name, ms in results if ms >= TARGET_MS]
    if slow:
        print(f"over {TARGET_MS} ms: {', '.join(slow)}", file=sys.stderr)
    if not args.keep:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
