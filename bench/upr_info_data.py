"""Load the UPR Info export (sessions 1-13) from ../shared/data, deduplicated.

The export has one row per co-sponsoring State; rows are deduplicated by (State under review,
session, text) so that the same recommendation never sits on both sides of a split.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

SHARED = Path(os.environ.get("RIGHTSTRACK_SHARED", Path(__file__).resolve().parents[2] / "shared"))
EXPORT_DIR = SHARED / "data" / "raw" / "upr-info-terman" / "upr-info-export-sessions1-20"
FILES = ("1-5.csv", "6-9.csv", "10-13.csv")


def load_upr_info() -> list[dict[str, str]]:
    """Return the deduplicated rows that carry an action category (Latin-1, CR line endings)."""
    rows: dict[tuple[str, str, str], dict[str, str]] = {}
    for name in FILES:
        raw = (EXPORT_DIR / name).read_bytes().decode("latin-1")
        text = raw.replace("\r\n", "\n").replace("\r", "\n")
        for row in csv.DictReader(io.StringIO(text)):
            key = (row["To"], row["Session"], row["Text"].strip())
            if key not in rows and row["Action"] in ("1", "2", "3", "4", "5"):
                rows[key] = row
    return list(rows.values())


def split_sessions(rows: list[dict[str, str]], low: int, high: int) -> list[dict[str, str]]:
    return [r for r in rows if low <= int(r["Session"]) <= high]
