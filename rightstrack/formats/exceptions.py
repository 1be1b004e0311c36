"""Errors raised on bad input. Each names the file, row or column so a person can fix it."""

from __future__ import annotations


class InputError(Exception):
    """A file or argument that cannot be used; the message is one line, shown as is."""


class ImportFormatError(InputError):
    """A file that an importer cannot read: names the file, and the row and column when known."""

    def __init__(
        self, message: str, *, path: str = "", row: int | None = None, column: str = ""
    ) -> None:
        self.path, self.row, self.column, self.reason = path, row, column, message
        where = [
            p
            for p in (
                path,
                f"row {row}" if row is not None else "",
                f"column {column!r}" if column else "",
            )
            if p
        ]
        super().__init__(f"{', '.join(where)}: {message}" if where else message)

    def with_path(self, path: str) -> ImportFormatError:
        """Return the same error, naming *path* when it did not already."""
        if self.path:
            return self
        return ImportFormatError(self.reason, path=path, row=self.row, column=self.column)


class UnrecognisedDocument(InputError):
    """A document whose structure matches none of the known UN document layouts."""


class DependencyMissing(InputError):
    """An optional extra is not installed; the message names the extra to install."""
