"""`matrix`: the OHCHR thematic list of recommendations (XLSX, DOCX, CSV).

DOCX follows the current OHCHR layout (2025: "Recommendation and recommending State",
"Position of the State under review", "Human rights themes and groups of persons",
"Relevant SDGs"), grouped by theme (a recommendation repeats under every theme it carries),
plus the 3rd-cycle "implementation status and assessments" column. Recommendations whose
themes are in the legacy (pre-2022) list are written in the older layout ("Full list of
themes", "Affected persons:"), as OHCHR printed them, so that importers.ohchr_matrix reads
every label back into the list it came from. XLSX and CSV have one row per recommendation,
sorted by main theme, with column names importers.generic reads back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from rightstrack.formats.exporters import docx_xml
from rightstrack.formats.exporters.base import Exporter, ExportRecord
from rightstrack.formats.exporters.table import LEGACY_GROUPS, write_csv, write_xlsx_sheets
from rightstrack.formats.records import (
    GROUPS_OF_PERSONS,
    LEGACY_THEMES,
    SDG_GOALS,
    SDG_TARGETS,
    THEMES,
)

POSITION_LABELS = {
    "supported": "Supported",
    "noted": "Noted",
    "supported_in_part": "Supported in part",
}
STATUS_LABELS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "partially_implemented": "Partially implemented",
    "implemented": "Implemented",
    "no_longer_applicable": "No longer applicable",
}
NO_THEME = "No theme given"
#: Multi-valued XLSX/CSV cells hold one value a line: some UHRI terms hold semicolons
#: ("Children: definition; general principles; protection").
LINES = "\n"


def lines(values: list[str] | tuple[str, ...]) -> str:
    """Return *values* one a line; a lone value holding ";" gets a "- " bullet, so that an
    importer splitting one-line cells on semicolons keeps it whole."""
    text = LINES.join(values)
    return "- " + text if len(values) == 1 and ";" in text else text


CURRENT_HEADER = (
    "Recommendation and recommending State",
    "Position of the State under review",
    "Human rights themes and groups of persons",
    "Relevant SDGs",
    "Implementation status and assessments",
)
LEGACY_HEADER = (
    "Recommendation",
    "Position",
    "Full list of themes",
    "Relevant SDGs",
    "Implementation status and assessments",
)

#: XLSX and CSV columns; names importers.generic.DEFAULT_COLUMNS reads back.
TABLE_COLUMNS = (
    "Main theme",
    "Paragraph",
    "Recommendation",
    "Recommending States",
    "Position",
    "Source of position",
    "Themes",
    "Groups of persons",
    "Legacy themes",
    "Legacy groups of persons",
    "SDGs",
    "State under review",
    "Body",
    "Mechanism",
    "Document symbol",
    "Session",
    "Cycle",
    "Implementation status",
    "Assessments",
    "Assigned to",
    "Code",
)


def _ordinal(n: int | str) -> str:
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def paragraph_order(paragraph: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", paragraph)) or (10**9,)


def main_themes(record: ExportRecord) -> list[str]:
    return record.terms(THEMES, LEGACY_THEMES) or [NO_THEME]


def sdgs(record: ExportRecord) -> list[str]:
    return record.terms(SDG_TARGETS, SDG_GOALS)


def status_text(record: ExportRecord) -> str:
    lines = []
    if record.status:
        status = STATUS_LABELS.get(record.status, record.status)
        lines.append(
            f"Status: {status}" + (f" ({record.status_date})" if record.status_date else "")
        )
    if record.assignments:
        lines.append("Assigned to: " + "; ".join(record.assignments))
    if record.assessments:
        lines.append("Assessments:")
        lines.extend(f"- {a}" for a in record.assessments)
    return "\n".join(lines)


def recommendation_text(record: ExportRecord) -> str:
    text = f"{record.paragraph} {record.text}".strip()
    if record.recommending_states:
        text = f"{text.rstrip(' .;')} ({', '.join(record.recommending_states)})"
    if record.position_source:
        text += f"\nSource of position: {record.position_source}"
    return text


def themes_cell(record: ExportRecord, legacy: bool) -> str:
    lines = [f"- {t}" for t in record.terms(THEMES, LEGACY_THEMES)]
    groups = record.terms(GROUPS_OF_PERSONS, LEGACY_GROUPS)
    if groups:
        lines.append("Affected persons:" if legacy else "Groups of Persons:")
        lines.extend(f"- {g}" for g in groups)
    return "\n".join(lines)


def title_for(records: Sequence[ExportRecord]) -> str:
    """Return the page header OHCHR prints ("UPR of Slovenia (4th Cycle - 48th session)")."""
    countries = {r.country_name or r.country for r in records}
    if len(countries) != 1:
        return "Thematic list of recommendations"
    name = countries.pop()
    upr = [r for r in records if r.mechanism == "upr" and r.session.isdigit()]
    sessions = {r.session for r in upr}
    if len(sessions) == 1:
        session = sessions.pop()
        cycle = next((r.cycle for r in upr if r.cycle), None)
        if cycle:
            return f"UPR of {name} ({_ordinal(cycle)} Cycle - {_ordinal(session)} session)"
    return f"Recommendations to {name}"


def grouped(records: Sequence[ExportRecord]) -> list[tuple[str, list[ExportRecord]]]:
    """Return (theme, recommendations) in theme order; a recommendation under each theme."""
    by_theme: dict[str, list[ExportRecord]] = {}
    for record in records:
        for theme in main_themes(record):
            by_theme.setdefault(theme, []).append(record)
    order = sorted(by_theme, key=lambda t: (t == NO_THEME, t.lower()))
    return [
        (
            theme,
            sorted(
                by_theme[theme],
                key=lambda r: (r.country, r.document_symbol, paragraph_order(r.paragraph)),
            ),
        )
        for theme in order
    ]


class MatrixExporter(Exporter):
    kind = "matrix"
    label = "OHCHR-style matrix: recommendations grouped by theme, with positions and status"
    formats = ("xlsx", "docx", "csv")

    def write_to(self, data: Iterable[ExportRecord], fp: Any, fmt: str, **options: Any) -> None:
        records = list(data)
        if fmt == "docx":
            self._docx(records, fp, title=options.get("title") or title_for(records))
            return
        rows = self._table_rows(records)
        if fmt == "csv":
            write_csv(fp, TABLE_COLUMNS, rows)
        else:
            write_xlsx_sheets(
                fp,
                [("Matrix", TABLE_COLUMNS, rows)],
                widths={
                    "Recommendation": 70,
                    "Themes": 35,
                    "Groups of persons": 30,
                    "Main theme": 30,
                },
            )

    def _table_rows(self, records: list[ExportRecord]) -> list[list[Any]]:
        def key(r: ExportRecord) -> tuple[Any, ...]:
            return (
                main_themes(r)[0] == NO_THEME,
                main_themes(r)[0].lower(),
                r.country,
                r.document_symbol,
                paragraph_order(r.paragraph),
            )

        out = []
        for r in sorted(records, key=key):
            out.append(
                [
                    main_themes(r)[0],
                    r.paragraph,
                    r.text,
                    lines(r.recommending_states),
                    POSITION_LABELS.get(r.position, ""),
                    r.position_source,
                    lines(r.terms(THEMES)),
                    lines(r.terms(GROUPS_OF_PERSONS)),
                    lines(r.terms(LEGACY_THEMES)),
                    lines(r.terms(LEGACY_GROUPS)),
                    lines(sdgs(r)),
                    r.country_name or r.country,
                    r.body,
                    r.mechanism,
                    r.document_symbol,
                    r.session,
                    "" if r.cycle is None else r.cycle,
                    STATUS_LABELS.get(r.status, r.status),
                    "\n".join(r.assessments),
                    "; ".join(r.assignments),
                    r.code,
                ]
            )
        return out

    def _docx(self, records: list[ExportRecord], fp: Any, *, title: str) -> None:
        import docx
        from docx.enum.section import WD_ORIENT
        from docx.shared import Cm, Pt

        legacy = any(
            slug in (LEGACY_THEMES, LEGACY_GROUPS) for r in records for slug, _ in r.labels
        )
        header = LEGACY_HEADER if legacy else CURRENT_HEADER
        document = docx.Document()
        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(1.5))
        section.header.paragraphs[0].text = title
        document.core_properties.title = title
        style = document.styles["Normal"]
        style.font.size = Pt(9)
        document.add_heading("Thematic list of recommendations", level=1)
        document.add_paragraph(title)
        span = len(header)
        rows: list[str] = []
        for theme, members in grouped(records):
            rows.append(docx_xml.spanning_row_xml(f"Theme: {theme}", span))
            for r in members:
                rows.append(
                    docx_xml.row_xml(
                        [
                            recommendation_text(r),
                            POSITION_LABELS.get(r.position, ""),
                            themes_cell(r, legacy),
                            "\n".join(f"- {s}" for s in sdgs(r)),
                            status_text(r),
                        ]
                    )
                )
        docx_xml.add_table(document, header, rows)
        document.save(fp)
