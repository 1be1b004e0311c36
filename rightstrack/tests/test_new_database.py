"""A new database is not a crash: every database command sets it up (issue 11 §0)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def rightstrack(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DB_NAME")}
    env["DATABASE_URL"] = url
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "rightstrack", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    "args",
    [
        ("import", "{csv}", "--kind", "generic", "--no-analyse"),
        ("search", "ratify"),
        ("users", "list"),
        ("tokens", "create", "nobody@example.org"),
    ],
    ids=lambda a: a[0],
)
def test_each_database_command_sets_up_a_new_sqlite_database(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    csv = tmp_path / "list.csv"
    csv.write_text('Text,Country,Body\n"Ratify the Convention.",Slovenia,UPR\n', encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'xyz.sqlite3'}"

    done = rightstrack(url, *(a.format(csv=csv) for a in args))

    assert "Traceback" not in done.stderr, done.stderr
    assert "no such table" not in done.stderr
    assert (
        done.stderr.splitlines()[0]
        == f"rightstrack: setting up a new database {tmp_path}/xyz.sqlite3"
    )
    if args[0] == "import":
        assert done.returncode == 0
        assert done.stdout.startswith("imported 1 new, 0 updated, 0 unchanged")
        again = rightstrack(url, "search", "ratify", "--count")
        assert (again.returncode, again.stdout.strip(), again.stderr) == (0, "1", "")
    elif args[0] == "tokens":
        # No such person: the command's own one-line error, on a set-up database.
        assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 2
    else:
        assert done.returncode == 0, done.stderr


def test_a_database_that_cannot_be_opened_says_what_to_run(tmp_path: Path) -> None:
    done = rightstrack(f"sqlite:///{tmp_path}/missing-folder/x.sqlite3", "search", "x")

    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "rightstrack manage migrate" in done.stderr
    assert "Traceback" not in done.stderr
