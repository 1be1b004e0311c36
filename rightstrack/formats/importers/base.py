"""The importer interface."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from rightstrack.formats.records import RecordIn


class Importer:
    """Read one kind of file into RecordIn records.

    Subclasses set `kind`, `label` and `extensions`, and implement `read`. An importer never
    touches the database. On bad input it raises ImportFormatError naming the file, row and
    column; the caller writes nothing of a file that fails.
    """

    kind: str = ""
    label: str = ""
    extensions: tuple[str, ...] = ()

    def sniff(self, path: Path) -> int:
        """Return how sure this importer is that it reads *path*: 0 no, 1 by extension, up to 10."""
        return 1 if path.suffix.lower() in self.extensions else 0

    def read(self, path: Path, *, encoding: str | None = None) -> Iterator[RecordIn]:
        """Yield the recommendations in *path*, merged so that each appears once."""
        raise NotImplementedError
