"""OHCHR UPR "matrix" (thematic list of recommendations), DOCX, in its three layouts.

2014: Recommendation | Position | Full list of themes (UHRI codes, "Affected persons:") | Assessment
2019: same header; themes as "- " bullets, with "SDGs:" and "Affected persons:" blocks
2025: Recommendation and recommending State | Position of the State under review |
      Human rights themes and groups of persons ("Groups of Persons:") | Relevant SDGs
A recommendation repeats under every theme it carries; it is read once, by paragraph number.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rightstrack.engine import countries
from rightstrack.formats.exceptions import ImportFormatError
from rightstrack.formats.importers.base import Importer
from rightstrack.formats.importers.common import (
    cycle_for_session,
    last_parenthesis,
    normalise_position,
    resolve_state,
    sdg_term,
    split_paragraph,
    take_recommending_states,
    theme_taxonomy_for,
)
from rightstrack.formats.records import (
    GROUPS_OF_PERSONS,
    LEGACY_THEMES,
    SDG_GOALS,
    SDG_TARGETS,
    THEMES,
    LabelIn,
    Mechanism,
    RecordIn,
)

#: The legacy groups of persons (engine/data/taxonomies/groups_of_persons_legacy.csv).
LEGACY_GROUPS_OF_PERSONS = "groups_of_persons_legacy"

_SOURCE = re.compile(r"Source\s+of\s+position\s*:?\s*", re.I)
_SYMBOL = re.compile(r"A/HRC/\d+/\d+")
_GROUPS_HEADING = re.compile(r"^(affected persons|groups? of persons)\s*:\s*", re.I)
_SDGS_HEADING = re.compile(r"^(sdgs?|relevant sdgs)\s*:\s*", re.I)
_THEME_CODE = re.compile(r"^[A-Z]\d{1,2}\s+(?=\S)")
_HEADER = re.compile(
    r"UPR\s+of\s+(?P<country>.+?)\s*\(\s*(?P<cycle>\d+)\s*\w*\s+cycle\s*[-–—,]\s*"
    r"(?P<session>\d+)\s*\w*\s+session",
    re.I,
)


class OhchrMatrixImporter(Importer):
    kind = "ohchr-matrix"
    label = "OHCHR UPR matrix / thematic list (DOCX)"
    extensions = (".docx",)

    def sniff(self, path: Path) -> int:
        if not _is_docx(path):
            return 0
        try:
            document = _open(path)
        except ImportFormatError:
            return 0
        table = _matrix_table(document)
        if table is not None:
            return 9
        return 0

    def read(self, path: Path, *, encoding: str | None = None) -> Iterator[RecordIn]:
        path = Path(path)
        document = _open(path)
        table = _matrix_table(document)
        if table is None:
            raise ImportFormatError(
                "no table with a 'Recommendation' and a 'Position' column: not an OHCHR "
                "thematic list of recommendations",
                path=str(path),
            )
        country, session = _state_and_session(document, path)
        yield from _read_table(table, path, country, session)


def _is_docx(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _open(path: Path) -> Any:
    import docx

    if not path.is_file():
        raise ImportFormatError("no such file", path=str(path))
    try:
        return docx.Document(str(path))
    except Exception as exc:  # python-docx raises zip, XML and KeyError alike for a bad file
        raise ImportFormatError(
            f"not a readable DOCX document (truncated or damaged: {exc.__class__.__name__})",
            path=str(path),
        ) from exc


def _matrix_table(document: Any) -> Any:
    for table in document.tables:
        if not table.rows:
            continue
        header = [c.text.strip().lower() for c in table.rows[0].cells]
        if (
            header
            and header[0].startswith("recommendation")
            and any("position" in h for h in header[1:])
        ):
            return table
    return None


def _state_and_session(document: Any, path: Path) -> tuple[str, int | None]:
    """Return the State under review and the session, from the page header or file name."""
    texts = []
    for section in document.sections:
        for part in (section.header, section.first_page_header):
            texts.extend(p.text for p in part.paragraphs)
    texts.extend(p.text for p in document.paragraphs[:20])
    texts.append(document.core_properties.title or "")
    for text in texts:
        match = _HEADER.search(text)
        if match:
            code = resolve_state(match["country"], path=path, row=None, column="page header")
            return code, int(match["session"])
    session_match = re.search(r"UPR[\s_]*(\d+)", path.stem, re.I)
    session = int(session_match[1]) if session_match else None
    for token in re.split(r"[_\-\s]+", path.stem):
        country = countries.resolve(token) if len(token) > 3 else None
        if country is not None:
            return country.code, session
    raise ImportFormatError(
        "cannot tell the State under review: no 'UPR of <State> (... Cycle - ... session)' "
        "page header and no State in the file name",
        path=str(path),
    )


def _read_table(table: Any, path: Path, country: str, session: int | None) -> Iterator[RecordIn]:
    header = [c.text.strip().lower() for c in table.rows[0].cells]
    position_col = next(i for i, h in enumerate(header) if "position" in h and i > 0)
    themes_col = next((i for i, h in enumerate(header) if "theme" in h), None)
    sdg_col = next((i for i, h in enumerate(header) if "sdg" in h), None)
    # Layouts before 2022 may print legacy theme and group names (see theme_taxonomy_for).
    legacy = not any("groups of persons" in h for h in header)
    session_text = str(session) if session else ""
    cycle = cycle_for_session(session)
    seen: dict[str, RecordIn] = {}
    heading = ""
    for number, row in enumerate(table.rows[1:], start=2):
        cells = [c.text for c in row.cells]
        first = cells[0].strip()
        if not first:
            continue
        if first.lower().startswith("theme:"):
            heading = _THEME_CODE.sub("", first.split(":", 1)[1].strip())
            continue
        record = _read_row(
            cells,
            path=path,
            row=number,
            country=country,
            position_col=position_col,
            themes_col=themes_col,
            sdg_col=sdg_col,
            legacy=legacy,
        )
        record.session, record.cycle, record.heading = session_text, cycle, heading
        previous = seen.get(record.paragraph)
        if previous is None:
            seen[record.paragraph] = record
        else:
            # The same recommendation under another theme: keep one, with every label.
            previous.labels = previous.labels + tuple(
                label for label in record.labels if label not in previous.labels
            )
    yield from seen.values()


def _read_row(
    cells: list[str],
    *,
    path: Path,
    row: int,
    country: str,
    position_col: int,
    themes_col: int | None,
    sdg_col: int | None,
    legacy: bool,
) -> RecordIn:
    column = "Recommendation"
    raw = cells[0]
    source_match = _SOURCE.search(raw)
    position_source = ""
    if source_match:
        position_source = " ".join(raw[source_match.end() :].split())
        raw = raw[: source_match.start()]
    paragraph, rest = split_paragraph(" ".join(raw.split()))
    if not paragraph:
        raise ImportFormatError(
            f"no paragraph number at the start of {rest[:40]!r}",
            path=str(path),
            row=row,
            column=column,
        )
    text, names = take_recommending_states(rest)
    if not names:
        unknown = last_parenthesis(rest)
        raise ImportFormatError(
            f"unknown State {unknown!r}" if unknown else "no recommending State in parentheses",
            path=str(path),
            row=row,
            column=column,
        )
    states = tuple(
        dict.fromkeys(resolve_state(n, path=path, row=row, column=column) for n in names)
    )
    symbol_match = _SYMBOL.search(position_source)
    symbol = symbol_match.group() if symbol_match else ""
    origin = symbol or path.name
    labels: list[LabelIn] = []
    if themes_col is not None:
        labels.extend(_theme_labels(cells[themes_col], legacy, origin))
    if sdg_col is not None and sdg_col != themes_col:
        labels.extend(_sdg_labels(cells[sdg_col].splitlines(), origin))
    return RecordIn(
        text=text,
        mechanism=Mechanism.UPR,
        body="UPR",
        country=country,
        document_symbol=symbol,
        paragraph=paragraph,
        recommending_states=states,
        position=normalise_position(cells[position_col], path=path, row=row, column="Position"),
        position_source=position_source,
        labels=tuple(dict.fromkeys(labels)),
        source_file=path.name,
        source_row=row,
    )


def _theme_labels(cell: str, legacy: bool, origin: str) -> list[LabelIn]:
    labels: list[LabelIn] = []
    section = "themes"
    sdg_lines: list[str] = []
    for line in cell.splitlines():
        line = line.strip()
        if not line:
            continue
        if match := _GROUPS_HEADING.match(line):
            section, line = "groups", line[match.end() :]
        elif match := _SDGS_HEADING.match(line):
            section, line = "sdgs", line[match.end() :]
        value = re.sub(r"^[-–•]\s*", "", line).strip()
        if not value:
            continue
        if section == "themes":
            value = _THEME_CODE.sub("", value)
            taxonomy = theme_taxonomy_for(value, THEMES, LEGACY_THEMES) if legacy else THEMES
            labels.append(LabelIn(taxonomy, value, origin=origin))
        elif section == "groups":
            taxonomy = (
                theme_taxonomy_for(value, GROUPS_OF_PERSONS, LEGACY_GROUPS_OF_PERSONS)
                if legacy
                else GROUPS_OF_PERSONS
            )
            labels.append(LabelIn(taxonomy, value, origin=origin))
        else:
            sdg_lines.append(value)
    return labels + _sdg_labels(sdg_lines, origin)


def _sdg_labels(lines: list[str], origin: str) -> list[LabelIn]:
    labels = []
    for line in lines:
        term = sdg_term(re.sub(r"^[-–•]\s*", "", line.strip()))
        if term:
            kind, value = term
            labels.append(
                LabelIn(SDG_TARGETS if kind == "target" else SDG_GOALS, value, origin=origin)
            )
    return labels
