"""Any CSV or XLSX table of recommendations, with a column mapping; and rightstrack's own
`extract` output and list export read back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from rightstrack.formats.exceptions import ImportFormatError
from rightstrack.formats.exporters.base import unsafe_cell
from rightstrack.formats.importers.base import Importer
from rightstrack.formats.importers.common import (
    column_index,
    cycle_for_session,
    fold_header,
    iter_table,
    mechanism_for_body,
    normalise_mechanism,
    normalise_position,
    parse_date,
    read_header,
    resolve_state,
    sdg_term,
    session_number,
    split_joined,
    split_paragraph,
    split_state_list,
)
from rightstrack.formats.records import (
    EXTRACT_COLUMNS,
    GROUPS_OF_PERSONS,
    LEGACY_THEMES,
    SDG_GOALS,
    SDG_TARGETS,
    THEMES,
    LabelIn,
    Mechanism,
    RecordIn,
)

LEGACY_GROUPS_OF_PERSONS = "groups_of_persons_legacy"
_BULLET = re.compile(r"^\s*[-–•*]\s*")

#: field -> header names recognised without a mapping (folded: lower case, single spaces).
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": (
        "text",
        "recommendation",
        "recommendation text",
        "recommendations",
        "recommendation and recommending state",
    ),
    "country": (
        "country",
        "state under review",
        "sur",
        "state",
        "countries concerned",
        "country concerned",
        "to",
    ),
    "body": ("body", "recommending body", "reccomending body", "treaty body", "mechanism body"),
    "mechanism": ("mechanism", "mechanism type"),
    "document_symbol": ("document symbol", "symbol", "document"),
    "paragraph": ("paragraph", "para", "paragraph number", "para no", "no"),
    "recommending_states": (
        "recommending states",
        "recommending state",
        "upr recommending states",
        "upr reccomending states",
        "from",
    ),
    "position": ("position", "response", "upr position", "position of the state under review"),
    "themes": ("themes", "theme", "human rights themes"),
    "affected_persons": ("affected persons", "groups of persons", "groups", "affected groups"),
    # Terms of the legacy (pre-2022) UHRI lists, as rightstrack's matrix and list exports write.
    "legacy_themes": ("legacy themes",),
    "legacy_affected_persons": ("legacy groups of persons", "legacy affected persons"),
    "sdgs": ("sdgs", "sdg targets", "sdg", "sdg goals", "relevant sdgs"),
    "session": ("session", "upr session"),
    "document_date": ("date", "document date", "document publication date"),
    "external_id": ("external id", "id", "ohchr annotation id"),
    "follow_up": ("follow up",),
    "follow_up_due": ("follow up due",),
    "position_source": ("position source", "source of position"),
    "cycle": ("cycle",),
}
REQUIRED = ("text", "country")


class GenericImporter(Importer):
    """A table with one recommendation a row; `mapping` names the column of each field.

    Fields: text, country (required), body, mechanism (one of the two, or a `defaults` value),
    document_symbol, paragraph, recommending_states, position, themes, affected_persons, sdgs,
    session, document_date, external_id, follow_up, follow_up_due, position_source, cycle.
    A field not in `mapping` is looked for under its usual header names (DEFAULT_COLUMNS).
    """

    kind = "generic"
    label = "Generic table with a column mapping (CSV, XLSX)"
    extensions = (".csv", ".xlsx", ".xlsm")

    def __init__(
        self, mapping: Mapping[str, str] | None = None, defaults: Mapping[str, str] | None = None
    ) -> None:
        self.mapping = dict(mapping or {})
        self.defaults = dict(defaults or {})

    def sniff(self, path: Path) -> int:
        path = Path(path)
        if path.suffix.lower() not in self.extensions:
            return 0
        header = set(column_index(read_header(path)))
        found = [f for f in REQUIRED if header & set(DEFAULT_COLUMNS[f])]
        return 2 if len(found) == len(REQUIRED) else 1

    def read(
        self, path: Path, *, encoding: str | None = None, mapping: Mapping[str, str] | None = None
    ) -> Iterator[RecordIn]:
        path = Path(path)
        columns, rows = iter_table(path, encoding=encoding)
        col = self._columns(columns, {**self.mapping, **(mapping or {})}, path)
        for number, cells in rows:
            yield self._read_row(cells, col, path, number)

    def _columns(self, columns: list[str], mapping: dict[str, str], path: Path) -> dict[str, int]:
        index = column_index(columns)
        unknown = [f for f in mapping if f not in DEFAULT_COLUMNS]
        if unknown:
            raise ImportFormatError(
                f"unknown field {unknown[0]!r} in the column mapping; fields: "
                f"{', '.join(DEFAULT_COLUMNS)}",
                path=str(path),
            )
        col: dict[str, int] = {}
        for field, names in DEFAULT_COLUMNS.items():
            if field in mapping:
                key = fold_header(mapping[field])
                if key not in index:
                    raise ImportFormatError(
                        f"missing column {mapping[field]!r} (mapped to {field}); "
                        f"found: {', '.join(columns)}",
                        path=str(path),
                        row=1,
                        column=mapping[field],
                    )
                col[field] = index[key]
            elif (i := next((index[n] for n in names if n in index), None)) is not None:
                col[field] = i
        missing = [f for f in REQUIRED if f not in col and f not in self.defaults]
        if not any(f in col or f in self.defaults for f in ("body", "mechanism")):
            missing.append("body")
        if missing:
            raise ImportFormatError(
                f"missing column for {missing[0]!r} (looked for "
                f"{', '.join(repr(n) for n in DEFAULT_COLUMNS[missing[0]][:4])}, or give a "
                f"mapping); found: {', '.join(columns)}",
                path=str(path),
                row=1,
                column=missing[0],
            )
        self._headers = {field: columns[i] for field, i in col.items()}
        return col

    def _split(self, cell: str) -> list[str]:
        if "\n" in cell or "\r" in cell or cell.startswith("- "):
            # One value a line, or one "- " bulleted value (rightstrack's matrix export): a
            # value may hold a semicolon.
            return [v for line in cell.splitlines() if (v := _BULLET.sub("", line).strip())]
        return split_joined(cell)

    def _read_row(self, cells: list[str], col: dict[str, int], path: Path, number: int) -> RecordIn:
        headers = self._headers

        def get(field: str) -> str:
            i = col.get(field)
            return unsafe_cell(cells[i].strip()) if i is not None else self.defaults.get(field, "")

        text = " ".join(get("text").split())
        paragraph = get("paragraph")
        if not paragraph:
            paragraph, text = split_paragraph(text)
        if not text:
            raise ImportFormatError(
                "empty recommendation text",
                path=str(path),
                row=number,
                column=headers.get("text", "text"),
            )
        country_cell = get("country")
        country = ""
        if country_cell:
            first = self._split(country_cell)[0] if self._split(country_cell) else ""
            country = resolve_state(
                first, path=path, row=number, column=headers.get("country", "country")
            )
        body = get("body")
        mechanism_cell = get("mechanism")
        column = headers.get("mechanism", "mechanism")
        if mechanism_cell:
            mechanism = normalise_mechanism(mechanism_cell, path=path, row=number, column=column)
        elif body:
            mechanism = mechanism_for_body(body)
        else:
            raise ImportFormatError(
                "no body and no mechanism",
                path=str(path),
                row=number,
                column=headers.get("body", "body"),
            )
        if not body and mechanism == Mechanism.UPR:
            body = "UPR"
        states_column = headers.get("recommending_states", "recommending_states")
        states: list[str] = []
        for value in self._split(get("recommending_states")):
            names = split_state_list(value) if "," in value else [value]
            for name in names:
                code = resolve_state(name, path=path, row=number, column=states_column)
                if code not in states:
                    states.append(code)
        session = session_number(get("session"))
        cycle_cell = get("cycle")
        symbol = get("document_symbol")
        origin = symbol or path.name
        labels = [LabelIn(THEMES, t, origin=origin) for t in self._split(get("themes"))]
        labels += [
            LabelIn(GROUPS_OF_PERSONS, g, origin=origin)
            for g in self._split(get("affected_persons"))
        ]
        labels += [
            LabelIn(LEGACY_THEMES, t, origin=origin) for t in self._split(get("legacy_themes"))
        ]
        labels += [
            LabelIn(LEGACY_GROUPS_OF_PERSONS, g, origin=origin)
            for g in self._split(get("legacy_affected_persons"))
        ]
        for value in self._split(get("sdgs")):
            term = sdg_term(value)
            if term:
                labels.append(
                    LabelIn(
                        SDG_TARGETS if term[0] == "target" else SDG_GOALS, term[1], origin=origin
                    )
                )
        return RecordIn(
            text=text,
            mechanism=mechanism,
            body=body,
            country=country,
            external_id=get("external_id"),
            document_symbol=symbol,
            document_date=parse_date(
                get("document_date"),
                path=path,
                row=number,
                column=headers.get("document_date", "document_date"),
            ),
            paragraph=paragraph,
            session=str(session) if session else "",
            cycle=int(cycle_cell) if cycle_cell.isdigit() else cycle_for_session(session),
            recommending_states=tuple(states),
            position=normalise_position(
                get("position"), path=path, row=number, column=headers.get("position", "position")
            ),
            position_source=get("position_source"),
            follow_up=get("follow_up").lower() in ("true", "yes", "1", "x"),
            follow_up_due=get("follow_up_due"),
            labels=tuple(dict.fromkeys(labels)),
            source_file=path.name,
            source_row=number,
        )


#: The columns `rightstrack extract` writes (docs/cli-contract.md); the list export adds more.
RIGHTSTRACK_COLUMNS = EXTRACT_COLUMNS


class RightstrackImporter(GenericImporter):
    """rightstrack's own `extract` output or list export: exact column names, "; " joins."""

    kind = "rightstrack"
    label = "rightstrack list or matrix export (CSV, XLSX)"

    def __init__(self) -> None:
        super().__init__(
            mapping={
                "document_symbol": "document_symbol",
                "mechanism": "mechanism",
                "body": "body",
                "country": "country",
                "paragraph": "paragraph",
                "text": "text",
                "recommending_states": "recommending_states",
                "position": "position",
                "themes": "themes",
                "affected_persons": "affected_persons",
                "sdgs": "sdg_targets",
                "follow_up": "follow_up",
                "follow_up_due": "follow_up_due",
            }
        )

    def sniff(self, path: Path) -> int:
        path = Path(path)
        if path.suffix.lower() not in self.extensions:
            return 0
        header = set(read_header(path))
        return 9 if set(RIGHTSTRACK_COLUMNS) <= header else 0

    def read(
        self, path: Path, *, encoding: str | None = None, mapping: Mapping[str, str] | None = None
    ) -> Iterator[RecordIn]:
        path = Path(path)
        columns = read_header(path)
        missing = [c for c in RIGHTSTRACK_COLUMNS if c not in columns]
        if columns and missing:
            raise ImportFormatError(
                f"missing column {missing[0]!r}: not a rightstrack extract or list export; "
                f"found: {', '.join(columns)}",
                path=str(path),
                row=1,
                column=missing[0],
            )
        # The list export carries every stored field; read those it shares with RecordIn too.
        extra = {
            f: f
            for f in (
                "external_id",
                "session",
                "cycle",
                "position_source",
                "document_date",
                "legacy_themes",
                "legacy_affected_persons",
            )
            if f in columns
        }
        yield from super().read(path, encoding=encoding, mapping={**extra, **(mapping or {})})

    def _split(self, cell: str) -> list[str]:
        # "; " joins values; a State name never holds a semicolon.
        return [v.strip() for v in cell.split(";") if v.strip()]
