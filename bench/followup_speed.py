"""Follow-up pages and API at the size of a busy State: 5,000 recommendations, 40 institutions,
20,000 status updates (bench/followup_data.py's populate()).

Times, as a focal point and as the State's coordinator: the focal point's work list (the page
at /work/ when the web pages are installed; otherwise the assignments API filtered to the
institution), the recommendation page with its history (front-recommendation), GET
/api/v1/assignments and GET /api/v1/recommendations/{code}/follow-up. Each case runs RUNS
times; the 95th percentile must stay under 300 ms. Beside each case, a floor measured in the
same run: the bare SELECT of the same rows through a database cursor, so a busy machine shows
as a high floor, not as a slow application. Writes the figures between <!-- followup-sqlite -->
(or -postgresql) markers in docs/benchmarks.md.

Usage: python bench/followup_speed.py [--postgres URL] [--runs 30] [--no-postgres]
  Without --postgres it measures SQLite, then (unless --no-postgres) PostgreSQL at
  postgres://postgres@127.0.0.1:5432/rt_bench_followup when a server answers there (the
  database is created, and dropped at the end).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchdoc import write_section
from followup_data import create_postgres, drop_postgres, populate, setup_django

TARGET_MS = 300
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/rt_bench_followup"


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]


def timed(fn: Any, runs: int) -> list[float]:
    fn()  # warm the caches, as a running server has them
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def _cases(info: dict[str, Any]) -> list[tuple[str, Any, str, Any]]:
    """(name, person, url, floor) for every case; floor() runs the bare SELECT."""
    from django.db import connection
    from django.urls import NoReverseMatch, reverse

    from rightstrack.accounts.models import Institution
    from rightstrack.recommendations.models import Recommendation

    inst = Institution.objects.get(code=info["institution_code"])
    rec = Recommendation.objects.get(code=info["busy_recommendation"])

    def select(sql: str, params: list[Any]) -> Any:
        def run() -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()

        return run

    assignments_of_institution = select(
        "SELECT a.code, a.role, a.due, a.note, a.active, a.version, r.code, r.paragraph, "
        "r.document_symbol, r.text, f.status FROM tracking_assignment a "
        "JOIN recommendations_recommendation r ON r.id = a.recommendation_id "
        "LEFT JOIN tracking_followup f ON f.recommendation_id = a.recommendation_id "
        "AND f.sub_item_id IS NULL "
        "WHERE a.institution_id = %s AND a.active ORDER BY a.due, a.id LIMIT 50",
        [inst.pk],
    )
    assignments_of_state = select(
        "SELECT a.code, a.role, a.due, a.note, a.active, a.version, r.code, r.paragraph, "
        "r.document_symbol, r.text, f.status FROM tracking_assignment a "
        "JOIN recommendations_recommendation r ON r.id = a.recommendation_id "
        "LEFT JOIN tracking_followup f ON f.recommendation_id = a.recommendation_id "
        "AND f.sub_item_id IS NULL "
        "WHERE a.country_id = %s AND a.active ORDER BY a.due, a.id LIMIT 50",
        [rec.country_id],
    )
    history = select(
        "SELECT e.created, e.actor_name, e.actor_institution, e.kind, e.changes, e.note "
        "FROM tracking_event e WHERE e.recommendation_id = %s ORDER BY e.created, e.id",
        [rec.pk],
    )

    def follow_up_floor() -> None:
        history()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT u.code, u.status, u.date, u.note, u.state FROM tracking_statusupdate u "
                "WHERE u.recommendation_id = %s ORDER BY u.created DESC",
                [rec.pk],
            )
            cursor.fetchall()

    try:
        work = reverse("front-work")
        work_name = f"focal point's work list, page {work}"
    except NoReverseMatch:
        work = f"/api/v1/assignments?institution={inst.code}"
        work_name = "focal point's list: GET /api/v1/assignments?institution=..."
    page = reverse("front-recommendation", args=[rec.code])
    return [
        (work_name, "focal_point", work, assignments_of_institution),
        ("recommendation page with its history (focal point)", "focal_point", page, history),
        ("recommendation page with its history (coordinator)", "coordinator", page, history),
        ("GET /api/v1/assignments (focal point)", "focal_point", "/api/v1/assignments",
         assignments_of_institution),
        ("GET /api/v1/assignments (coordinator, whole State)", "coordinator",
         "/api/v1/assignments", assignments_of_state),
        ("GET /api/v1/recommendations/{code}/follow-up (coordinator)", "coordinator",
         f"/api/v1/recommendations/{rec.code}/follow-up", follow_up_floor),
    ]  # fmt: skip


def measure(info: dict[str, Any], runs: int) -> list[dict[str, Any]]:
    from django.contrib.auth.models import User
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from rightstrack.accounts.models import ApiToken

    clients: dict[str, Client] = {}
    tokens: dict[str, str] = {}
    for role in ("focal_point", "coordinator"):
        user = User.objects.get(username=info["users"][role])
        clients[role] = Client()
        clients[role].force_login(user)
        tokens[role] = ApiToken.issue(user, name="benchmark")[1]
    results = []
    for name, role, url, floor in _cases(info):
        client = clients[role]
        headers = {"Authorization": f"Bearer {tokens[role]}"} if url.startswith("/api/") else {}

        def get(client: Client = client, url: str = url, headers: dict = headers) -> None:
            response = client.get(url, headers=headers)
            assert response.status_code == 200, (url, response.status_code)

        samples = timed(get, runs)
        floor_samples = timed(floor, runs)
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            get()
        row = {
            "name": name,
            "p95": p95(samples),
            "median": statistics.median(samples),
            "floor": p95(floor_samples),
            "queries": len(captured),
        }
        results.append(row)
        print(
            f"{row['p95']:8.1f} ms p95 {row['median']:8.1f} ms median {row['floor']:7.1f} ms "
            f"floor {row['queries']:3d} queries  {name}",
            flush=True,
        )
    return results


def _database() -> tuple[str, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return "postgresql", f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return "sqlite", f"SQLite {cursor.fetchone()[0]}"


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return f"{line.split(':', 1)[1].strip()}, {os.cpu_count()} cores"
    except OSError:
        pass
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"


def report(
    info: dict[str, Any], results: list[dict[str, Any]], runs: int, fill: float, command: str
) -> tuple[str, str]:
    vendor, database = _database()
    load = os.getloadavg()
    counts = info["counts"]
    worst = max(r["p95"] for r in results)
    lines = [
        f"### {database}",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {_cpu()}, Python "
        f"{platform.python_version()}; load average {load[0]:.1f} / {load[1]:.1f} / "
        f"{load[2]:.1f} (1/5/15 min) at the end: the machine is shared, so read the floor "
        "column first.",
        f"Command: `{command}`.",
        "",
        f"Data (bench/followup_data.py, filled in {fill:.0f} s): {counts['recommendations']:,} "
        f"recommendations, {counts['institutions']} institutions, {counts['people']} people, "
        f"{counts['assignments']:,} assignments, {counts['status_updates']:,} status updates, "
        f"{counts['actions']:,} actions, {counts['indicators']:,} indicators, "
        f"{counts['measurements']:,} measurements, {counts['assessments']:,} assessments, "
        f"{counts['events']:,} history entries (two States; the second is a tenth of the first).",
        "",
        f"| case | p95 ms ({runs} runs) | median ms | floor p95 ms | SQL queries |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['name']} | {r['p95']:.1f} | {r['median']:.1f} | {r['floor']:.1f} | "
            f"{r['queries']} |"
        )
    verdict = "under" if worst < TARGET_MS else "OVER"
    lines += [
        "",
        f"Worst p95: {worst:.0f} ms, {verdict} the {TARGET_MS} ms target. The floor is the "
        "bare SELECT of the same rows through a database cursor, in the same run.",
    ]
    return vendor, "\n".join(lines)


def run_one(postgres: str, runs: int) -> int:
    folder = Path(tempfile.mkdtemp(prefix="rightstrack-followup-bench-"))
    db = folder / "followup.sqlite3"
    if postgres:
        create_postgres(postgres)
    setup_django(db, postgres)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    settings.DEBUG = False
    try:
        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        info = populate(recommendations=5000, institutions=40, updates=20000, seed=1)
        fill = time.perf_counter() - start
        print(f"filled in {fill:.1f} s: {info['counts']}", flush=True)
        results = measure(info, runs)
        command = "python bench/followup_speed.py" + (f" --postgres {postgres}" if postgres else "")
        vendor, body = report(info, results, runs, fill, command)
        write_section(
            f"followup-{vendor}",
            body,
            heading="Follow-up: work list, recommendation page and API (bench/followup_speed.py)"
            if vendor == "sqlite"
            else "",
        )
        worst = max(r["p95"] for r in results)
    finally:
        connections.close_all()
        if postgres:
            drop_postgres(postgres)
        db.unlink(missing_ok=True)
    return 0 if worst < TARGET_MS else 1


def _postgres_answers(url: str) -> bool:
    try:
        import psycopg

        base = url.rsplit("/", 1)[0]
        with psycopg.connect(f"{base}/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default="", help="measure PostgreSQL at this URL only")
    parser.add_argument("--no-postgres", action="store_true", help="measure SQLite only")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
    if args.postgres:
        return run_one(args.postgres, args.runs)
    status = run_sqlite(args.runs)
    if not args.no_postgres:
        if _postgres_answers(DEFAULT_POSTGRES):
            pg = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--postgres",
                    DEFAULT_POSTGRES,
                    "--runs",
                    str(args.runs),
                ],
                check=False,
            ).returncode
            status = status or pg
        else:
            print(f"no PostgreSQL at {DEFAULT_POSTGRES}: measured SQLite only", file=sys.stderr)
    return status


def run_sqlite(runs: int) -> int:
    """SQLite in a child process (Django is set up once per process)."""
    here = str(Path(__file__).resolve().parent)
    code = (
        f"import sys; sys.path.insert(0, {here!r}); import followup_speed as f; "
        f"sys.exit(f.run_one('', {runs}))"
    )
    return subprocess.run([sys.executable, "-c", code], check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
