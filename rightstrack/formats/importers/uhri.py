"""Universal Human Rights Index (UHRI) exports, XLSX or CSV.

Columns: OHCHR Annotation Id, Text, Type, Reccomending Body (sic; "Recommending Body" too),
Document Symbol, Document Publication Date (an Excel serial number or a date), Countries
Concerned, Regions Concerned, Recommending Regions, Themes, Affected Persons, Sdgs, UPR Session,
UPR Reccomending States, UPR Position. Multi-valued cells hold one "- value" a line. The paragraph
number is inside Text ("118.5 Ratify ...", "12. The Committee recommends ...").
Exports run to 270,000 rows: XLSX is streamed and each row costs a few dictionary look-ups.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

from rightstrack.engine import countries
from rightstrack.formats.exceptions import ImportFormatError
from rightstrack.formats.importers.base import Importer
from rightstrack.formats.importers.common import (
    column_index,
    cycle_for_session,
    iter_table,
    mechanism_for_body,
    normalise_position,
    parse_date,
    read_header,
    resolve_state,
    sdg_term,
    session_number,
    split_multi,
    split_paragraph,
    split_state_list,
    take_recommending_states,
)
from rightstrack.formats.records import (
    GROUPS_OF_PERSONS,
    SDG_GOALS,
    SDG_TARGETS,
    THEMES,
    LabelIn,
    Mechanism,
    RecordIn,
)

#: field -> the header names UHRI has used for it (folded: lower case, single spaces).
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("ohchr annotation id", "annotation id"),
    "text": ("text",),
    "type": ("type",),
    "body": ("reccomending body", "recommending body"),
    "symbol": ("document symbol",),
    "date": ("document publication date", "publication date"),
    "countries": ("countries concerned",),
    "regions": ("regions concerned",),
    "recommending_regions": ("recommending regions",),
    "themes": ("themes",),
    "persons": ("affected persons",),
    "sdgs": ("sdgs",),
    "session": ("upr session",),
    "states": ("upr reccomending states", "upr recommending states"),
    "position": ("upr position",),
}
REQUIRED = ("text", "body", "symbol", "countries")
#: Annotation types that are not recommendations (UHRI also indexes observations).
NOT_RECOMMENDATIONS = frozenset(
    {"concern", "concerns", "observation", "observations", "positive aspect", "positive aspects"}
)


class UhriImporter(Importer):
    kind = "uhri"
    label = "UHRI export (XLSX, CSV)"
    extensions = (".xlsx", ".csv")

    def sniff(self, path: Path) -> int:
        header = set(column_index(read_header(Path(path))))
        if "ohchr annotation id" in header:
            return 10
        if "document symbol" in header and header & {"reccomending body", "recommending body"}:
            return 8
        return 0

    def read(self, path: Path, *, encoding: str | None = None) -> Iterator[RecordIn]:
        path = Path(path)
        columns, rows = iter_table(path, encoding=encoding)
        index = column_index(columns)
        col = {
            field: next((index[n] for n in names if n in index), None)
            for field, names in COLUMNS.items()
        }
        missing = [f for f in REQUIRED if col[f] is None]
        if missing:
            wanted = COLUMNS[missing[0]][0]
            raise ImportFormatError(
                f"missing column {_title(wanted)!r}; found: {', '.join(columns)}",
                path=str(path),
                row=1,
                column=_title(wanted),
            )
        headers = {field: columns[i] for field, i in col.items() if i is not None}
        state = _state_resolver(path)
        for number, cells in rows:
            record = _read_row(cells, col, headers, path, number, state)
            if record is not None:
                yield record


def _title(folded: str) -> str:
    return " ".join(w.upper() if w in ("ohchr", "upr") else w.capitalize() for w in folded.split())


def _state_resolver(path: Path) -> Callable[[str, int, str], str]:
    @lru_cache(maxsize=2048)
    def known(name: str) -> str | None:
        country = countries.resolve(name)
        return country.code if country else None

    def resolve(name: str, row: int, column: str) -> str:
        code = known(name)
        if code is None:
            return resolve_state(name, path=path, row=row, column=column)
        return code

    return resolve


def _read_row(
    cells: list[str],
    col: dict[str, int | None],
    headers: dict[str, str],
    path: Path,
    number: int,
    state: Callable[[str, int, str], str],
) -> RecordIn | None:
    def get(field: str) -> str:
        i = col[field]
        return cells[i] if i is not None else ""

    kind = get("type").strip()
    if kind.lower() in NOT_RECOMMENDATIONS:
        return None
    body = get("body").strip()
    if not body:
        raise ImportFormatError(
            "empty recommending body", path=str(path), row=number, column=headers["body"]
        )
    mechanism = mechanism_for_body(body)
    paragraph, text = split_paragraph(" ".join(get("text").split()))
    if not text:
        raise ImportFormatError("empty text", path=str(path), row=number, column=headers["text"])
    symbol = get("symbol").strip()
    country_names = split_multi(get("countries"))
    codes = [state(n, number, headers["countries"]) for n in country_names]
    extra: dict[str, str] = {}
    if kind:
        extra["uhri_type"] = kind
    if len(codes) > 1:
        extra["countries_concerned"] = "; ".join(codes)
    for field in ("regions", "recommending_regions"):
        if values := split_multi(get(field)):
            extra[field] = "; ".join(values)
    states: tuple[str, ...] = ()
    session = position = ""
    cycle = None
    if mechanism == Mechanism.UPR:
        text, printed = take_recommending_states(text)
        names = split_multi(get("states")) or printed
        column = headers.get("states", headers["text"])
        resolved: list[str] = []
        for name in names:
            parts = [name] if countries.resolve(name) else split_state_list(name)
            resolved.extend(state(p, number, column) for p in parts)
        states = tuple(dict.fromkeys(resolved))
        number_ = session_number(get("session"))
        session, cycle = (str(number_) if number_ else ""), cycle_for_session(number_)
        if col["position"] is not None:
            position = normalise_position(
                get("position"), path=path, row=number, column=headers["position"]
            )
    origin = symbol or path.name
    labels = [LabelIn(THEMES, t, origin=origin) for t in split_multi(get("themes"))]
    labels += [LabelIn(GROUPS_OF_PERSONS, g, origin=origin) for g in split_multi(get("persons"))]
    for value in split_multi(get("sdgs")):
        term = sdg_term(value)
        if term:
            labels.append(
                LabelIn(SDG_TARGETS if term[0] == "target" else SDG_GOALS, term[1], origin=origin)
            )
    date_column = headers.get("date", "Document Publication Date")
    return RecordIn(
        text=text,
        mechanism=mechanism,
        body="UPR" if mechanism == Mechanism.UPR else body,
        country=codes[0] if codes else "",
        external_id=get("id").strip(),
        document_symbol=symbol,
        document_date=parse_date(get("date"), path=path, row=number, column=date_column),
        paragraph=paragraph,
        session=session,
        cycle=cycle,
        recommending_states=states,
        position=position,
        labels=tuple(dict.fromkeys(labels)),
        source_file=path.name,
        source_row=number,
        extra=extra,
    )
