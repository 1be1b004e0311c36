"""Dashboards, the calendar and send-reminders at the size of a State's follow-up.

Builds a temporary database (the real migrations) with one State's 5,000 recommendations,
40 institutions, 500 people, one lead assignment per recommendation and 20,000 status updates
over two years, recomputes the deadlines, then times with the Django test client (templates
rendered) the State's dashboard and the calendar as its coordinator and as a focal point, and
`send_reminders()` for the 500 people (locmem e-mail backend). A floor measured in the same run
(the login page: no query beyond the session) shows how busy the machine was.

Usage: python bench/deadlines_speed.py [--recommendations 5000] [--updates 20000]
       [--postgres postgres://postgres@127.0.0.1:5432/rt_bench_deadlines] [--no-write]
Targets: p95 under 300 ms for the dashboard and the calendar; send-reminders for 500 people
under 60 s; the number of SQL queries of a page does not grow with the data.
Writes its section of docs/benchmarks.md (<!-- deadlines-sqlite --> / <!-- deadlines-postgresql -->).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchdoc import write_section

ROOT = Path(__file__).resolve().parents[1]
PAGE_TARGET_MS = 300
REMINDERS_TARGET_S = 60
RUNS = 30
SEED = 12
TODAY = dt.date(2026, 6, 15)
STATUSES = ["in_progress", "partially_implemented", "implemented", "no_longer_applicable"]
THEMES = [
    "Right to education",
    "Right to health",
    "Equality & non-discrimination",
    "Right to adequate housing",
    "Conditions of detention",
    "Right to life",
    "Freedom of expression",
    "Administration of justice",
]
GROUPS = [
    "Children",
    "Women & girls",
    "Persons with disabilities",
    "Internally displaced persons",
    "Refugees & asylum-seekers",
    "Older persons",
    "Migrants",
]
BODIES = [("UPR", "upr")] * 5 + [
    (b, "treaty_body") for b in ("CRC", "CEDAW", "CRPD", "CAT", "CCPR")
]


def setup_django(db_path: Path, postgres: str) -> None:
    os.environ["DB_NAME"] = str(db_path)
    if postgres:
        os.environ["DATABASE_URL"] = postgres
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(n_recs: int, n_updates: int) -> dict:
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import transaction

    from rightstrack.accounts.models import Institution, Membership, Profile
    from rightstrack.deadlines import services
    from rightstrack.formats import records
    from rightstrack.recommendations.models import (
        Body,
        Country,
        Document,
        Label,
        Recommendation,
        Review,
        Taxonomy,
        Term,
    )
    from rightstrack.tracking.models import (
        Assignment,
        FollowUp,
        Indicator,
        Measurement,
        StatusUpdate,
    )

    call_command("migrate", verbosity=0)
    rnd = random.Random(SEED)
    start = time.perf_counter()
    with transaction.atomic():
        state = Country.objects.create(code="ZZA", name="Arcadia")
        Country.objects.create(code="ZZB", name="Borduria")
        bodies = {c: Body.objects.create(code=c, name=c, mechanism=m) for c, m in set(BODIES)}
        Review.objects.create(body=bodies["UPR"], country=state, session="48", cycle=4)
        docs = {
            c: Document.objects.create(
                symbol=f"{c}/C/ZZA/CO/3",
                kind="concluding_observations",
                body=bodies[c],
                country=state,
                date=dt.date(2025, 11, 20),
                next_report_due=dt.date(2029, 11, 1),
            )
            for c, m in set(BODIES)
            if m == "treaty_body"
        }
        themes = Taxonomy.objects.create(slug=records.THEMES, name="Themes")
        groups = Taxonomy.objects.create(slug=records.GROUPS_OF_PERSONS, name="Groups")
        theme_terms = [Term.objects.create(taxonomy=themes, name=n) for n in THEMES]
        group_terms = [Term.objects.create(taxonomy=groups, name=n) for n in GROUPS]
        nmrf = Institution.objects.create(name="National Mechanism", kind="nmrf", country=state)
        institutions = [
            Institution.objects.create(name=f"Ministry {i:02d}", kind="ministry", country=state)
            for i in range(40)
        ]
        coordinator = User.objects.create_user("cora", "cora@example.org", "password")
        Membership.objects.create(user=coordinator, institution=nmrf, role="coordinator")
        people = []
        for i in range(499):
            inst = institutions[i % 40]
            role = (
                "validator"
                if i // 40 == 1
                else "focal_point"
                if i // 40 in (0, 2, 3, 4)
                else "viewer"
            )
            people.append((User(username=f"p{i:03d}", email=f"p{i:03d}@example.org"), inst, role))
        users = User.objects.bulk_create([u for u, _i, _r in people])
        Membership.objects.bulk_create(
            Membership(user=u, institution=i, role=r)
            for u, (_u, i, r) in zip(users, people, strict=True)
        )
        Profile.objects.bulk_create(
            Profile(user=u, language=rnd.choice(["en", "fr", "es"])) for u in [coordinator, *users]
        )
        recs = []
        for n in range(n_recs):
            code, mech = rnd.choice(BODIES)
            follow = mech == "treaty_body" and rnd.random() < 0.05
            recs.append(
                Recommendation(
                    key=f"bench-{n}",
                    country=state,
                    body=bodies[code],
                    mechanism=mech,
                    document=docs.get(code),
                    document_symbol=docs[code].symbol if code in docs else "A/HRC/59/15",
                    paragraph=f"{rnd.randint(5, 160)}.{n}",
                    text=f"Recommendation number {n}.",
                    year=2025,
                    follow_up=follow,
                    cycle=4 if mech == "upr" else None,
                )
            )
        recs = Recommendation.objects.bulk_create(recs, batch_size=1000)
        Label.objects.bulk_create(
            [Label(recommendation=r, term=rnd.choice(theme_terms), source="document") for r in recs]
            + [
                Label(recommendation=r, term=rnd.choice(group_terms), source="document")
                for r in recs
            ],
            batch_size=2000,
        )
        assignments = Assignment.objects.bulk_create(
            [
                Assignment(
                    recommendation=r,
                    country=state,
                    institution=rnd.choice(institutions),
                    role="lead",
                    due=TODAY + dt.timedelta(days=rnd.randint(-120, 240)),
                    created_by=coordinator,
                )
                for r in recs
            ],
            batch_size=1000,
        )
        updates, latest = [], {}
        for k in range(n_updates):
            a = rnd.choice(assignments)
            day = TODAY - dt.timedelta(days=rnd.randint(0, 730))
            state_ = "pending" if rnd.random() < 0.03 else "validated"
            status = rnd.choice(STATUSES[:3])
            updates.append(
                StatusUpdate(
                    recommendation_id=a.recommendation_id,
                    country=state,
                    institution_id=a.institution_id,
                    author=coordinator,
                    status=status,
                    date=day,
                    note=f"update {k}",
                    state=state_,
                    decided_by=coordinator if state_ == "validated" else None,
                )
            )
            if state_ == "validated" and day >= latest.get(a.recommendation_id, (day, ""))[0]:
                latest[a.recommendation_id] = (day, status)
        StatusUpdate.objects.bulk_create(updates, batch_size=2000)
        FollowUp.objects.bulk_create(
            [
                FollowUp(
                    recommendation=r,
                    country=state,
                    status=latest.get(r.pk, (None, "not_started"))[1],
                    status_date=latest.get(r.pk, (None, None))[0],
                )
                for r in recs
            ],
            batch_size=2000,
        )
        for i, inst in enumerate(institutions[:20]):
            ind = Indicator.objects.create(
                country=state,
                institution=inst,
                name=f"Indicator {i}",
                baseline=0,
                target=100,
                frequency="quarterly",
                baseline_date=dt.date(2025, 1, 1),
            )
            ind.recommendations.add(recs[i])
            Measurement.objects.create(
                indicator=ind, date=dt.date(2026, 3, 31), value=rnd.randint(0, 100)
            )
    counts = services.refresh_all()
    print(f"built in {time.perf_counter() - start:.1f} s: {counts}", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {"focal": users[0].username}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(focal: str) -> tuple[list[tuple[str, float, float, int]], float, dict]:
    import time_machine
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from rightstrack.deadlines.reminders import send_reminders

    cases = [
        ("floor: login page (anonymous)", None, "/accounts/login/"),
        ("dashboard of the State (coordinator)", "cora", "/dashboard/?country=ZZA"),
        ("dashboard of one institution", "cora", "/dashboard/?country=ZZA&institution={inst}"),
        ("dashboard (a focal point)", focal, "/dashboard/?country=ZZA"),
        ("calendar, this month (coordinator)", "cora", "/calendar/?month=2026-06"),
        (
            "calendar by institution (coordinator)",
            "cora",
            "/calendar/?month=2026-06&by=institution",
        ),
        ("calendar, this month (a focal point)", focal, "/calendar/?month=2026-06"),
        ("country page with its deadlines", "cora", "/countries/ZZA/"),
    ]
    from rightstrack.accounts.models import Institution

    inst = Institution.objects.get(name="Ministry 03").code
    results = []
    # A second floor: the database's share. One plain read of three columns of every update.
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT recommendation_id, date, status FROM tracking_statusupdate")
            cursor.fetchall()
        times.append((time.perf_counter() - t) * 1000)
    results.append(
        ("floor: one SQL read of the 20,000 updates", statistics.median(times), p95(times), 1)
    )
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(9), tzinfo=dt.UTC), tick=True):
        for name, who, url in cases:
            client = Client()
            if who:
                client.force_login(User.objects.get(username=who))
            url = url.format(inst=inst)
            assert client.get(url, secure=True).status_code == 200, url  # warm-up
            queries: list[str] = []

            def count(execute, sql, params, many, context, queries=queries):  # type: ignore[no-untyped-def]
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                client.get(url, secure=True)
            times = []
            for _ in range(RUNS):
                t = time.perf_counter()
                response = client.get(url, secure=True)
                times.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200
            results.append((name, statistics.median(times), p95(times), len(queries)))
            print(
                f"{results[-1][1]:7.1f} ms median {results[-1][2]:7.1f} ms p95 "
                f"{results[-1][3]:3d} queries  {name}",
                flush=True,
            )
        t = time.perf_counter()
        summary = send_reminders(TODAY)
        seconds = time.perf_counter() - t
    print(f"send_reminders: {seconds:.1f} s, {summary}", flush=True)
    return results, seconds, {"mails": summary.mails, "people": summary.people}


def _recreate_postgres(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def table(args, results, seconds: float, mails: dict) -> str:
    import platform

    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            db = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            db = f"SQLite {cursor.fetchone()[0]}"
    load = os.getloadavg()
    lines = [
        f"**{db}**, {dt.date.today().isoformat()}: {args.recommendations:,} recommendations, 40 "
        f"institutions, 500 people, {args.updates:,} status updates; {RUNS} runs per page after "
        f"one warm-up; {os.cpu_count()} cores, Python {platform.python_version()}, load average "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (the machine is shared with other work).",
        "",
        "| case | median ms | p95 ms | SQL queries | p95 within 300 ms |",
        "|---|---:|---:|---:|---|",
        *[
            f"| {n} | {m:.0f} | {p:.0f} | {q} | {'—' if n.startswith('floor') else ('yes' if p < PAGE_TARGET_MS else 'NO')} |"
            for n, m, p, q in results
        ],
        "",
        f"`send_reminders()` for {mails['people']} people: {seconds:.1f} s, {mails['mails']} mails "
        f"(target under {REMINDERS_TARGET_S} s: {'yes' if seconds < REMINDERS_TARGET_S else 'NO'}).",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recommendations", type=int, default=5000)
    parser.add_argument("--updates", type=int, default=20000)
    parser.add_argument("--postgres", default="", metavar="URL")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument(
        "--keep", metavar="PATH", help="build the SQLite database at PATH once and keep it"
    )
    parser.add_argument("--build-only", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:  # the child process that builds the database
        setup_django(Path(args.build_only), args.postgres)
        build(args.recommendations, args.updates)
        return 0
    db_path = Path(
        args.keep
        or Path(tempfile.gettempdir()) / f"rightstrack-bench-deadlines-{os.getpid()}.sqlite"
    )
    reuse = bool(args.keep) and db_path.exists()
    if args.postgres:
        _recreate_postgres(args.postgres)
    try:
        if not reuse:
            # Built in another process, so the pages are measured in a fresh one, as a
            # server's: not after creating 50,000 objects (the garbage collector's work).
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--build-only",
                    str(db_path),
                    "--recommendations",
                    str(args.recommendations),
                    "--updates",
                    str(args.updates),
                    *(["--postgres", args.postgres] if args.postgres else []),
                ],
                check=True,
            )
        setup_django(db_path, args.postgres)
        results, seconds, mails = measure("p000")
        text = table(args, results, seconds, mails)
    finally:
        from django.db import connections

        connections.close_all()
        if args.postgres:
            _recreate_postgres(args.postgres, drop_only=True)
        for suffix in ("", "-wal", "-shm"):
            if not args.keep:
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    print(text)
    if not args.no_write:
        vendor = "postgresql" if args.postgres else "sqlite"
        write_section(
            f"deadlines-{vendor}",
            text,
            heading=f"Deadlines: dashboards, calendar, reminders ({vendor}; bench/deadlines_speed.py)",
        )
    slow = [n for n, _m, p, _q in results if p >= PAGE_TARGET_MS and not n.startswith("floor")]
    return 1 if slow or seconds >= REMINDERS_TARGET_S else 0


if __name__ == "__main__":
    sys.exit(main())
