"""`list`: the plain list of recommendations with every stored field (CSV, XLSX, JSON).

The first columns are those of `rightstrack extract` (records.EXTRACT_COLUMNS), so
`rightstrack import` reads a list export back (importers.generic.RightstrackImporter).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from rightstrack.formats.exporters.base import Exporter, ExportRecord, safe_cell
from rightstrack.formats.records import (
    EXTRACT_COLUMNS,
    GROUPS_OF_PERSONS,
    LEGACY_THEMES,
    SDG_GOALS,
    SDG_TARGETS,
    THEMES,
)

LEGACY_GROUPS = "groups_of_persons_legacy"
#: Taxonomies that have their own column; any other label goes to `other_labels`.
OWN_COLUMN_TAXONOMIES = (
    THEMES,
    LEGACY_THEMES,
    GROUPS_OF_PERSONS,
    LEGACY_GROUPS,
    SDG_TARGETS,
    SDG_GOALS,
)

#: Every column of the list export, in order: the extract columns, then the rest.
LIST_COLUMNS = (
    *EXTRACT_COLUMNS,
    "code",
    "external_id",
    "country_name",
    "language",
    "session",
    "cycle",
    "year",
    "document_date",
    "position_source",
    "heading",
    "concern_paragraph",
    "follow_up_due_date",
    "urgent",
    "legacy_themes",
    "legacy_affected_persons",
    "other_labels",
    "action_category",
    "protection_relevant",
    "status",
    "status_date",
    "assignments",
    "assessments",
    "actions",
)

JOIN = "; "


def _yes(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


def list_row(record: ExportRecord) -> dict[str, Any]:
    """Return the list export's row for *record*: column -> text (multi-values "; "-joined)."""
    other = [f"{slug}: {term}" for slug, term in record.labels if slug not in OWN_COLUMN_TAXONOMIES]
    return {
        "document_symbol": record.document_symbol,
        "mechanism": record.mechanism,
        "body": record.body,
        "country": record.country,
        "paragraph": record.paragraph,
        "text": record.text,
        "recommending_states": JOIN.join(record.recommending_states),
        "position": record.position,
        "themes": JOIN.join(record.terms(THEMES)),
        "affected_persons": JOIN.join(record.terms(GROUPS_OF_PERSONS)),
        # Goals too: "5" reads back as goal 5, "16.3 ..." as target 16.3.
        "sdg_targets": JOIN.join(record.terms(SDG_TARGETS, SDG_GOALS)),
        "follow_up": _yes(record.follow_up),
        "follow_up_due": record.follow_up_due,
        "code": record.code,
        "external_id": record.external_id,
        "country_name": record.country_name,
        "language": record.language,
        "session": record.session,
        "cycle": "" if record.cycle is None else str(record.cycle),
        "year": "" if record.year is None else str(record.year),
        "document_date": record.date,
        "position_source": record.position_source,
        "heading": record.heading,
        "concern_paragraph": record.concern_paragraph,
        "follow_up_due_date": record.follow_up_due_date,
        "urgent": _yes(record.urgent),
        "legacy_themes": JOIN.join(record.terms(LEGACY_THEMES)),
        "legacy_affected_persons": JOIN.join(record.terms(LEGACY_GROUPS)),
        "other_labels": JOIN.join(other),
        "action_category": "" if record.action_category is None else str(record.action_category),
        "protection_relevant": _yes(record.protection_relevant),
        "status": record.status,
        "status_date": record.status_date,
        "assignments": JOIN.join(record.assignments),
        "assessments": JOIN.join(record.assessments),
        "actions": JOIN.join(record.actions),
    }


def write_csv(fp: Any, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write a UTF-8 CSV (with BOM, so spreadsheet programs read the accents) to *fp*."""
    text = io.TextIOWrapper(fp, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell("" if v is None else v) for v in row])
    text.flush()
    text.detach()


def write_xlsx_sheets(
    fp: Any,
    sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
    *,
    widths: dict[str, float] | None = None,
) -> None:
    """Write an XLSX workbook of (title, header, rows) sheets to *fp*, streamed (write-only).

    The header is bold and frozen; every text cell passes through safe_cell.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.freeze_panes = "A2"
        for i, name in enumerate(header):
            letter = _column_letter(i)
            sheet.column_dimensions[letter].width = (widths or {}).get(name, 18)
        head = []
        for name in header:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            head.append(cell)
        sheet.append(head)
        for row in rows:
            # Plain values (no per-cell style): openpyxl writes them twice as fast.
            sheet.append([safe_cell("" if value is None else value) for value in row])
    workbook.save(fp)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


class ListExporter(Exporter):
    kind = "list"
    label = "The plain list, every stored field (CSV, XLSX, JSON)"
    formats = ("csv", "xlsx", "json")

    def write_to(self, data: Iterable[ExportRecord], fp: Any, fmt: str, **options: Any) -> None:
        rows = (list_row(r) for r in data)
        if fmt == "json":
            fp.write(
                json.dumps(
                    {"columns": list(LIST_COLUMNS), "results": list(rows)},
                    ensure_ascii=False,
                    indent=1,
                ).encode("utf-8")
            )
        elif fmt == "csv":
            write_csv(fp, LIST_COLUMNS, ([row[c] for c in LIST_COLUMNS] for row in rows))
        else:
            write_xlsx_sheets(
                fp,
                [
                    (
                        "Recommendations",
                        LIST_COLUMNS,
                        ([row[c] for c in LIST_COLUMNS] for row in rows),
                    )
                ],
                widths={"text": 80, "themes": 40, "affected_persons": 30},
            )
