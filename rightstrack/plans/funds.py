"""The UN funds shipped with rightstrack (plans/data/funds.csv), and which fit an action."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

FUNDS_CSV = Path(__file__).with_name("data") / "funds.csv"
FIELDS = (
    "name",
    "short_name",
    "managed_by",
    "who_may_apply",
    "pays_for",
    "applicant_kinds",
    "keywords",
    "source",
)


def read_funds(path: Path = FUNDS_CSV) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fp:
        return list(csv.DictReader(fp))


def load_funds(fund_model: Any = None) -> int:
    """Create or update the shipped funds; return how many there are. Idempotent."""
    if fund_model is None:
        from rightstrack.plans.models import Fund as fund_model
    rows = read_funds()
    for row in rows:
        fund_model.objects.update_or_create(slug=row["slug"], defaults={f: row[f] for f in FIELDS})
    return len(rows)


def candidate_funds(
    action: Any, funds: list[Any], *, text: str = ""
) -> list[tuple[Any, list[str]]]:
    """Return the funds that could pay for *action*, best first, with the words that matched.

    A fund is a candidate when one of its keywords occurs in the action's title and
    description or in *text* (the themes and text of its recommendations) and the action's
    institution is of a kind that may apply.
    """
    haystack = " ".join([action.title, action.description, text]).lower()
    kind = getattr(action.institution, "kind", "")
    out = []
    for fund in funds:
        kinds = {k.strip() for k in fund.applicant_kinds.split(";") if k.strip()}
        if kinds and kind and kind not in kinds:
            continue
        words = [w.strip() for w in fund.keywords.split(";") if w.strip()]
        hits = [w for w in words if w.lower() in haystack]
        if hits:
            out.append((fund, hits))
    out.sort(key=lambda pair: -len(pair[1]))
    return out
