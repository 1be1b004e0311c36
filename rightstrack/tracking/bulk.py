"""Assign many recommendations from a table (`rightstrack assign FILE`).

Every row is checked before anything is written; the first bad row ends it all with an
InputError naming the file, the row (as a spreadsheet numbers it: the header is row 1) and the
column, and nothing is written. Then every row is assigned through services.assign in one
transaction.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q

from rightstrack.accounts.models import Institution
from rightstrack.formats.exceptions import ImportFormatError
from rightstrack.formats.tables import read_table
from rightstrack.recommendations.models import Country, Recommendation, SubItem
from rightstrack.tracking import services
from rightstrack.tracking.exceptions import TrackingError
from rightstrack.tracking.models import Assignment

#: Column -> the names accepted for it (compared without case, spaces or underscores).
COLUMNS = {
    "recommendation": ("recommendation", "code", "recommendation_code"),
    "document_symbol": ("document_symbol", "symbol", "document"),
    "paragraph": ("paragraph", "para"),
    "sub_item": ("sub_item", "subitem"),
    "institution": ("institution", "ministry"),
    "country": ("country", "state"),
    "role": ("role",),
    "due": ("due", "due_date", "deadline"),
    "note": ("note", "notes"),
}
SUB_ITEM_IN_PARAGRAPH = re.compile(r"^(?P<para>.+?)\s*\((?P<label>[a-z]{1,3}|[ivx]{1,6})\)$", re.I)


@dataclass
class Row:
    number: int
    recommendation: Recommendation
    institution: Institution
    role: str
    due: dt.date | None
    sub_item: SubItem | None
    note: str


@dataclass
class Result:
    created: int = 0
    existing: int = 0
    rows: list[Row] = field(default_factory=list)

    def summary(self, path: Any) -> str:
        return (
            f"assigned {self.created} new, {self.existing} already assigned, "
            f"from {len(self.rows)} rows of {path}"
        )


def _key(name: str) -> str:
    return re.sub(r"[\s_-]+", "", name.strip().lower())


def _columns(found: list[str], path: str) -> dict[str, str]:
    by_key = {_key(c): c for c in found}
    out = {}
    for name, aliases in COLUMNS.items():
        for alias in aliases:
            if _key(alias) in by_key:
                out[name] = by_key[_key(alias)]
                break
    if "institution" not in out:
        raise ImportFormatError("missing column 'institution'", path=path, row=1)
    if "recommendation" not in out and not {"document_symbol", "paragraph"} <= set(out):
        raise ImportFormatError(
            "missing column 'recommendation' (its code), or 'document_symbol' and 'paragraph'",
            path=path,
            row=1,
        )
    return out


def read_rows(path: str | Path, *, encoding: str = "utf-8") -> list[Row]:
    """Read and check every row of *path*; ImportFormatError at the first bad one."""
    where = str(path)
    table = read_table(path, encoding=encoding)
    cols = _columns(table.columns, where)
    countries = {c.code: c for c in Country.objects.all()}
    by_name = {c.name.lower(): c for c in countries.values()}
    rows: list[Row] = []
    if not table.rows:
        raise ImportFormatError("no rows to assign", path=where, row=2)
    for index, raw in enumerate(table.rows):
        number = index + 2

        def cell(name: str, raw: dict[str, str] = raw) -> str:
            return (raw.get(cols[name], "") if name in cols else "").strip()

        def fail(message: str, column: str, number: int = number) -> ImportFormatError:
            return ImportFormatError(
                message, path=where, row=number, column=cols.get(column, column)
            )

        country = None
        if cell("country"):
            name = cell("country")
            country = countries.get(name.upper()) or by_name.get(name.lower())
            if country is None:
                raise fail(f"unknown State {name!r}", "country")
        sub_label = cell("sub_item")
        code = cell("recommendation") if "recommendation" in cols else ""
        if code:
            try:
                uuid.UUID(code)
            except ValueError:
                raise fail(
                    f"{code!r} is not a recommendation code (a UUID)", "recommendation"
                ) from None
            rec = Recommendation.objects.filter(code=code).select_related("country").first()
            if rec is None:
                raise fail(f"no recommendation {code}", "recommendation")
        else:
            symbol, para = cell("document_symbol"), cell("paragraph")
            if not symbol:
                raise fail(
                    "give the recommendation's code or its document symbol", "document_symbol"
                )
            if not para:
                raise fail("give the paragraph number", "paragraph")
            candidates = Recommendation.objects.filter(document_symbol__iexact=symbol)
            if country is not None:
                candidates = candidates.filter(country=country)
            found = list(candidates.filter(paragraph=para).select_related("country")[:2])
            match = SUB_ITEM_IN_PARAGRAPH.match(para)
            if not found and match and not sub_label:
                found = list(
                    candidates.filter(paragraph=match["para"]).select_related("country")[:2]
                )
                sub_label = match["label"]
            if not found:
                raise fail(f"no recommendation {symbol} paragraph {para}", "paragraph")
            if len(found) > 1:
                raise fail(
                    f"{symbol} paragraph {para} is in several States; add a country column",
                    "country",
                )
            rec = found[0]
        if country is not None and rec.country_id != country.pk:
            raise fail(
                f"the recommendation concerns {rec.country.name}, not {country.name}", "country"
            )
        name = " ".join(cell("institution").split())
        if not name:
            raise fail("give the institution's name", "institution")
        inst = (
            Institution.objects.filter(name__iexact=name, active=True)
            .filter(Q(country_id=rec.country_id) | Q(country__isnull=True))
            .order_by("country_id")
            .first()
        )
        if inst is None:
            raise fail(
                f"no institution {name!r} in {rec.country.name} "
                f"(add it with: rightstrack institutions add)",
                "institution",
            )
        role = cell("role").lower() or Assignment.Role.LEAD
        if role not in Assignment.Role.values:
            raise fail(f"{role!r} is not one of {', '.join(Assignment.Role.values)}", "role")
        due = None
        if cell("due"):
            try:
                due = services._date(cell("due"), "due", required=False)
            except TrackingError as exc:
                raise fail(str(exc).removeprefix("due: "), "due") from None
        sub = None
        if sub_label:
            sub = rec.sub_items.filter(label__iexact=sub_label.strip("() ")).first()
            if sub is None:
                raise fail(
                    f"{rec} has no sub-item ({sub_label})",
                    "sub_item" if cell("sub_item") else "paragraph",
                )
        rows.append(Row(number, rec, inst, role, due, sub, cell("note")))
    return rows


def assign_file(path: str | Path, *, user: Any = None, encoding: str = "utf-8") -> Result:
    """Check every row, then assign them all in one transaction; see the module's docstring."""
    rows = read_rows(path, encoding=encoding)
    result = Result(rows=rows)
    with transaction.atomic():
        for row in rows:
            try:
                _assignment, new = services.assign(
                    user,
                    row.recommendation,
                    row.institution,
                    role=row.role,
                    due=row.due,
                    sub_item=row.sub_item,
                    note=row.note,
                )
            except TrackingError as exc:
                raise ImportFormatError(str(exc), path=str(path), row=row.number) from None
            if new:
                result.created += 1
            else:
                result.existing += 1
    return result
