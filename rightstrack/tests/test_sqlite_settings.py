"""SQLite gets WAL, a busy timeout and immediate transactions whatever the URL (issue 16 §4)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
import os, sys, django
os.environ["DJANGO_SETTINGS_MODULE"] = "rightstrack.settings"
django.setup()
from django.db import connection, transaction
"""

SHOW = (
    SETUP
    + """
cursor = connection.cursor()
cursor.execute("PRAGMA journal_mode"); mode = cursor.fetchone()[0]
cursor.execute("PRAGMA busy_timeout"); timeout = cursor.fetchone()[0]
print(mode, timeout, connection.settings_dict["OPTIONS"].get("transaction_mode"))
"""
)

WRITER = (
    SETUP
    + """
import time
errors = 0
for n in range(int(sys.argv[1])):
    try:
        with transaction.atomic():
            cursor = connection.cursor()
            # Read, then write: in a deferred transaction this upgrade is what fails with
            # "database is locked" when another writer holds the lock.
            cursor.execute("SELECT COALESCE(MAX(n), 0) FROM t")
            value = cursor.fetchone()[0]
            cursor.execute("INSERT INTO t (n, who) VALUES (%s, %s)", [value + 1, sys.argv[2]])
            time.sleep(0.002)
    except Exception as exc:
        errors += 1
        print("ERROR", exc, file=sys.stderr)
print(errors)
"""
)

READER = (
    SETUP
    + """
import time
errors = 0
end = time.monotonic() + float(sys.argv[1])
while time.monotonic() < end:
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT COUNT(*), MAX(n) FROM t")
        cursor.fetchone()
    except Exception as exc:
        errors += 1
        print("ERROR", exc, file=sys.stderr)
print(errors)
"""
)


def run(code: str, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def env_for(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DB_NAME")}
    env["DATABASE_URL"] = url
    return env


def test_a_sqlite_url_gets_wal_busy_timeout_and_immediate_transactions(tmp_path: Path) -> None:
    out = run(SHOW, env_for(f"sqlite:///{tmp_path / 'db.sqlite3'}")).communicate(timeout=60)[0]
    assert out.split() == ["wal", "30000", "IMMEDIATE"]


def test_two_writers_and_four_readers_never_see_database_is_locked(tmp_path: Path) -> None:
    env = env_for(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    create = SETUP + "connection.cursor().execute('CREATE TABLE t (n INTEGER UNIQUE, who TEXT)')"
    subprocess.run([sys.executable, "-c", create], env=env, cwd=ROOT, check=True, timeout=60)
    procs = [run(WRITER, env, "150", f"w{i}") for i in range(2)]
    procs += [run(READER, env, "6") for _ in range(4)]
    results = [p.communicate(timeout=180) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in results]
    assert [out.strip() for out, _ in results] == ["0"] * 6, [err for _, err in results]
    assert "locked" not in "".join(err for _, err in results)
    count = subprocess.run(
        [
            sys.executable,
            "-c",
            SETUP + "c = connection.cursor(); c.execute('SELECT COUNT(*), MAX(n) FROM t');"
            "print(*c.fetchone())",
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    # Every write landed, and serialised: the numbers run 1..300 with no duplicate.
    assert count == ["300", "300"]
