"""`rightstrack backup` and `rightstrack restore` round-trip everything, on a file SQLite
database and on PostgreSQL (real commands in subprocesses; PostgreSQL skipped when absent)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from rightstrack.jobs.tests.test_multihost import PG_ADMIN_URL, _pg_available

HISTORY = """
import datetime as dt
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from rightstrack.accounts.models import Membership
from rightstrack.jobs.services import start_job
from rightstrack.recommendations.models import Recommendation
from rightstrack.tracking import services
alice, bob = User.objects.get(username="alice"), User.objects.get(username="bob")
rec = Recommendation.objects.order_by("pk").first()
institution = Membership.objects.filter(user=bob).first().institution
services.assign(alice, rec, institution, note="lead on the protocol")
services.submit_update(
    bob, rec, status="in_progress", date=dt.date(2026, 11, 20), note="Bill tabled",
    links=["https://example.org/bill"],
)
default_storage.save("evidence/2026/report.pdf", ContentFile(b"%PDF-1.4 scanned report"))
default_storage.save("documents/a.txt", ContentFile("Rapport fran\\u00e7ais".encode()))
start_job("selftest", owner=alice, params={"steps": 1})
"""

DUMP = """
from django.core.management import call_command
for alias in ("default", "jobs"):
    call_command("dumpdata", all=True, database=alias, format="jsonl", verbosity=0,
                 output="{out}-" + alias + ".jsonl")
"""


@dataclass
class Place:
    """One database and its data folder (uploaded files)."""

    env: dict[str, str]
    folder: Path

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "-m", "rightstrack", *args],
            env=self.env,
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check:
            assert done.returncode == 0, f"rightstrack {args[0]}: {done.stderr[-2000:]}"
        return done

    def everything(self) -> list[str]:
        """Every row of every table (both aliases), as sorted JSON lines (one subprocess)."""
        out = self.folder / "dump"
        self.run("manage", "shell", "-v", "0", "-c", DUMP.format(out=str(out)))
        rows = []
        for alias in ("default", "jobs"):
            path = Path(f"{out}-{alias}.jsonl")
            rows += path.read_text().splitlines()
            path.unlink()
        return sorted(set(rows))

    def files(self) -> dict[str, bytes]:
        media = self.folder / "media"
        return {str(p.relative_to(media)): p.read_bytes() for p in media.rglob("*") if p.is_file()}


class Databases:
    def __init__(self, kind: str, tmp: Path) -> None:
        self.kind, self.tmp, self.created = kind, tmp, []

    def place(self, name: str) -> Place:
        folder = self.tmp / name
        folder.mkdir()
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DATABASE_URL", "DB_NAME", "REDIS_URL", "DJANGO_SETTINGS"))
        }
        env.update(RIGHTSTRACK_DATA_DIR=str(folder), JOBS_SCHEDULER="False")
        if self.kind == "postgresql":
            import psycopg

            database = f"rt_jobs_backup_{name}_{os.getpid()}"
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {database}")
                conn.execute(f"CREATE DATABASE {database}")
            self.created.append(database)
            env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
        return Place(env, folder)

    def drop(self) -> None:
        if self.created:
            import psycopg

            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                for database in self.created:
                    conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


@dataclass
class Backup:
    databases: Databases
    source: Place
    file: Path
    before: list[str]
    files: dict[str, bytes]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backup(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Backup]:
    if request.param == "postgresql" and not _pg_available():
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
    databases = Databases(request.param, tmp_path_factory.mktemp(f"backup-{request.param}"))
    try:
        source = databases.place("source")
        source.run("demo", "--password", "a-demo-password")
        source.run("manage", "shell", "-v", "0", "-c", HISTORY)
        file = databases.tmp / "rightstrack-backup.zip"
        written = source.run("backup", str(file))
        assert "files" in written.stdout
        yield Backup(databases, source, file, source.everything(), source.files())
    finally:
        databases.drop()


def test_a_restored_database_holds_exactly_what_was_backed_up(backup: Backup) -> None:
    target = backup.databases.place("target")

    restored = target.run("restore", str(backup.file))
    after = target.everything()
    found = target.run("search", "torture").stdout

    assert "restored" in restored.stdout
    assert after == backup.before
    # The history, the queue and the uploaded files came along.
    assert any('"model": "tracking.event"' in row for row in after)
    assert any('"model": "jobs.job"' in row for row in after)
    assert target.files() == backup.files
    assert set(backup.files) >= {"evidence/2026/report.pdf", "documents/a.txt"}
    # The full-text index was rebuilt from the restored rows.
    assert "Torture" in found


def test_restore_refuses_a_database_with_data_unless_forced(backup: Backup) -> None:
    target = backup.databases.place("busy")
    target.run("demo", "--password", "another-password")
    before = target.everything()

    refused = target.run("restore", str(backup.file), check=False)
    unchanged = target.everything()
    forced = target.run("restore", str(backup.file), "--force")

    assert refused.returncode == 2
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1, refused.stderr
    assert "the database is not empty" in lines[0] and "--force" in lines[0]
    assert unchanged == before
    assert forced.returncode == 0
    assert target.everything() == backup.before
    assert target.files() == backup.files


def test_bad_backups_are_refused_with_one_line_and_change_nothing(backup: Backup) -> None:
    target = backup.databases.place("bad")
    not_zip = target.folder / "notes.zip"
    not_zip.write_text("not a zip")
    foreign = target.folder / "other.zip"
    with zipfile.ZipFile(foreign, "w") as archive:
        archive.writestr("hello.txt", "hi")
    broken = target.folder / "broken.zip"
    with zipfile.ZipFile(backup.file) as good, zipfile.ZipFile(broken, "w") as bad:
        for item in good.infolist():
            data = good.read(item)
            if item.filename == "data/default.jsonl":
                data = data.replace(b'"model": "auth.user"', b'"model": "auth.nosuch"', 1)
            bad.writestr(item, data)

    answers = {
        name: target.run("restore", str(path), check=False)
        for name, path in {
            "missing": target.folder / "nothing.zip",
            "not_zip": not_zip,
            "foreign": foreign,
            "broken": broken,
        }.items()
    }

    # A new database's one-line note ("setting up a new database ...") is not the answer.
    messages = {
        name: "\n".join(
            line
            for line in done.stderr.strip().splitlines()
            if not line.startswith("rightstrack: setting up a new database")
        )
        for name, done in answers.items()
    }
    assert all(done.returncode == 2 for done in answers.values()), messages
    assert all(len(m.splitlines()) == 1 for m in messages.values()), messages
    assert "nothing.zip: no such file" in messages["missing"]
    assert "notes.zip: not a rightstrack backup (not a zip file)" in messages["not_zip"]
    assert "other.zip: not a rightstrack backup (no manifest.json)" in messages["foreign"]
    assert "broken.zip: cannot load data/default.jsonl" in messages["broken"]
    # Nothing half-written: the failed load left no rows behind.
    rows = target.everything()
    assert not any('"model": "recommendations.recommendation"' in r for r in rows)
