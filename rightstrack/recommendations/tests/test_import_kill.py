"""SIGKILL an import at several moments: the database is as before or complete, and a rerun
finishes what the kill left (issue 16 §3). Real processes, real SIGKILL, a real SQLite file."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ROWS = 4500  # three analysis chunks of 2,000
VERBS = ["Ratify", "Adopt a law on", "Strengthen", "Allocate resources to", "Investigate"]
OBJECTS = ["torture", "child marriage", "internal displacement", "the judiciary", "prisons"]


def rightstrack(db: Path, *args: str, kill_at: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DB_NAME")}
    env["DATABASE_URL"] = f"sqlite:///{db}"
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("RIGHTSTRACK_KILL_AT", None)
    if kill_at:
        env["RIGHTSTRACK_KILL_AT"] = kill_at
    return subprocess.run(
        [sys.executable, "-m", "rightstrack", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def state(db: Path) -> dict[str, object]:
    with sqlite3.connect(db) as conn:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "recommendations": one("SELECT COUNT(*) FROM recommendations_recommendation"),
            "analysed": one("SELECT COUNT(*) FROM recommendations_analysis"),
            "sources": one("SELECT COUNT(*) FROM recommendations_recommendationsource"),
            "batches": sorted(
                s for (s,) in conn.execute("SELECT status FROM recommendations_importbatch")
            ),
        }


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("kill")
    data = folder / "list.csv"
    with data.open("w", newline="", encoding="utf-8") as fp:
        writer = csv.writer(fp)
        writer.writerow(["Text", "Country", "Body", "Document symbol", "Paragraph"])
        for n in range(ROWS):
            text = f"{VERBS[n % 5]} {OBJECTS[n // 5 % 5]} in region {n}."
            writer.writerow([text, ["Slovenia", "Kenya", "Chile"][n % 3], "CRC", "CRC/C/1", n])
    db = folder / "template.sqlite3"
    done = rightstrack(db, "manage", "migrate", "--verbosity=0")
    assert done.returncode == 0, done.stderr
    return db, data


@pytest.fixture
def db(template: tuple[Path, Path], tmp_path: Path) -> Path:
    copy = tmp_path / "db.sqlite3"
    shutil.copy(template[0], copy)
    return copy


def test_killed_while_writing_records_leaves_the_database_as_before(db, template) -> None:  # type: ignore[no-untyped-def]
    before = state(db)
    killed = rightstrack(db, "import", str(template[1]), "--kind=generic", kill_at="records")
    assert killed.returncode == -signal.SIGKILL
    assert state(db) == before

    rerun = rightstrack(db, "import", str(template[1]), "--kind=generic")
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout.startswith(f"imported {ROWS} new, 0 updated")
    assert state(db) == {
        "recommendations": ROWS,
        "analysed": ROWS,
        "sources": ROWS,
        "batches": ["done"],
    }


def test_killed_after_the_records_committed_a_rerun_analyses_them(db, template) -> None:  # type: ignore[no-untyped-def]
    killed = rightstrack(db, "import", str(template[1]), "--kind=generic", kill_at="committed")
    assert killed.returncode == -signal.SIGKILL
    after_kill = state(db)
    # Complete records, no analysis yet, and the batch says so.
    assert after_kill == {
        "recommendations": ROWS,
        "analysed": 0,
        "sources": ROWS,
        "batches": ["analysing"],
    }

    rerun = rightstrack(db, "import", str(template[1]), "--kind=generic")
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout.startswith(f"imported 0 new, 0 updated, {ROWS} unchanged")
    assert state(db) == {
        "recommendations": ROWS,
        "analysed": ROWS,
        "sources": ROWS,
        "batches": ["done", "done"],
    }


def test_killed_mid_analysis_resume_finishes_it(db, template) -> None:  # type: ignore[no-untyped-def]
    killed = rightstrack(db, "import", str(template[1]), "--kind=generic", kill_at="analysis")
    assert killed.returncode == -signal.SIGKILL
    after_kill = state(db)
    assert after_kill["recommendations"] == ROWS
    assert 0 < after_kill["analysed"] < ROWS
    assert after_kill["batches"] == ["analysing"]

    resumed = rightstrack(db, "import", "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout.strip() == "finished 1 interrupted imports"
    assert state(db)["analysed"] == ROWS
    assert state(db)["batches"] == ["done"]
