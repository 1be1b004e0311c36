"""Limits on the files rightstrack reads, checked before any reader opens them.

Every entry point that takes a file from a person (`rightstrack import`, `rightstrack extract`,
the file commands' tables, the web and API uploads) calls `check_input_file` first. A file that
breaks a limit is refused with an InputError naming the file and what is wrong, before a
library gets the chance to spend minutes or gigabytes on it:

- the path must be a regular file (not a folder, a device such as /dev/zero, or a pipe), not
  empty, and at most `file_mb` megabytes;
- a zip-based file (DOCX, XLSX) is checked from its zip directory before anything is
  decompressed: total and per-member decompressed size, number of members, compression ratio,
  encryption. Python's zipfile never inflates a member past the size the directory declares
  (it stops and fails the CRC), so a directory that lies cannot get round the check;
- the XML parts of a zip-based file are parsed once, streaming and without building a tree,
  by a parser that refuses a document type declaration (no entities, so no "billion laughs"
  and no external entities), depth or text nodes past lxml's default limits (no huge_tree),
  and malformed XML;
- a text file read without a given encoding must be UTF-8 (with or without a BOM, or
  UTF-16 with a BOM), or read plausibly as Windows-1252 / Mac Roman / Latin-1: UTF-8 with
  damaged bytes or text in another encoding (Shift-JIS, ...) is refused rather than stored as
  mojibake;
- tables: at most `rows` rows, `columns` columns and `cell_chars` characters a cell
  (`bounded_rows`);
- a PDF is opened and its page tree walked (without recursion) before the text is read: at
  most `pdf_pages` pages, a tree at most PDF_MAX_DEPTH levels deep that names no page twice
  (so a tree that loops back on itself is refused, not followed for ever), objects nested
  less deeply than Python's recursion limit, and at most `pdf_unpacked_mb` megabytes of what
  the text is read from once decompressed (page contents, form XObjects, fonts' ToUnicode
  maps, counted on every page that uses them), measured by inflating in bounded steps, so a
  small PDF whose stream inflates to gigabytes is refused after reading the limit, not
  decompressed; a truncated or damaged PDF is refused as such.

The limits have defaults and can be changed with environment variables (docs/configuration.md).
Pure Python: no Django here.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rightstrack.formats.exceptions import ImportFormatError, InputError

MB = 1024 * 1024

#: The zip-based formats rightstrack reads, by extension.
ZIP_SUFFIXES = (".docx", ".xlsx", ".xlsm")
#: Parts of a DOCX are loaded whole by python-docx (a tree in memory), so a DOCX gets a
#: smaller decompressed budget than an XLSX, which openpyxl streams.
DOCX_SUFFIXES = (".docx",)


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InputError(f"{name}={raw!r}: expected a whole number") from None
    if value < 1:
        raise InputError(f"{name}={raw!r}: expected 1 or more")
    return value


@dataclass(frozen=True)
class Limits:
    """The limits in force; `Limits.from_env()` reads the environment variables."""

    #: Largest file read, in MB (uploads are also bounded by UPLOAD_MAX_MB).
    file_mb: int = 200
    #: Largest UN document given to the extractor (PDF, DOCX, TXT, HTML), in MB.
    document_mb: int = 20
    #: Largest decompressed size of all members of an XLSX, in MB.
    unzipped_mb: int = 256
    #: Largest decompressed size of all members of a DOCX, in MB.
    docx_unzipped_mb: int = 64
    #: Most members in one zip-based file.
    zip_members: int = 10_000
    #: Highest compression ratio of a member bigger than 1 MB decompressed.
    zip_ratio: int = 200
    #: Most rows in a table, columns in its header, characters in one cell.
    rows: int = 1_000_000
    columns: int = 500
    cell_chars: int = 100_000
    #: Most pages in a PDF.
    pdf_pages: int = 2_000
    #: Largest decompressed size of what a PDF's text is read from, in MB.
    pdf_unpacked_mb: int = 64

    @classmethod
    def from_env(cls) -> Limits:
        d = cls()
        return cls(
            file_mb=_env_int("INPUT_MAX_MB", d.file_mb),
            document_mb=_env_int("DOCUMENT_MAX_MB", d.document_mb),
            unzipped_mb=_env_int("UNZIPPED_MAX_MB", d.unzipped_mb),
            docx_unzipped_mb=_env_int("DOCX_UNZIPPED_MAX_MB", d.docx_unzipped_mb),
            zip_members=d.zip_members,
            zip_ratio=d.zip_ratio,
            rows=_env_int("TABLE_MAX_ROWS", d.rows),
            columns=_env_int("TABLE_MAX_COLUMNS", d.columns),
            cell_chars=_env_int("CELL_MAX_CHARS", d.cell_chars),
            pdf_pages=_env_int("PDF_MAX_PAGES", d.pdf_pages),
            pdf_unpacked_mb=_env_int("PDF_UNPACKED_MAX_MB", d.pdf_unpacked_mb),
        )


def check_input_file(
    path: str | Path,
    *,
    encoding: str | None = None,
    max_bytes: int | None = None,
    limits: Limits | None = None,
    document: bool = False,
) -> Path:
    """Return *path* as a Path when it is safe to give to a reader; InputError otherwise.

    *max_bytes* lowers the file size limit (an upload's UPLOAD_MAX_MB). *encoding* is the
    encoding a person gave for a text file: then no guessing is checked. *document* applies
    the smaller limit of a UN document given to the extractor.
    """
    limits = limits or Limits.from_env()
    if document:
        max_bytes = min(max_bytes or limits.document_mb * MB, limits.document_mb * MB)
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise _refuse(path, "no such file") from None
    except NotADirectoryError:
        raise _refuse(path, "no such file (a part of the path is not a folder)") from None
    except PermissionError:
        raise _refuse(path, "permission denied") from None
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise _refuse(path, f"cannot read ({reason})") from None
    if stat.S_ISDIR(info.st_mode):
        raise _refuse(path, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(path, "not a regular file (a device, pipe or socket cannot be read)")
    if not os.access(path, os.R_OK):
        raise _refuse(path, "permission denied")
    limit = limits.file_mb * MB
    if max_bytes is not None:
        limit = min(limit, max_bytes)
    if info.st_size > limit:
        raise _refuse(path, f"file too large ({_mb(info.st_size)}; the limit is {_mb(limit)})")
    if info.st_size == 0:
        raise _refuse(path, "empty file")
    key = (str(path.resolve()), info.st_ino, info.st_size, info.st_mtime_ns, limit, limits)
    if key in _CHECKED or (encoding is not None and (*key, "text") in _CHECKED):
        return path  # the same file, unchanged, already passed (import checks, then reads)
    _check_content(path, encoding, limits)
    _CHECKED[(*key, "text") if encoding is not None else key] = True
    while len(_CHECKED) > 64:
        _CHECKED.pop(next(iter(_CHECKED)))
    return path


#: Files that passed, by (path, inode, size, mtime, limits): checked once per change.
_CHECKED: dict[tuple[object, ...], bool] = {}


def _check_content(path: Path, encoding: str | None, limits: Limits) -> None:
    with path.open("rb") as fp:
        head = fp.read(8)
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        check_zip(path, limits=limits)
    elif suffix in ZIP_SUFFIXES:
        raise _refuse(
            path,
            f"not a {suffix[1:].upper()} file (a {suffix[1:].upper()} is a zip archive; "
            "this one is not)",
        )
    elif head.startswith(b"%PDF-") or suffix == ".pdf":
        check_pdf(path, limits=limits)
    elif encoding is None and suffix not in (".xls",):
        check_text_encoding(path.read_bytes(), path)


def _refuse(path: str | Path, message: str) -> ImportFormatError:
    """The error for a refused file: one line, "FILE: what is wrong"."""
    return ImportFormatError(message, path=str(path))


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB" if size < 10 * MB else f"{size // MB} MB"


# --- zip-based files ------------------------------------------------------------------------


def check_zip(path: Path, *, limits: Limits | None = None) -> None:
    """Refuse a zip whose directory promises too much, or whose XML is unsafe or malformed."""
    limits = limits or Limits.from_env()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        what = {".docx": "DOCX document", ".xlsx": "XLSX workbook", ".xlsm": "XLSX workbook"}
        raise _refuse(
            path,
            f"not a readable {what.get(path.suffix.lower(), 'zip file')} "
            f"(truncated or damaged zip archive: {exc})",
        ) from None
    with archive:
        members = archive.infolist()
        if len(members) > limits.zip_members:
            raise _refuse(
                path, f"{len(members)} parts in the archive; the limit is {limits.zip_members}"
            )
        budget_mb = (
            limits.docx_unzipped_mb
            if path.suffix.lower() in DOCX_SUFFIXES or _has(members, "word/document.xml")
            else limits.unzipped_mb
        )
        total = 0
        for member in members:
            if member.flag_bits & 0x1:
                raise _refuse(path, "encrypted (password-protected) file; save it unprotected")
            total += member.file_size
            if member.file_size > MB and member.file_size > limits.zip_ratio * max(
                member.compress_size, 1
            ):
                ratio = member.file_size // max(member.compress_size, 1)
                raise _refuse(
                    path,
                    f"part {member.filename} expands {ratio}:1 to "
                    f"{_mb(member.file_size)} (a zip bomb?); the limit is {limits.zip_ratio}:1",
                )
        if total > budget_mb * MB:
            raise _refuse(
                path, f"expands to {_mb(total)} when unzipped; the limit is {budget_mb} MB"
            )
        for member in members:
            name = member.filename.lower()
            if name.endswith((".xml", ".rels", ".vml")):
                _check_xml_member(archive, member, path)


def _has(members: list[zipfile.ZipInfo], name: str) -> bool:
    return any(m.filename == name for m in members)


class _NoTree:
    """An lxml parser target that keeps nothing: a streaming well-formedness check."""

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        pass

    def end(self, tag: str) -> None:
        pass

    def data(self, data: str) -> None:
        pass

    def close(self) -> None:
        return None


_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _check_xml_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, path: Path) -> None:
    from lxml import etree

    parser = etree.XMLParser(
        target=_NoTree(),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    try:
        with archive.open(member) as fp:
            first = True
            while block := fp.read(1 << 20):
                if first and _DOCTYPE.search(block[:65536]):
                    raise _refuse(
                        path,
                        f"part {member.filename}: XML with a document type declaration "
                        "(entities are not allowed in DOCX or XLSX files)",
                    )
                first = False
                parser.feed(block)
            parser.close()
    except InputError:
        raise
    except etree.XMLSyntaxError as exc:
        message = str(exc.msg if hasattr(exc, "msg") else exc).splitlines()[0]
        raise _refuse(path, f"part {member.filename}: malformed XML ({message})") from None
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        # Includes a member that inflates past its declared size ("Bad CRC-32").
        raise _refuse(path, f"part {member.filename}: damaged ({exc})") from None
    except Exception as exc:  # zlib.error and lxml's other errors on a broken part
        raise _refuse(
            path, f"part {member.filename}: unreadable ({exc.__class__.__name__})"
        ) from None


# --- PDF ------------------------------------------------------------------------------------

#: Deepest page tree (real ones have 2 to 4 levels).
PDF_MAX_DEPTH = 32
#: Inflated in steps of this many bytes: a stream is never decompressed whole to be measured.
_STEP = 1 << 20


def check_pdf(path: Path, *, limits: Limits | None = None) -> None:
    """Refuse a PDF with too many pages, a hostile page tree, content that inflates past the
    limit, or that is truncated or damaged (see the module's docstring)."""
    import logging

    import pypdf

    limits = limits or Limits.from_env()
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(str(path), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _refuse(path, "encrypted (password-protected) PDF; save it unprotected")
        root = reader.trailer["/Root"].get_object()
        _PdfWalk(path, limits).pages(root["/Pages"])
    except InputError:
        raise
    except RecursionError:
        raise _refuse(path, "a PDF whose objects are nested too deeply (a hostile PDF?)") from None
    except MemoryError:
        raise _refuse(path, "a PDF too big to read") from None
    except Exception as exc:  # pypdf's errors on a damaged file are of many classes
        raise _refuse(
            path, f"not a readable PDF (truncated or damaged: {exc.__class__.__name__})"
        ) from None


class _PdfWalk:
    """The page tree walked with a stack; what the text is read from measured as it goes."""

    def __init__(self, path: Path, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.budget = limits.pdf_unpacked_mb * MB
        self.used = 0
        self.sizes: dict[object, int] = {}  # decompressed size of each stream, measured once

    def pages(self, top: object) -> None:
        from pypdf.generic import ArrayObject, DictionaryObject

        seen: set[object] = set()
        stack: list[tuple[object, int, object]] = [(top, 0, None)]
        count = 0
        while stack:
            node, depth, resources = stack.pop()
            key = _key(node)
            if key in seen:
                raise _refuse(self.path, "a PDF page tree that loops back on itself")
            seen.add(key)
            if depth > PDF_MAX_DEPTH:
                raise _refuse(
                    self.path, f"a PDF page tree nested deeper than {PDF_MAX_DEPTH} levels"
                )
            obj = node.get_object() if hasattr(node, "get_object") else node
            if not isinstance(obj, DictionaryObject):
                raise _refuse(self.path, "not a readable PDF (damaged page tree)")
            resources = obj.get("/Resources", resources)
            kids = obj.get("/Kids")
            if kids is not None:
                kids = kids.get_object()
                if not isinstance(kids, ArrayObject):
                    raise _refuse(self.path, "not a readable PDF (damaged page tree)")
                if count + len(stack) + len(kids) > self.limits.pdf_pages * 2:
                    self._too_many(count + len(kids))
                stack.extend((kid, depth + 1, resources) for kid in reversed(kids))
                continue
            count += 1
            if count > self.limits.pdf_pages:
                self._too_many(count)
            self.page(obj, resources)

    def _too_many(self, count: int) -> None:
        limit = self.limits.pdf_pages
        raise _refuse(
            self.path, f"more than {limit} pages ({count}+); the limit is {limit} (PDF_MAX_PAGES)"
        )

    def page(self, page: object, resources: object) -> None:
        contents = page.get("/Contents")  # type: ignore[attr-defined]
        contents = contents.get_object() if contents is not None else None
        streams = list(contents) if isinstance(contents, list) else [contents]
        for stream in streams:
            if stream is not None:
                self.count(stream)
        self.resources(resources, set())

    def resources(self, resources: object, forms: set[object]) -> None:
        from pypdf.generic import DictionaryObject

        resources = resources.get_object() if resources is not None else None
        if not isinstance(resources, DictionaryObject):
            return
        fonts = resources.get("/Font")
        fonts = fonts.get_object() if fonts is not None else None
        if isinstance(fonts, DictionaryObject):
            for font in fonts.values():
                font = font.get_object()
                if isinstance(font, DictionaryObject) and "/ToUnicode" in font:
                    self.count(font.raw_get("/ToUnicode"))
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else None
        if isinstance(xobjects, DictionaryObject):
            for ref in xobjects.values():
                form = ref.get_object()
                if not isinstance(form, DictionaryObject) or form.get("/Subtype") != "/Form":
                    continue
                key = _key(ref)
                if key in forms:
                    continue  # a form drawing itself: pypdf stops there too
                forms.add(key)
                if len(forms) > 10_000:
                    raise _refuse(self.path, "a PDF with more than 10000 forms on one page")
                self.count(ref)
                self.resources(form.get("/Resources"), forms)

    def count(self, ref: object) -> None:
        key = _key(ref)
        size = self.sizes.get(key)
        if size is None:
            size = self.sizes[key] = _inflated_size(ref, self.budget - self.used + 1)
        self.used += size
        if self.used > self.budget:
            raise _refuse(
                self.path,
                f"a PDF whose pages expand to more than {self.limits.pdf_unpacked_mb} MB "
                f"when decompressed (a PDF bomb?); the limit is {self.limits.pdf_unpacked_mb} "
                "MB (PDF_UNPACKED_MAX_MB)",
            )


def _key(obj: object) -> object:
    """An indirect object by its number; a direct one by identity."""
    idnum = getattr(obj, "idnum", None)
    return ("ref", idnum, getattr(obj, "generation", 0)) if idnum is not None else id(obj)


def _inflated_size(ref: object, most: int) -> int:
    """The decompressed size of a stream, counting at most *most* bytes (then stopping)."""
    import zlib

    from pypdf.generic import StreamObject

    stream = ref.get_object() if hasattr(ref, "get_object") else ref
    if not isinstance(stream, StreamObject):
        return 0
    filters = stream.get("/Filter")
    filters = filters.get_object() if filters is not None else None
    names = [str(f) for f in filters] if isinstance(filters, list) else [str(filters or "")]
    raw = stream._data
    if names in (["/FlateDecode"], ["/Fl"]):
        inflater = zlib.decompressobj()
        size = 0
        data = raw
        while data and size < most:
            try:
                size += len(inflater.decompress(data, _STEP))
            except zlib.error:
                return size  # pypdf reads what it can of a damaged stream
            data = inflater.unconsumed_tail
        return size
    if names == [""]:
        return len(raw)
    # Other filters (LZW, ASCII85, ...): pypdf decodes them within its own bounds.
    return len(stream.get_data())


# --- text -------------------------------------------------------------------------------------

#: A well-formed UTF-8 multi-byte sequence (2, 3 or 4 bytes).
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_HIGH = re.compile(rb"[\x80-\xff]")
#: Characters that a wrong legacy reading of another encoding makes (C1 controls, rarely
#: used symbols), and runs of non-ASCII letters longer than Western words have.
_UNLIKELY = re.compile(r"[\x80-\x9f\u0192\u02c6\u02dc\u2030\u2039\u203a\ufffd¤¦¨¯´¸¹²³¼½¾×÷]")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{3,}")


def check_text_encoding(data: bytes, path: str | Path) -> None:
    """Refuse text that is neither UTF-8 nor plausibly one of the legacy Western encodings.

    UTF-8 with some damaged bytes and text in an East Asian or other encoding would otherwise
    be read as Windows-1252 or Mac Roman and stored as mojibake.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return  # decoded, and checked, by the reader
    if b"\x00" in data[:65536]:
        raise _refuse(path, "binary data, not a text table or document")
    body = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    try:
        body.decode("utf-8")
        return
    except UnicodeDecodeError as exc:
        first_bad = exc.start + (len(data) - len(body))
    line = data[:first_bad].count(b"\n") + 1
    high = len(_HIGH.findall(body))
    in_sequences = sum(len(m) for m in _UTF8_SEQUENCE.findall(body))
    if data.startswith(codecs.BOM_UTF8) or in_sequences * 2 >= high:
        raise _refuse(
            path,
            f"not valid UTF-8 text near line {line} (byte {first_bad}): the file is "
            "UTF-8 with damaged bytes; save it again as UTF-8, or give the encoding",
        )
    if not _reads_as_legacy_text(body):
        raise _refuse(
            path,
            f"not UTF-8, and does not read as Windows-1252, Mac Roman or Latin-1 text "
            f"either (first non-UTF-8 byte near line {line}); save it as UTF-8, or give the "
            "encoding (e.g. --encoding shift_jis)",
        )


def _reads_as_legacy_text(data: bytes) -> bool:
    """True when some legacy Western reading of *data* looks like words, not noise."""
    for name in ("cp1252", "mac_roman"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        non_ascii = sum(1 for c in text if c >= "\x80")
        if not non_ascii:
            return True
        unlikely = len(_UNLIKELY.findall(text))
        in_runs = sum(len(m) for m in _NON_ASCII_RUN.findall(text))
        letters = sum(1 for c in text if c.isalpha())
        if unlikely * 20 <= non_ascii and in_runs * 4 <= non_ascii and non_ascii * 2 <= letters:
            return True
    return False


# --- tables -----------------------------------------------------------------------------------


def check_columns(columns: list[str], path: str | Path, *, limits: Limits | None = None) -> None:
    limits = limits or Limits.from_env()
    if len(columns) > limits.columns:
        raise _refuse(path, f"{len(columns)} columns in the header; the limit is {limits.columns}")
    for name in columns:
        if len(name) > 1000:
            raise _refuse(path, f"a column name of {len(name)} characters (not a header?)")


def bounded_rows(
    rows: Iterator[tuple[int, list[str]]],
    path: str | Path,
    columns: list[str],
    *,
    limits: Limits | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """Yield *rows* (row number, cells), refusing too many rows or a cell that is too long."""
    limits = limits or Limits.from_env()
    for count, (number, cells) in enumerate(rows, start=1):
        if count > limits.rows:
            raise ImportFormatError(
                f"more than {limits.rows} rows; the limit is {limits.rows} (TABLE_MAX_ROWS)",
                path=str(path),
                row=number,
            )
        for index, cell in enumerate(cells):
            if len(cell) > limits.cell_chars:
                column = columns[index] if index < len(columns) else str(index + 1)
                raise ImportFormatError(
                    f"a cell of {len(cell)} characters; the limit is {limits.cell_chars} "
                    "(CELL_MAX_CHARS; an unbalanced quote can make one cell of many rows)",
                    path=str(path),
                    row=number,
                    column=column,
                )
        yield number, cells


def public_message(message: str, path: str | Path, name: str) -> str:
    """Return *message* with the temporary *path* of an upload (and its folder) named *name*."""
    path = Path(path)
    message = message.replace(str(path), name)
    return message.replace(str(path.parent), "(upload)")
