"""The exporter interface, the plain record exporters take, and the formula-injection guard."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rightstrack.formats.exceptions import InputError

#: A cell starting with one of these is read as a formula by spreadsheet programs
#: (CSV injection, OWASP); `safe_cell` defuses it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Return *value* made safe for a CSV or XLSX cell: text that a spreadsheet would run as a
    formula gets a leading apostrophe (shown as text, never run). Numbers and dates pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unsafe_cell(value: str) -> str:
    """Return a cell written by `safe_cell` as it was (for importers reading our files back)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


class ExportError(InputError):
    """An export that cannot be written: unknown format, missing data. One line, shown as is."""


@dataclass
class ExportRecord:
    """One recommendation as an exporter sees it: stored fields, labels, and the follow-up
    the exporting person may see (empty when they may not)."""

    code: str
    text: str
    mechanism: str
    body: str
    country: str  #: ISO alpha-3 code
    country_name: str = ""
    document_symbol: str = ""
    paragraph: str = ""
    external_id: str = ""
    language: str = "en"
    session: str = ""
    cycle: int | None = None
    year: int | None = None
    date: str = ""  #: YYYY-MM-DD
    recommending_states: tuple[str, ...] = ()  #: UN short names, in order
    position: str = ""
    position_source: str = ""
    heading: str = ""
    concern_paragraph: str = ""
    follow_up: bool = False
    follow_up_due: str = ""
    follow_up_due_date: str = ""
    urgent: bool = False
    #: (taxonomy slug, term as printed), in order.
    labels: tuple[tuple[str, str], ...] = ()
    action_category: int | None = None
    protection_relevant: bool | None = None
    status: str = ""
    status_date: str = ""
    #: "Institution (lead)" for each visible assignment.
    assignments: tuple[str, ...] = ()
    #: "Institution, YYYY-MM-DD: status. note" for each visible assessment.
    assessments: tuple[str, ...] = ()
    #: "title (institution, progress)" for each visible action.
    actions: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    def terms(self, *taxonomies: str) -> list[str]:
        """Return the terms of the given taxonomies, in order, once each."""
        return list(dict.fromkeys(t for slug, t in self.labels if slug in taxonomies))


class Exporter:
    """Write plain data to one file. Subclasses set kind, label, formats and implement write.

    `write(data, path, fmt)` writes *path* whole or not at all (a temporary file is renamed),
    so a failed export never leaves half a file.
    """

    kind: str = ""
    label: str = ""
    formats: tuple[str, ...] = ()

    def check_format(self, fmt: str) -> str:
        fmt = fmt.lower().lstrip(".")
        if fmt not in self.formats:
            raise ExportError(
                f"{self.kind} cannot be written as {fmt or 'a file without extension'}; "
                f"formats: {', '.join(self.formats)}"
            )
        return fmt

    def write(self, data: Any, path: Path, fmt: str = "", **options: Any) -> Path:
        path = Path(path)
        fmt = self.check_format(fmt or path.suffix)
        tmp = path.with_name(f".{path.name}.part")
        try:
            with tmp.open("wb") as fp:
                self.write_to(data, fp, fmt, **options)
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)
        return path

    def write_to(self, data: Any, fp: Any, fmt: str, **options: Any) -> None:
        """Write *data* as *fmt* to the binary file object *fp*."""
        raise NotImplementedError


def format_for(path: str | Path) -> str:
    """Return the format a file name asks for: its extension without the dot, lower case."""
    return Path(path).suffix.lower().lstrip(".")
