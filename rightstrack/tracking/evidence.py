"""Evidence files: checked on upload, stored through Django's storage, served as downloads.

A file is accepted when its extension is one of ALLOWED and its first bytes agree with it
(a PDF starts with %PDF, an Office document is a zip or an OLE file, ...), and when it is no
bigger than EVIDENCE_MAX_MB. It is stored under a random name; the name people gave it is
kept for the download. It is never served inline from the app's origin: the download view
sends it as an attachment with `X-Content-Type-Options: nosniff` and a sandboxing
Content-Security-Policy, so a crafted HTML or SVG file cannot run in the app's pages.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from rightstrack.tracking.exceptions import Invalid

_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
#: extension -> (content type, accepted first bytes; None for text checked by decoding)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ZIP,
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ZIP,
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", _ZIP),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    ".doc": ("application/msword", _OLE),
    ".xls": ("application/vnd.ms-excel", _OLE),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".csv": ("text/csv", None),
    ".txt": ("text/plain", None),
}


def max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_MB", 20)) * 1024 * 1024


@dataclass
class CheckedFile:
    name: str
    size: int
    content_type: str
    sha256: str
    upload: Any


def safe_name(name: str) -> str:
    """Return *name* without folders or control characters, at most 150 characters."""
    base = PurePath(str(name).replace("\\", "/")).name
    base = unicodedata.normalize("NFC", base)
    base = re.sub(r"[\x00-\x1f\x7f\"<>|:*?]", "", base).strip(" .")
    if len(base) > 150:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 150 - len(ext) - 1] + dot + ext) if dot else base[:150]
    return base or "evidence"


def check_file(upload: Any, *, field: str = "evidence_files") -> CheckedFile:
    """Check one uploaded file; raise Invalid naming it when it may not be stored."""
    name = safe_name(getattr(upload, "name", "") or "")
    ext = PurePath(name).suffix.lower()
    if ext not in ALLOWED:
        kinds = ", ".join(sorted(e.lstrip(".") for e in ALLOWED))
        raise Invalid(field, f"{name}: files of this type are not accepted (accepted: {kinds})")
    size = int(getattr(upload, "size", 0) or 0)
    limit = max_bytes()
    if size > limit:
        raise Invalid(
            field, f"{name}: {size / 1048576:.1f} MB is over the limit of {limit // 1048576} MB"
        )
    if size == 0:
        raise Invalid(field, f"{name}: the file is empty")
    content_type, magic = ALLOWED[ext]
    digest = hashlib.sha256()
    head = b""
    for chunk in upload.chunks():
        if len(head) < 4096:
            head += chunk[: 4096 - len(head)]
        digest.update(chunk)
    upload.seek(0)
    if magic is not None and not any(head.startswith(m) for m in magic):
        raise Invalid(field, f"{name}: the file's content is not a {ext.lstrip('.')} file")
    if magic is None:
        if b"\x00" in head:
            raise Invalid(field, f"{name}: a text file must not hold binary data")
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at 4096 bytes is fine; anything earlier is not text.
            if exc.start < len(head) - 4:
                try:
                    head.decode("cp1252")
                except UnicodeDecodeError:
                    raise Invalid(field, f"{name}: not a readable text file") from None
    return CheckedFile(name, size, content_type, digest.hexdigest(), upload)


def check_link(url: str, *, field: str = "evidence_links") -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise Invalid(field, f"{url[:200]!r} is not an http or https address")
    if len(url) > 1000:
        raise Invalid(field, "a link may be at most 1,000 characters")
    return url


def store(checked: CheckedFile) -> str:
    """Store the file under a random name; return the storage name."""
    ext = PurePath(checked.name).suffix.lower()
    now = timezone.now()
    path = f"evidence/{now:%Y}/{now:%m}/{uuid.uuid4().hex}{ext}"
    return default_storage.save(path, checked.upload)
