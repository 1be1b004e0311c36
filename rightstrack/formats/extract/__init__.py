"""Find the recommendations in UN documents: concluding observations, UPR reports, special
procedures reports, OHCHR matrices. Pure Python; heavy libraries are imported when needed.

`extract_document(path)` returns RecordIn records; `records_to_rows` turns them into the rows
of `rightstrack extract` (docs/extraction.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rightstrack.engine import countries
from rightstrack.formats.exceptions import UnrecognisedDocument
from rightstrack.formats.records import (
    EXTRACT_COLUMNS,
    GROUPS_OF_PERSONS,
    SDG_GOALS,
    SDG_TARGETS,
    THEMES,
    RecordIn,
)

#: The contract's columns, then ours.
COLUMNS = [
    *EXTRACT_COLUMNS,
    "heading",
    "concern_paragraph",
    "source_file",
    "source_page",
    "next_report_due",
    "document_date",
    "urgent",
]

KINDS = ("concluding-observations", "upr-report", "special-procedures", "ohchr-matrix")


def extract_document(path: str | Path, *, positions: str | Path | None = None) -> list[RecordIn]:
    """Return the recommendations in the UN document at *path*.

    *positions* is a UPR report's addendum (Add.1) with the State's positions.
    Raises InputError (UnrecognisedDocument when the layout is not one we know).
    """
    from rightstrack.formats.safety import check_input_file

    path = check_input_file(path, document=True)
    if positions is not None:
        positions = check_input_file(positions, document=True)
    kind, source = detect(path)
    if positions is not None and kind != "upr-report":
        raise UnrecognisedDocument(
            f"{positions}: --positions applies to a UPR Working Group report; {path} is {kind}"
        )
    if kind == "ohchr-matrix":
        from rightstrack.formats.exceptions import ImportFormatError
        from rightstrack.formats.extract.matrix import read_matrix
        from rightstrack.formats.importers.ohchr_matrix import OhchrMatrixImporter

        try:
            return list(OhchrMatrixImporter().read(path))
        except ImportFormatError as exc:
            # An older or one-off layout: read it by its column headers; when that fails too,
            # the importer's message (row and column named) is the one to show.
            try:
                return read_matrix(path)
            except ImportFormatError:
                raise exc from None
    assert source is not None
    if kind == "concluding-observations":
        from rightstrack.formats.extract.concluding_observations import (
            extract_concluding_observations,
        )

        return extract_concluding_observations(source)
    if kind == "upr-report":
        from rightstrack.formats.extract.text import read_document
        from rightstrack.formats.extract.upr_report import extract_upr_report

        addendum = read_document(positions) if positions is not None else None
        return extract_upr_report(source, addendum)
    from rightstrack.formats.extract.special_procedures import extract_special_procedures

    return extract_special_procedures(source)


def detect(path: Path):  # type: ignore[no-untyped-def]
    """Return (kind, SourceText or None) for the document at *path*.

    UnrecognisedDocument when it is none of the layouts we know.
    """
    from rightstrack.formats.extract.concluding_observations import CO_SYMBOL
    from rightstrack.formats.extract.special_procedures import is_special_procedures_report
    from rightstrack.formats.extract.text import read_document, squash_symbol
    from rightstrack.formats.extract.upr_report import is_upr_report

    if is_matrix(path):
        return "ohchr-matrix", None
    source = read_document(path)
    head = squash_symbol("\n".join(source.pages[:2]))[:8000]
    if CO_SYMBOL.search(head) or _says(
        head, "Concluding observations", "Observations finales", "Observaciones finales"
    ):
        return "concluding-observations", source
    if is_upr_report(source):
        return "upr-report", source
    if is_special_procedures_report(source):
        return "special-procedures", source
    raise UnrecognisedDocument(
        f"{path}: not a UN document layout we know; expected treaty body concluding "
        "observations (symbol like CRPD/C/IRQ/CO/1), a UPR Working Group report (section "
        "'Conclusions and/or recommendations'), a special procedures report ('Report of the "
        "Special Rapporteur on ...') or an OHCHR matrix (DOCX)"
    )


def _says(text: str, *phrases: str) -> bool:
    import re

    flat = re.sub(r"\s+", " ", text).lower()
    return any(p.lower() in flat for p in phrases)


def is_matrix(path: Path) -> bool:
    """True for a DOCX with a table whose header names 'Recommendation' and 'Position'.

    The header may be a row or two below a title row (older layouts), and the position column
    may say "Response" or "Status" (formats/extract/matrix.py).
    """
    if path.suffix.lower() != ".docx":
        return False
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("word/document.xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError):
        return False
    import re

    from rightstrack.formats.extract.matrix import find_header

    for table in re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.DOTALL)[:3]:
        rows = []
        for row in re.findall(r"<w:tr[ >].*?</w:tr>", table, re.DOTALL)[:4]:
            cells = re.findall(r"<w:tc>.*?</w:tc>", row, re.DOTALL)
            rows.append([re.sub(r"<[^>]+>", "", cell) for cell in cells])
        if find_header(rows) is not None:
            return True
    return False


def _state_name(code: str) -> str:
    country = countries.by_code(code) if code else None
    return country.name if country else code


def records_to_rows(records: Iterable[RecordIn]) -> list[dict[str, object]]:
    """Return one output row per record: States as UN short names, lists joined later."""
    rows = []
    for r in records:
        labels = {THEMES: [], GROUPS_OF_PERSONS: [], SDG_TARGETS: []}  # type: dict[str, list[str]]
        for label in r.labels:
            taxonomy = THEMES if label.taxonomy.startswith("uhri_themes") else label.taxonomy
            # Matrices label SDG goals ("16"), not targets: the column carries what they give.
            taxonomy = SDG_TARGETS if taxonomy == SDG_GOALS else taxonomy
            if taxonomy in labels and label.term not in labels[taxonomy]:
                labels[taxonomy].append(label.term)
        rows.append(
            {
                "document_symbol": r.document_symbol,
                "mechanism": r.mechanism,
                "body": r.body,
                "country": _state_name(r.country),
                "paragraph": r.paragraph,
                "text": r.text,
                "recommending_states": [_state_name(c) for c in r.recommending_states],
                "position": r.position,
                "themes": labels[THEMES],
                "affected_persons": labels[GROUPS_OF_PERSONS],
                "sdg_targets": labels[SDG_TARGETS],
                "follow_up": bool(r.follow_up),
                "follow_up_due": r.follow_up_due,
                "heading": r.heading,
                "concern_paragraph": r.concern_paragraph,
                "source_file": r.source_file,
                "source_page": r.source_page if r.source_page is not None else "",
                "next_report_due": r.extra.get("next_report_due", ""),
                "document_date": r.document_date.isoformat() if r.document_date else "",
                "urgent": r.extra.get("urgent") == "true",
            }
        )
    return rows
