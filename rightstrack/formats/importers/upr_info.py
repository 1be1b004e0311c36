"""UPR Info database exports (CSV or XLSX).

Columns: To, To-Rgrp, To-Org, Text, From, From-Rgrp, From-Org, Response, Action, Issue, Session.
One row per recommending State: a joint recommendation appears once per co-sponsor, so rows are
merged on (State under review, session, normalised text). The exports carry no paragraph
numbers and no document symbols. Old exports are Mac Roman or Latin-1 with CR line endings.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

from rightstrack.formats.exceptions import ImportFormatError
from rightstrack.formats.importers.base import Importer
from rightstrack.formats.importers.common import (
    column_index,
    cycle_for_session,
    iter_table,
    read_header,
    resolve_state,
    session_number,
)
from rightstrack.formats.records import (
    ACTION_CATEGORIES,
    UPR_INFO_ISSUES,
    LabelIn,
    Mechanism,
    Position,
    RecordIn,
    normalise_for_key,
)

REQUIRED = ("To", "Text", "From", "Response", "Session")
_RESPONSES = {
    "accepted": Position.SUPPORTED,
    "supported": Position.SUPPORTED,
    "noted": Position.NOTED,
    "rejected": Position.NOTED,
    "voluntary pledge": "",
    "": "",
}
#: "From" values that name no State: skipped, not an error.
NO_STATE = frozenset({"(Unknown)", "Unknown", ""})


class UprInfoImporter(Importer):
    kind = "upr-info"
    label = "UPR Info export (CSV)"
    extensions = (".csv", ".xlsx")

    def sniff(self, path: Path) -> int:
        header = {h.lower() for h in read_header(Path(path))}
        if {"to", "from", "text", "response"} <= header:
            return 9 if "to-rgrp" in header or "issue" in header else 7
        return 0

    def read(self, path: Path, *, encoding: str | None = None) -> Iterator[RecordIn]:
        path = Path(path)
        columns, rows = iter_table(path, encoding=encoding)
        index = column_index(columns)
        missing = [c for c in REQUIRED if c.lower() not in index]
        if missing:
            raise ImportFormatError(
                f"missing column {', '.join(repr(m) for m in missing)}; "
                f"found: {', '.join(columns)}",
                path=str(path),
                row=1,
                column=missing[0],
            )
        col = {name: index.get(name.lower()) for name in (*REQUIRED, "Action", "Issue")}
        merged: dict[tuple[str, str, str], RecordIn] = {}
        for number, cells in rows:
            record = _read_row(cells, col, path, number)
            key = (record.country, record.session, normalise_for_key(record.text))
            previous = merged.get(key)
            if previous is None:
                merged[key] = record
                continue
            # Another co-sponsor of the same recommendation.
            previous.recommending_states += tuple(
                s for s in record.recommending_states if s not in previous.recommending_states
            )
            previous.labels += tuple(
                label for label in record.labels if label not in previous.labels
            )
        yield from merged.values()


def _read_row(cells: list[str], col: dict[str, int | None], path: Path, number: int) -> RecordIn:
    def get(name: str) -> str:
        i = col[name]
        return html.unescape(cells[i]).strip() if i is not None else ""

    text = " ".join(get("Text").split())
    if not text:
        raise ImportFormatError(
            "empty recommendation text", path=str(path), row=number, column="Text"
        )
    country = resolve_state(get("To"), path=path, row=number, column="To")
    sponsor = get("From")
    response = get("Response")
    # A voluntary pledge is the State's own commitment: it has no recommending State.
    pledge = response.lower() == "voluntary pledge"
    states = (
        ()
        if sponsor in NO_STATE or pledge
        else (resolve_state(sponsor, path=path, row=number, column="From"),)
    )
    try:
        position = _RESPONSES[response.lower()]
    except KeyError:
        raise ImportFormatError(
            f"unknown response {response!r} (expected Accepted, Noted or Voluntary Pledge)",
            path=str(path),
            row=number,
            column="Response",
        ) from None
    session = session_number(get("Session"))
    if session is None:
        raise ImportFormatError(
            f"not a session number: {get('Session')!r}",
            path=str(path),
            row=number,
            column="Session",
        )
    labels = []
    action = get("Action")
    if action:
        if action not in ("1", "2", "3", "4", "5"):
            raise ImportFormatError(
                f"action category {action!r} is not 1-5",
                path=str(path),
                row=number,
                column="Action",
            )
        labels.append(LabelIn(ACTION_CATEGORIES, action, origin=path.name))
    # None of UPR Info's 54 issue names contains a comma, so the comma splits them safely.
    for issue in get("Issue").split(","):
        if issue.strip():
            labels.append(LabelIn(UPR_INFO_ISSUES, issue.strip(), origin=path.name))
    extra = {"upr_info_response": response} if pledge else {}
    return RecordIn(
        text=text,
        mechanism=Mechanism.UPR,
        body="UPR",
        country=country,
        session=str(session),
        cycle=cycle_for_session(session),
        recommending_states=states,
        position=position,
        labels=tuple(labels),
        source_file=path.name,
        source_row=number,
        extra=extra,
    )
