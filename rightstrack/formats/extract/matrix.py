"""OHCHR UPR matrices in any layout published since 2012, read by their column headers.

`rightstrack/formats/importers/ohchr_matrix.py` reads the layouts of 2014, 2019 and 2025
(recommending States in brackets at the end of the text, "Theme:" rows). Older and one-off
layouts differ in ways that one fixed reader refuses:

- a separate "Recommending State(s)" column ("Portugal, Slovakia"), the text without brackets;
- a separate paragraph column ("No.", "Para.", "Rec. No.");
- section rows between the recommendations: "Right or area: 29.1. Discrimination against
  women", "Theme: A41 Constitutional and legislative framework", "Cluster: ...", or just the
  numbered theme ("29.1. Discrimination against women") alone in its row;
- positions "Supported", "Noted", "Accepted", "Rejected", "Supported/Noted", "Pending";
- the header a row or two below a title row inside the table.

`read_matrix(path)` finds the columns by what their header says, takes every other row with a
paragraph number as a recommendation, and every row without one as a section heading (kept as
the record's heading and, when the matrix has no themes column, as its theme). A row it cannot
read fails with the file, row and column named. Pure Python: python-docx is imported here.
"""

from __future__ import annotations

import re
from pathlib import Path

from rightstrack.formats.exceptions import ImportFormatError
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

#: Section rows: "Right or area: 29.1. Discrimination against women", "Theme: A12 ...".
_SECTION = re.compile(
    r"^\s*(?:right\s+or\s+area|rights?\s+or\s+areas?|theme|thematic\s+area|cluster|issue|"
    r"area)\s*:\s*",
    re.I,
)
#: Codes in front of theme names: "29.1.", "2.1", "A41", "B31", "A12".
_THEME_CODE = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\.?|[A-Z]\d{1,2})\s+(?=\S)")
_GROUPS_HEADING = re.compile(r"^(affected persons|groups? of persons)\s*:\s*", re.I)
_SDGS_HEADING = re.compile(r"^(sdgs?|relevant sdgs)\s*:\s*", re.I)
_SOURCE = re.compile(r"Source\s+of\s+position\s*:?\s*", re.I)
_SYMBOL = re.compile(r"A/HRC/\d+/\d+")
_HEADER = re.compile(
    r"UPR\s+of\s+(?P<country>.+?)\s*\(\s*(?P<cycle>\d+)\s*\w*\s+cycle\s*[-–—,]\s*"
    r"(?P<session>\d+)\s*\w*\s+session",
    re.I,
)


def _kind(header: str) -> str:
    """Name the column a header cell announces ('' for one we do not read)."""
    h = re.sub(r"\s+", " ", header.strip().lower())
    if not h:
        return ""
    if re.fullmatch(
        r"(?:rec(?:ommendation)?\.? ?)?(?:no\.?|nos?\.?|n°|#|number|para(?:graph)?\.?)", h
    ):
        return "paragraph"
    if h.startswith("recommendation"):
        return "text"
    if re.search(r"recommending|recommended by|^states?\b|^states?\(s\)|^countr|^source state", h):
        return "states"
    if "position" in h or re.fullmatch(r"(?:state'?s? )?(?:response|reply|status)", h):
        return "position"
    if re.search(r"affected persons|groups? of persons", h) and "theme" not in h:
        return "groups"
    if "sdg" in h and "theme" not in h:
        return "sdgs"
    if re.search(r"theme|right or area|rights? or areas?|issues?|area", h):
        return "themes"
    if "recommendation" in h:
        return "text"
    return ""


def find_header(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    """Return (row index, {kind: column}) of the header among the first rows, or None."""
    for index, cells in enumerate(rows[:4]):
        columns: dict[str, int] = {}
        for col, cell in enumerate(cells):
            kind = _kind(cell)
            if kind and kind not in columns:
                columns[kind] = col
        if "text" in columns and "position" in columns:
            return index, columns
    return None


def _open_tables(path: Path) -> tuple[list[list[list[str]]], list[str]]:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises zip, XML and KeyError alike for a bad file
        raise ImportFormatError(
            f"not a readable DOCX document (truncated or damaged: {exc.__class__.__name__})",
            path=str(path),
        ) from exc
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows] for table in document.tables
    ]
    texts: list[str] = []
    for section in document.sections:
        for part in (section.header, section.first_page_header):
            texts.extend(p.text for p in part.paragraphs)
    texts.extend(p.text for p in document.paragraphs[:30])
    texts.append(document.core_properties.title or "")
    return tables, texts


def _state_and_session(texts: list[str], path: Path) -> tuple[str, int | None]:
    from rightstrack.engine import countries

    for text in texts:
        match = _HEADER.search(text)
        if match:
            country = countries.resolve(match["country"])
            if country is not None:
                return country.code, int(match["session"])
    session_match = re.search(r"UPR[\s_]*(\d+)", path.stem, re.I)
    session = int(session_match[1]) if session_match else None
    for text in texts:
        m = re.search(r"\b(\d{1,2})\s*(?:st|nd|rd|th)?\s+session", text, re.I)
        if m:
            session = int(m.group(1))
            break
    for text in texts:
        m = re.search(
            r"\b(?:UPR of|Universal Periodic Review[:\s–-]+)\s*([A-Z][^\n(–-]{2,60})", text
        )
        country = countries.resolve(m.group(1).strip()) if m else None
        if country is not None:
            return country.code, session
    for token in re.split(r"[_\-\s]+", path.stem):
        country = countries.resolve(token) if len(token) > 3 else None
        if country is not None:
            return country.code, session
    raise ImportFormatError(
        "cannot tell the State under review: no 'UPR of <State> (... Cycle - ... session)' "
        "header or title and no State in the file name",
        path=str(path),
    )


def read_matrix(path: str | Path) -> list[RecordIn]:
    """Return the recommendations of the OHCHR matrix (DOCX) at *path*, any layout."""
    from rightstrack.formats.importers.common import (
        cycle_for_session,
        resolve_state,
        split_paragraph,
        split_state_list,
        take_recommending_states,
    )

    path = Path(path)
    tables, texts = _open_tables(path)
    found = None
    for table in tables:
        header = find_header(table)
        if header is not None:
            found = (table, header)
            break
    if found is None:
        raise ImportFormatError(
            "no table whose header names a 'Recommendation' and a 'Position' column: not an "
            "OHCHR matrix of recommendations",
            path=str(path),
        )
    rows, (header_index, columns) = found
    country, session = _state_and_session(texts, path)
    cycle = cycle_for_session(session)
    text_col, position_col = columns["text"], columns["position"]
    seen: dict[str, RecordIn] = {}
    heading = ""
    heading_labels: list[LabelIn] = []
    for number, cells in enumerate(rows[header_index + 1 :], start=header_index + 2):
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        first = cells[text_col] if text_col < len(cells) else ""
        if "paragraph" in columns:
            paragraph = re.sub(r"[.\s]+$", "", cells[columns["paragraph"]])
            rest = first
        else:
            paragraph, rest = split_paragraph(" ".join(first.split()))
        distinct = {c for c in cells if c}
        section = _SECTION.match(first)
        lone = len(distinct) == 1 and not take_recommending_states(" ".join(first.split()))[1]
        if section or lone:
            # "Right or area: 29.1. Discrimination against women", or a theme alone in its row.
            title = first[section.end() :] if section else next(iter(distinct))
            heading = " ".join(_THEME_CODE.sub("", title.strip()).split())
            heading_labels = _theme_labels(title, path.name) if heading else []
            continue
        if not paragraph:
            raise ImportFormatError(
                f"no paragraph number at the start of {first[:40]!r}",
                path=str(path),
                row=number,
                column="Recommendation",
            )
        raw = rest
        position_source = ""
        source_match = _SOURCE.search(raw)
        if source_match:
            position_source = " ".join(raw[source_match.end() :].split())
            raw = raw[: source_match.start()]
        text, names = take_recommending_states(" ".join(raw.split()))
        if "states" in columns and cells[columns["states"]]:
            column_names = [
                n
                for line in re.split(r"[\n;]", cells[columns["states"]])
                for n in split_state_list(line.strip())
                if n.strip()
            ]
            names = column_names + [n for n in names if n not in column_names]
        if not names:
            raise ImportFormatError(
                "no recommending State (neither a 'Recommending State' column nor States in "
                "brackets at the end of the text)",
                path=str(path),
                row=number,
                column="Recommendation",
            )
        states = tuple(
            dict.fromkeys(
                resolve_state(n, path=path, row=number, column="Recommending State") for n in names
            )
        )
        position = _position(cells[position_col], path=path, row=number)
        symbol_match = _SYMBOL.search(position_source)
        origin = symbol_match.group() if symbol_match else path.name
        labels: list[LabelIn] = []
        if "themes" in columns:
            labels.extend(_theme_labels(cells[columns["themes"]], origin))
        else:
            labels.extend(heading_labels)
        if "groups" in columns:
            labels.extend(_group_labels(cells[columns["groups"]].splitlines(), origin))
        if "sdgs" in columns:
            labels.extend(_sdg_labels(cells[columns["sdgs"]].splitlines(), origin))
        record = RecordIn(
            text=text,
            mechanism=Mechanism.UPR,
            body="UPR",
            country=country,
            document_symbol=symbol_match.group() if symbol_match else "",
            paragraph=paragraph,
            session=str(session) if session else "",
            cycle=cycle,
            recommending_states=states,
            position=position,
            position_source=position_source,
            labels=tuple(dict.fromkeys(labels)),
            heading=heading,
            source_file=path.name,
            source_row=number,
        )
        previous = seen.get(paragraph)
        if previous is None:
            seen[paragraph] = record
        else:
            # The same recommendation under another theme: keep one, with every label.
            previous.labels = previous.labels + tuple(
                label for label in record.labels if label not in previous.labels
            )
    if not seen:
        raise ImportFormatError("the matrix's table holds no recommendation", path=str(path))
    return list(seen.values())


def _position(cell: str, *, path: Path, row: int) -> str:
    from rightstrack.formats.importers.common import normalise_position

    key = " ".join(cell.split()).strip(" .")
    # "Supported (A/HRC/22/7/Add.1)" or "Noted\nSource: ...": the first line's first words.
    key = re.split(r"\n|\(|:| - ", key)[0].strip() if key else key
    return normalise_position(key, path=path, row=row, column="Position")


def _term_labels(values: list[str], current: str, legacy: str, origin: str) -> list[LabelIn]:
    from rightstrack.formats.importers.common import theme_taxonomy_for

    return [LabelIn(theme_taxonomy_for(v, current, legacy), v, origin=origin) for v in values if v]


def _clean(line: str) -> str:
    return " ".join(_THEME_CODE.sub("", re.sub(r"^[-–•]\s*", "", line.strip())).split())


def _theme_labels(cell: str, origin: str) -> list[LabelIn]:
    from rightstrack.formats.importers.ohchr_matrix import LEGACY_GROUPS_OF_PERSONS

    themes: list[str] = []
    groups: list[str] = []
    sdgs: list[str] = []
    section = "themes"
    for line in cell.splitlines():
        line = line.strip()
        if match := _GROUPS_HEADING.match(line):
            section, line = "groups", line[match.end() :]
        elif match := _SDGS_HEADING.match(line):
            section, line = "sdgs", line[match.end() :]
        if not line.strip():
            continue
        if section == "sdgs":
            sdgs.append(line)
        else:
            (themes if section == "themes" else groups).append(_clean(line))
    return (
        _term_labels(themes, THEMES, LEGACY_THEMES, origin)
        + _term_labels(groups, GROUPS_OF_PERSONS, LEGACY_GROUPS_OF_PERSONS, origin)
        + _sdg_labels(sdgs, origin)
    )


def _group_labels(lines: list[str], origin: str) -> list[LabelIn]:
    from rightstrack.formats.importers.ohchr_matrix import LEGACY_GROUPS_OF_PERSONS

    values = [_clean(line) for line in lines if _clean(line)]
    return _term_labels(values, GROUPS_OF_PERSONS, LEGACY_GROUPS_OF_PERSONS, origin)


def _sdg_labels(lines: list[str], origin: str) -> list[LabelIn]:
    from rightstrack.formats.importers.common import sdg_term

    labels = []
    for line in lines:
        term = sdg_term(re.sub(r"^[-–•]\s*", "", line.strip()))
        if term:
            kind, value = term
            labels.append(
                LabelIn(SDG_TARGETS if kind == "target" else SDG_GOALS, value, origin=origin)
            )
    return labels
