"""Numbers from request parameters, read strictly: ASCII digits only, within the database's
integers. `str.isdigit()` also says yes to "²" (which int() refuses) and int() reads 23-digit
numbers that no database column holds: both used to end in a 500.
"""

from __future__ import annotations

from collections.abc import Iterable

#: The largest id a BigAutoField holds (PostgreSQL bigint, SQLite INTEGER).
MAX_ID = 2**63 - 1


def to_id(value: object) -> int | None:
    """Return *value* as a database id (1 to MAX_ID), or None when it is not one."""
    text = str(value).strip() if value is not None else ""
    if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def to_ids(values: Iterable[object]) -> list[int]:
    """Return the values that are database ids, as ints; the others are left out."""
    return [n for v in values if (n := to_id(v)) is not None]
