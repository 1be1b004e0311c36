"""Import a UN document itself (concluding observations, UPR report, special procedures report).

`rightstrack import report.pdf` reads it with the same extractors as `rightstrack extract`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from rightstrack.formats.exceptions import ImportFormatError, InputError
from rightstrack.formats.importers.base import Importer
from rightstrack.formats.records import RecordIn

_UN_MARKS = re.compile(
    rb"Concluding observations|Universal Periodic Review|Special Rapporteur|Independent Expert|"
    rb"Observations finales|Observaciones finales|Distr\.\s*:?\s*General|CRPD/C/|CCPR/C/|"
    rb"CEDAW/C/|A/HRC/|CERD/C/|CRC/C/|E/C\.12/",
    re.IGNORECASE,
)


class DocumentImporter(Importer):
    kind = "un-document"
    label = "UN document: concluding observations, UPR report, special procedures report"
    extensions = (".pdf", ".docx", ".txt", ".text", ".html", ".htm")

    def sniff(self, path: Path) -> int:
        suffix = path.suffix.lower()
        if suffix not in self.extensions:
            return 0
        if suffix == ".pdf":
            return 8
        if suffix == ".docx":
            from rightstrack.formats.extract import is_matrix

            return 0 if is_matrix(path) else 6
        try:
            with path.open("rb") as fp:
                head = fp.read(20000)
        except OSError:
            return 0
        return 7 if _UN_MARKS.search(head) else 0

    def read(self, path: Path, *, encoding: str | None = None) -> Iterator[RecordIn]:
        from rightstrack.formats.extract import extract_document

        try:
            records = extract_document(path)
        except ImportFormatError:
            raise
        except InputError as exc:
            raise ImportFormatError(str(exc).removeprefix(f"{path}: "), path=str(path)) from exc
        yield from records
