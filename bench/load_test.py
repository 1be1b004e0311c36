"""Load test: concurrent users browsing, searching and updating follow-up (issue 16 §7).

A bounded script, loopback only. It fills a PostgreSQL database of its own with synthetic
recommendations (any size, 270,000 by default), serves the app with gunicorn on 127.0.0.1,
and runs USERS concurrent users for SECONDS:

- readers (USERS - WRITERS), over HTTP: the search page with a query, with filters, with a
  query and filters; a recommendation's page; a country's page; the API search with facets;
  each followed by a short random pause (0.1-0.5 s), as a person reading would;
- writers (WRITERS): focal points reporting progress on recommendations assigned to their
  institution over HTTP, through the API with their own read-write tokens
  (`POST /api/v1/recommendations/{code}/status-updates`), and every fifth update approved by
  the validator with theirs (`POST /api/v1/status-updates/{code}/decision`): the real path,
  authentication, permissions, validation and the service layer in the server's processes.

It reports, per kind of request, how many, errors (status 500 and over, refused connections,
timeouts, exceptions) and the 50th, 95th and 99th percentiles, and with --write-doc appends
them to docs/benchmarks.md. The machine is shared: the figures give its load average.

    python bench/load_test.py --database-url postgres://postgres@127.0.0.1:5432/rt_load \\
        --recommendations 270000 --users 50 --seconds 60 --write-doc
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

WORDS = [
    "ratify",
    "convention",
    "rights",
    "child",
    "women",
    "disability",
    "torture",
    "detention",
    "refugees",
    "migrants",
    "education",
    "health",
    "water",
    "housing",
    "justice",
    "police",
    "violence",
    "discrimination",
    "minorities",
    "indigenous",
    "journalists",
    "freedom",
    "expression",
    "assembly",
    "trafficking",
    "labour",
    "birth",
    "registration",
    "displaced",
    "persons",
    "humanitarian",
    "climate",
    "disaster",
    "budget",
    "indicators",
    "national",
    "plan",
]
QUERIES = [
    "ratify convention",
    "torture",
    "women violence",
    "refugees OR migrants",
    '"birth registration"',
    "disab*",
    "education -health",
    "displaced persons",
]
COUNTRIES = [
    "KEN", "FRA", "BRA", "IND", "NGA", "DEU", "MEX", "PAK", "EGY", "COL",
    "UKR", "SYR", "AFG", "SDN", "YEM", "ETH", "PHL", "IDN", "TUR", "JPN",
]  # fmt: skip
BODIES = ["UPR", "CRPD", "CEDAW", "CRC", "CAT", "CCPR", "CESCR", "CERD"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rt_hardening_load"
        ),
    )
    parser.add_argument("--recommendations", type=int, default=270_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--writers", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker")
    parser.add_argument("--keep", action="store_true", help="keep the data when it is there")
    parser.add_argument("--write-doc", action="store_true", help="append to docs/benchmarks.md")
    return parser.parse_args()


# --- data -----------------------------------------------------------------------------------


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightstrack.settings")
    import django

    django.setup()


def fill(count: int) -> dict[str, object]:
    """Migrate, then make *count* recommendations, institutions, people and assignments."""
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from rightstrack.accounts.models import ApiToken, Institution, Membership
    from rightstrack.recommendations.models import Body, Country, Recommendation
    from rightstrack.recommendations.services import load_reference_data
    from rightstrack.tracking import services as tracking

    call_command("migrate", verbosity=0, interactive=False)
    load_reference_data()
    have = Recommendation.objects.count()
    countries = {c.code: c for c in Country.objects.filter(code__in=COUNTRIES)}
    bodies = {b.code: b for b in Body.objects.filter(code__in=BODIES)}
    rng = random.Random(16)
    started = time.monotonic()
    batch = []
    for n in range(have, count):
        body = bodies[BODIES[n % len(BODIES)]]
        words = rng.sample(WORDS, 12)
        batch.append(
            Recommendation(
                key=f"load-{n}",
                country=countries[COUNTRIES[n % len(COUNTRIES)]],
                body=body,
                mechanism=body.mechanism,
                paragraph=f"{100 + n // 1000}.{n % 1000}",
                text=f"Recommendation {n}: " + " ".join(words).capitalize() + ".",
                year=2008 + n % 17,
                cycle=(1 + n % 4) if body.code == "UPR" else None,
                position=("supported", "noted", "")[n % 3] if body.code == "UPR" else "",
            )
        )
        if len(batch) == 5000:
            Recommendation.objects.bulk_create(batch)
            batch = []
    Recommendation.objects.bulk_create(batch)
    loaded = time.monotonic() - started
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # planner statistics, as autovacuum would gather them

    kenya = countries["KEN"]
    nmrf, _ = Institution.objects.get_or_create(
        name="National Mechanism", kind="nmrf", country=kenya
    )
    justice, _ = Institution.objects.get_or_create(
        name="Ministry of Justice", kind="ministry", country=kenya
    )

    def person(name: str, institution: Institution, role: str) -> User:
        user = User.objects.filter(username=name).first()
        if user is None:
            user = User.objects.create_user(name, f"{name}@example.org", "load-test-password")
            Membership.objects.create(user=user, institution=institution, role=role)
        return user

    coordinator = person("load-coordinator", nmrf, "coordinator")
    focal_points = [person(f"load-focal-{i}", justice, "focal_point") for i in range(10)]
    validator = person("load-validator", justice, "validator")
    assigned = list(Recommendation.objects.filter(country=kenya).order_by("id")[:400])
    for rec in assigned:
        tracking.assign(coordinator, rec, justice)
    # Tokens for this run (only their digests are stored; the old ones are removed).
    ApiToken.objects.filter(name="load test").delete()
    return {
        "loaded_seconds": loaded,
        "total": Recommendation.objects.count(),
        "assigned": [str(r.code) for r in assigned],
        "focal_tokens": [ApiToken.issue(u, "load test")[1] for u in focal_points],
        "validator_token": ApiToken.issue(validator, "load test")[1],
        "codes": [str(c) for c in Recommendation.objects.values_list("code", flat=True)[:2000]],
    }


# --- server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int, threads: int, env: dict[str, str]) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "rightstrack.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
            "--timeout", "120", "--log-level", "warning",
        ],
        cwd=REPO,
        env=env,
    )  # fmt: skip
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/countries/", timeout=5).read()
            return process
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    process.kill()
    raise SystemExit("the server did not start")


# --- users ----------------------------------------------------------------------------------


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)

    def add(self, kind: str, seconds: float, error: str = "") -> None:
        with self.lock:
            self.times[kind].append(seconds)
            if error:
                self.errors[kind].append(error)


def reader(base: str, codes: list[str], stop: float, results: Results, seed: int) -> None:
    rng = random.Random(seed)
    while time.monotonic() < stop:
        choice = rng.random()
        if choice < 0.25:
            kind, url = (
                "search page, query",
                "/?" + urllib.parse.urlencode({"q": rng.choice(QUERIES)}),
            )
        elif choice < 0.40:
            params = {"country": rng.choice(COUNTRIES), "body": rng.choice(BODIES)}
            kind, url = "search page, filters", "/?" + urllib.parse.urlencode(params)
        elif choice < 0.50:
            params = {"q": rng.choice(QUERIES), "year": 2008 + rng.randrange(17)}
            kind, url = "search page, query and filters", "/?" + urllib.parse.urlencode(params)
        elif choice < 0.70:
            kind, url = "recommendation page", f"/recommendations/{rng.choice(codes)}/"
        elif choice < 0.85:
            kind, url = "country page", f"/countries/{rng.choice(COUNTRIES)}/"
        else:
            params = {"q": rng.choice(QUERIES), "facets": "true", "page_size": 25}
            kind, url = (
                "API search with facets",
                "/api/v1/recommendations?" + urllib.parse.urlencode(params),
            )
        started = time.monotonic()
        error = ""
        try:
            with urllib.request.urlopen(base + url, timeout=60) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            if exc.code >= 500:
                error = f"{exc.code} {url}"
        except Exception as exc:  # refused, reset, timed out: all count as errors
            error = f"{exc.__class__.__name__} {url}"
        results.add(kind, time.monotonic() - started, error)
        time.sleep(rng.uniform(0.1, 0.5))


def post_json(base: str, path: str, token: str, body: dict[str, object]) -> tuple[int, object]:
    """POST *body* as JSON with the token; return (status, decoded answer)."""
    request = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()[:200].decode(errors="replace")


def writer(base: str, data: dict[str, object], index: int, stop: float, results: Results) -> None:
    """A focal point reporting progress over the API; every fifth update approved."""
    rng = random.Random(1000 + index)
    tokens = data["focal_tokens"]
    token = tokens[index % len(tokens)]  # type: ignore[index]
    assigned = data["assigned"]
    n = 0
    while time.monotonic() < stop:
        code = rng.choice(assigned)  # type: ignore[arg-type]
        body = {
            "status": rng.choice(["in_progress", "not_started", "partially_implemented"]),
            "date": datetime.now(UTC).date().isoformat(),
            "note": f"Load test progress note {index}-{n}",
        }
        path = f"/api/v1/recommendations/{code}/status-updates"
        started = time.monotonic()
        error = ""
        update: object = None
        try:
            status, update = post_json(base, path, token, body)
            if status != 201:
                error = f"{status} {path}: {str(update)[:120]}"
        except Exception as exc:  # refused, reset, timed out: all count as errors
            error = f"{exc.__class__.__name__} {path}"
        results.add("follow-up update (API)", time.monotonic() - started, error)
        n += 1
        if not error and n % 5 == 0 and isinstance(update, dict) and update["state"] == "pending":
            path = f"/api/v1/status-updates/{update['code']}/decision"
            started = time.monotonic()
            error = ""
            try:
                status, answer = post_json(
                    base, path, data["validator_token"], {"decision": "approve"}
                )  # type: ignore[arg-type]
                if status != 200:
                    error = f"{status} {path}: {str(answer)[:120]}"
            except Exception as exc:
                error = f"{exc.__class__.__name__} {path}"
            results.add("follow-up validation (API)", time.monotonic() - started, error)
        time.sleep(rng.uniform(0.1, 0.5))


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def main() -> int:
    args = parse_args()
    setup_django(args.database_url)
    print(f"filling {args.database_url} to {args.recommendations} recommendations ...", flush=True)
    data = fill(args.recommendations)
    print(f"{data['total']} recommendations ({data['loaded_seconds']:.0f} s to add)", flush=True)

    from django.db import connection

    connection.close()
    port = free_port()
    env = {**os.environ, "DATABASE_URL": args.database_url, "DEBUG": "False",
           "SECRET_KEY": "load-test-only-" + "k" * 40, "ALLOWED_HOSTS": "127.0.0.1",
           "SECURE_SSL_REDIRECT": "False", "BEHIND_HTTPS_PROXY": "False", "PROXY_COUNT": "0",
           "LOG_LEVEL": "ERROR"}  # fmt: skip
    server = start_server(port, args.workers, args.threads, env)
    results = Results()
    load_before = os.getloadavg()
    try:
        stop = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=reader,
                args=(f"http://127.0.0.1:{port}", data["codes"], stop, results, i),
            )
            for i in range(args.users - args.writers)
        ] + [
            threading.Thread(
                target=writer, args=(f"http://127.0.0.1:{port}", data, i, stop, results)
            )
            for i in range(args.writers)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    load_after = os.getloadavg()

    rows = []
    every = [t for ts in results.times.values() for t in ts]
    all_errors = [e for es in results.errors.values() for e in es]
    for kind in sorted(results.times):
        times = results.times[kind]
        rows.append(
            f"| {kind} | {len(times)} | {len(results.errors[kind])} | "
            f"{statistics.median(times):.2f} | {percentile(times, 95):.2f} | "
            f"{percentile(times, 99):.2f} | {max(times):.2f} |"
        )
    rows.append(
        f"| **all** | {len(every)} | {len(all_errors)} | {statistics.median(every):.2f} | "
        f"{percentile(every, 95):.2f} | {percentile(every, 99):.2f} | {max(every):.2f} |"
    )
    table = "\n".join(
        [
            "| request | count | errors | p50 s | p95 s | p99 s | max s |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
            *rows,
        ]
    )
    engine = re.sub(r"//[^@/]*@", "//", args.database_url).split("://")[0]
    summary = (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores shared with other "
        f"engineers' jobs (load average {load_before[0]:.1f} before, {load_after[0]:.1f} after), "
        f"{engine}, {data['total']:,} recommendations, {args.users} users "
        f"({args.users - args.writers} reading, {args.writers} writing follow-up through the "
        "API, all over HTTP), "
        f"{elapsed:.0f} s, gunicorn {args.workers} workers x {args.threads} threads on 127.0.0.1, "
        f"{len(every) / elapsed:.1f} requests/s.\n\n"
        "Command: `python bench/load_test.py --database-url postgres://postgres@127.0.0.1:5432/"
        f"rt_hardening_load --recommendations {args.recommendations} --users {args.users} "
        f"--writers {args.writers} --seconds {args.seconds} --write-doc`"
    )
    print(summary)
    print(table)
    if all_errors:
        print("errors (first 10):", *all_errors[:10], sep="\n  ")
    if args.write_doc:
        sys.path.insert(0, str(REPO / "bench"))
        from benchdoc import write_section

        write_section(
            "load_test",
            summary
            + "\n\n"
            + table
            + ("\n\nFirst errors: " + "; ".join(all_errors[:5]) if all_errors else ""),
            heading="Load test: 50 users browsing, searching and updating follow-up (issue 16)",
        )
    return 1 if all_errors else 0


if __name__ == "__main__":
    sys.exit(main())
