"""Uploaded files, for the web page and the API alike: size limit, temporary folder, checks,
and error messages that never show the server's temporary paths.

An upload is written to a folder of its own under FILE_UPLOAD_TEMP_DIR (the system's
temporary folder when unset), named `rightstrack-upload-*`, and removed when the import ends,
whatever the ending. Folders left by a process that was killed are removed by the next
upload once they are older than STALE_AFTER.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings

from rightstrack.formats.exceptions import ImportFormatError, InputError
from rightstrack.formats.safety import MB, check_input_file, public_message

PREFIX = "rightstrack-upload-"
#: A folder this old was left by a process that died: no import takes a day.
STALE_AFTER = 24 * 3600


def max_bytes() -> int:
    """The largest upload accepted (UPLOAD_MAX_MB)."""
    return int(settings.UPLOAD_MAX_MB) * MB


def temp_root() -> Path:
    return Path(getattr(settings, "FILE_UPLOAD_TEMP_DIR", None) or tempfile.gettempdir())


def too_large(name: str, size: int) -> str:
    """The message for an upload over UPLOAD_MAX_MB, or "" when it is not."""
    limit = max_bytes()
    if size <= limit:
        return ""
    return (
        f"{Path(name).name}: file too large ({size / MB:.1f} MB; the limit is "
        f"{settings.UPLOAD_MAX_MB} MB, UPLOAD_MAX_MB)"
    )


def sweep_stale(now: float | None = None) -> int:
    """Remove upload folders older than STALE_AFTER (left by a killed process); return how many."""
    now = time.time() if now is None else now
    removed = 0
    with contextlib.suppress(OSError):
        for folder in temp_root().glob(PREFIX + "*"):
            with contextlib.suppress(OSError):
                if folder.is_dir() and now - folder.stat().st_mtime > STALE_AFTER:
                    shutil.rmtree(folder, ignore_errors=True)
                    removed += 1
    return removed


def save(upload: Any) -> Path:
    """Write *upload* (a Django UploadedFile) into a new folder of its own; return its path."""
    sweep_stale()
    root = temp_root()
    root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=root))
    # Keep the original extension: importers and the kind guesser go by it.
    path = folder / (Path(upload.name or "upload").name or "upload")
    try:
        with path.open("wb") as fp:
            for chunk in upload.chunks():
                fp.write(chunk)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return path


def remove(path: Path) -> None:
    """Remove the folder of a saved upload."""
    if path.parent.name.startswith(PREFIX):
        shutil.rmtree(path.parent, ignore_errors=True)


def check(path: Path, name: str) -> None:
    """Refuse a saved upload that breaks a limit (formats.safety), naming it by *name*."""
    try:
        check_input_file(path, max_bytes=max_bytes())
    except InputError as exc:
        raise public_error(exc, path, name) from None


def public_error(exc: InputError, path: Path, name: str) -> InputError:
    """The same error, naming the upload *name* instead of its temporary path."""
    return ImportFormatError(public_message(str(exc), path, Path(name).name))


@contextlib.contextmanager
def saved(upload: Any) -> Iterator[Path]:
    """Save *upload*, check it, yield its path, and remove it afterwards, whatever happens.

    InputError (naming the upload, never the temporary path) for a file over a limit.
    """
    name = upload.name or "upload"
    message = too_large(name, upload.size or 0)
    if message:
        raise ImportFormatError(message)
    path = save(upload)
    try:
        check(path, name)
        try:
            yield path
        except InputError as exc:
            raise public_error(exc, path, name) from None
    finally:
        remove(path)
