"""A generator of bad input files: what an attacker or a broken export would hand rightstrack.

Everything is written here from scratch (nothing copied from ../shared): zip bombs that expand
a DOCX or an XLSX of about 1.4 MB to 1.5 GB, a zip whose directory lies about the sizes,
malformed XML, "billion laughs" and external entities, CSV with an unbalanced quote, damaged
UTF-8, Shift-JIS, a header and no rows, too many columns, a cell of 200,000 characters,
an oversize file, a folder, /dev/zero, a missing file, lying extensions and garbage; and
hostile PDFs: a PDF bomb (a page of 1 MB whose content stream inflates to 1 GiB), a page tree
nested 40 levels deep, one that loops back on itself, an object nested 50,000 levels deep,
a truncated PDF and one of 5,000 pages.

`write_corpus(folder)` writes them all and returns a list of BadFile: the path and a regular
expression the one-line error must match. Used by rightstrack/formats/tests/test_bad_files.py;
run it alone to write the corpus to a folder:

    python -m rightstrack.formats.tests.badfiles /tmp/badfiles
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

#: A header the UPR Info importer recognises; the rows below are well-formed for it.
UPR_INFO_HEADER = "To,To-Rgrp,To-Org,Text,From,From-Rgrp,From-Org,Response,Action,Issue,Session"
UPR_INFO_ROW = (
    'Kenya,Africa,"AU, CW",Establish a national human rights institution {n},Denmark,WEOG,EU,'
    "Accepted,5,NHRI,8"
)

GB = 1024**3
MB = 1024**2


@dataclass
class BadFile:
    name: str
    path: Path
    #: A regular expression the error message must match (besides naming the file).
    reason: str
    #: Whether the file only exceeds the upload limit (the CLI reads it at INPUT_MAX_MB=50).
    oversize: bool = False
    #: Not a file on disk that an upload could carry (a folder, a device, a missing path).
    cli_only: bool = False


# --- zip writing with precomputed deflate streams ------------------------------------------


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _repeated_deflate(head: bytes, chunk: bytes, repeats: int, tail: bytes) -> tuple[bytes, int]:
    """Return (raw deflate stream, CRC-32) of head + chunk * repeats + tail, built cheaply.

    After a full flush a deflate compressor forgets its history, so the compressed form of
    *chunk* can be repeated as is: 1.5 GB of XML costs ~1.5 MB and a CRC pass, no compression.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.compress(tail) + compressor.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    return start + block * repeats + end, crc


def _write_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> None:
    """Write a zip of (name, raw deflate data, CRC-32, declared uncompressed size) members."""
    out = io.BytesIO()
    central = []
    for name, data, crc, size in members:
        offset = out.tell()
        encoded = name.encode()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0
            )
        )
        out.write(encoded)
        out.write(data)
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    for record in central:
        out.write(record)
    size = out.tell() - start
    out.write(
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), size, start, 0)
    )
    path.write_bytes(out.getvalue())


def _plain(name: str, data: bytes) -> tuple[str, bytes, int, int]:
    return name, _deflate(data), zlib.crc32(data), len(data)


def _package(parts: dict[str, bytes], path: Path, replace: dict[str, tuple]) -> None:
    members = [
        replace[name] if name in replace else _plain(name, data) for name, data in parts.items()
    ]
    _write_zip(path, members)


def docx_parts() -> dict[str, bytes]:
    """The parts of a small, valid DOCX made with python-docx."""
    import docx

    document = docx.Document()
    document.add_paragraph("Recommendations")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xlsx_parts() -> dict[str, bytes]:
    """The parts of a small, valid XLSX (a UHRI-like header and a row) made with openpyxl."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Recommendation", "Country", "Body"])
    sheet.append(["Ratify the Convention", "Kenya", "CRPD"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_DOC_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ' + _W + b"><w:body>"
)
_DOC_TAIL = b"</w:body></w:document>"
_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet '
    b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_TAIL = b"</sheetData></worksheet>"


def _bomb(head: bytes, unit: bytes, tail: bytes, target: int) -> tuple[bytes, int, int]:
    chunk = unit * (MB // len(unit))
    repeats = target // len(chunk)
    data, crc = _repeated_deflate(head, chunk, repeats, tail)
    return data, crc, len(head) + len(chunk) * repeats + len(tail)


def write_docx_bomb(path: Path, *, expands_to: int = 1536 * MB, lie: bool = False) -> None:
    """A DOCX of ~1.5 MB whose word/document.xml expands to *expands_to* bytes.

    With *lie* the zip directory declares 20 kB for that part, as a bomb would to pass a
    size check.
    """
    paragraph = (
        b"<w:p><w:r><w:t>Ratify the Convention on the Rights of the Child.</w:t></w:r></w:p>"
    )
    # Whitespace between elements is valid XML and compresses 1000:1 (deflate's best).
    data, crc, size = _bomb(_DOC_HEAD + paragraph, b" ", paragraph + _DOC_TAIL, expands_to)
    declared = 20_000 if lie else size
    _package(docx_parts(), path, {"word/document.xml": ("word/document.xml", data, crc, declared)})


def write_xlsx_bomb(path: Path, *, expands_to: int = 1536 * MB) -> None:
    row = b'<row r="1"><c r="A1" t="inlineStr"><is><t>Recommendation</t></is></c></row>'
    data, crc, size = _bomb(_SHEET_HEAD + row, b" ", _SHEET_TAIL, expands_to)
    name = "xl/worksheets/sheet1.xml"
    _package(xlsx_parts(), path, {name: (name, data, crc, size)})


def write_docx_with_document(path: Path, document_xml: bytes) -> None:
    _package(docx_parts(), path, {"word/document.xml": _plain("word/document.xml", document_xml)})


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>\n<w:document "
    + _W
    + b"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    b"<w:document " + _W + b"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
)
MALFORMED = _DOC_HEAD + b"<w:p><w:r><w:t>Ratify</w:r></w:p>" + _DOC_TAIL


# --- the corpus ---------------------------------------------------------------------------


# --- PDFs ------------------------------------------------------------------------------------


def _pdf(objects: list[bytes], *, root: int = 1) -> bytes:
    """A PDF of objects 1..n (their bodies) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out)


def _stream(data: bytes, *, flate: bool = False, extra: bytes = b"") -> bytes:
    if flate:
        data = zlib.compress(data)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT = b"BT /F1 12 Tf 72 720 Td (CRPD/C/ZZA/CO/1 Concluding observations) Tj ET"


def text_pdf(pages: int = 3) -> bytes:
    """A plain PDF of a few pages of text (whole: the truncated one is cut from it)."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        FONT,
        _stream(TEXT * 20, flate=True),
    ]
    for _ in range(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
        )
    return _pdf(objects)


def pdf_bomb(*, expands_to: int = GB) -> bytes:
    """One page whose content stream is ~1 MB of zlib data inflating to *expands_to* bytes."""
    head = b"BT /F1 12 Tf 72 720 Td "
    chunk = b"(x) Tj " * (MB // 7)
    tail = b"ET"
    raw, _crc = _repeated_deflate(head, chunk, expands_to // len(chunk), tail)
    adler = zlib.adler32(head)
    for _ in range(expands_to // len(chunk)):
        adler = zlib.adler32(chunk, adler)
    adler = zlib.adler32(tail, adler)
    data = b"\x78\xda" + raw + struct.pack(">I", adler)
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
            FONT,
        ]
    )


def pdf_deep_tree(levels: int = 40) -> bytes:
    """A page tree of *levels* nested Pages nodes, one page at the bottom."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(levels):
        number = 2 + level
        objects.append(
            b"<< /Type /Pages /Kids [%d 0 R] /Count 1%s >>"
            % (number + 1, b" /Parent %d 0 R" % (number - 1) if level else b"")
        )
    objects.append(
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R >>"
        % (levels + 1, levels + 3)
    )
    objects.append(_stream(TEXT))
    return _pdf(objects)


def pdf_loop() -> bytes:
    """A page tree whose two Pages nodes are each other's kid (recursive)."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Pages /Kids [2 0 R] /Parent 2 0 R /Count 1 >>",
        ]
    )


def pdf_nested_object(depth: int = 50_000) -> bytes:
    """A Pages node holding an array nested *depth* levels deep (a recursive parser's end)."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Nested %s >>" % (b"[" * depth + b"]" * depth),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        ]
    )


def pdf_many_pages(pages: int = 5000) -> bytes:
    """*pages* pages sharing one small content stream (~1 MB in all)."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    )
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
            FONT,
            _stream(TEXT),
        ]
        + [page] * pages
    )


def _csv(rows: list[str]) -> bytes:
    return ("\n".join([UPR_INFO_HEADER, *rows]) + "\n").encode()


def write_corpus(folder: Path, *, bombs: bool = True) -> list[BadFile]:
    """Write every bad file into *folder*; return them with the reason each must be refused."""
    folder.mkdir(parents=True, exist_ok=True)
    out: list[BadFile] = []

    def add(name: str, data: bytes | None, reason: str, **kw: bool) -> Path:
        path = folder / name
        if data is not None:
            path.write_bytes(data)
        out.append(BadFile(name, path, reason, **kw))
        return path

    if bombs:
        write_docx_bomb(folder / "bomb.docx")
        out.append(BadFile("bomb.docx", folder / "bomb.docx", r"expands .*(zip bomb|limit)"))
        write_xlsx_bomb(folder / "bomb.xlsx")
        out.append(BadFile("bomb.xlsx", folder / "bomb.xlsx", r"expands .*(zip bomb|limit)"))
        write_docx_bomb(folder / "lying-bomb.docx", lie=True)
        out.append(
            BadFile("lying-bomb.docx", folder / "lying-bomb.docx", r"(damaged|malformed|CRC)")
        )
    write_docx_with_document(folder / "malformed.docx", MALFORMED)
    out.append(BadFile("malformed.docx", folder / "malformed.docx", r"malformed XML"))
    write_docx_with_document(folder / "billion-laughs.docx", BILLION_LAUGHS)
    out.append(
        BadFile("billion-laughs.docx", folder / "billion-laughs.docx", r"document type declaration")
    )
    write_docx_with_document(folder / "external-entity.docx", EXTERNAL_ENTITY)
    out.append(
        BadFile("external-entity.docx", folder / "external-entity.docx", r"document type decl")
    )
    rows = [UPR_INFO_ROW.format(n=n) for n in range(12)]
    broken = list(rows)
    # A cell that opens a quote and never closes it: read loosely, it swallows the rows after.
    broken[1] = broken[1].replace("Establish", '"Establish')
    add("unbalanced-quote.csv", _csv(broken), r"quote")
    text = _csv(rows).decode().replace("institution 3", "institution été 3").encode()
    damaged = text.replace("été".encode(), b"\xe9t\xc3\xa9")  # one Latin-1 byte in UTF-8 text
    add("invalid-utf8.csv", damaged, r"not valid UTF-8 .*line 5")
    japanese = _csv(rows).decode().replace("Establish a national", "国内人権機関を設立する")
    add("shift-jis.csv", japanese.encode("shift_jis"), r"does not read as")
    add("header-only.csv", (UPR_INFO_HEADER + "\n").encode(), r"no recommendations")
    add("empty.csv", b"", r"empty file")
    wide = ",".join(f"Column {i}" for i in range(600)) + "\n" + ",".join("x" * 600) + "\n"
    add("too-many-columns.csv", wide.encode(), r"600 columns")
    long_cell = _csv([UPR_INFO_ROW.format(n="x" * 200_000)])
    add("long-cell.csv", long_cell, r"cell of \d+ characters|field larger than")
    add("garbage.csv", bytes(range(256)) * 64, r"binary data")
    add("pdf-named.docx", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", r"not a DOCX")
    add("text-named.xlsx", _csv(rows), r"not a XLSX|not an XLSX|not a readable XLSX")
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    add("zip-named.csv", zipped.getvalue(), r"cannot tell|not a UN document|not a readable")
    cut = io.BytesIO()
    _package(xlsx_parts(), folder / "whole.xlsx", {})
    cut.write((folder / "whole.xlsx").read_bytes()[:1500])
    (folder / "whole.xlsx").unlink()
    add("truncated.xlsx", cut.getvalue(), r"truncated or damaged")
    add("broken.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40, r"not a readable PDF|no text")
    if bombs:
        add("pdf-bomb.pdf", pdf_bomb(), r"expand to more than \d+ MB .*PDF bomb")
    add("pdf-deep-tree.pdf", pdf_deep_tree(), r"page tree nested deeper than \d+ levels")
    add("pdf-loop.pdf", pdf_loop(), r"page tree that loops back on itself")
    add("pdf-nested-object.pdf", pdf_nested_object(), r"nested too deeply|not a readable PDF")
    whole = text_pdf()
    add("pdf-truncated.pdf", whole[: len(whole) * 2 // 5], r"not a readable PDF|truncated|no text")
    add("pdf-5000-pages.pdf", pdf_many_pages(), r"more than 2000 pages")
    # 60 MB of well-formed rows: over UPLOAD_MAX_MB (50) and the CLI's INPUT_MAX_MB=50.
    row = (UPR_INFO_ROW.format(n=0) + "\n").encode()
    oversize = UPR_INFO_HEADER.encode() + b"\n" + row * (60 * MB // len(row) + 1)
    add("oversize.csv", oversize, r"too large", oversize=True)
    (folder / "folder.csv").mkdir(exist_ok=True)
    out.append(BadFile("folder.csv", folder / "folder.csv", r"is a folder", cli_only=True))
    out.append(BadFile("zero", Path("/dev/zero"), r"not a regular file", cli_only=True))
    out.append(BadFile("missing.csv", folder / "missing.csv", r"no such file", cli_only=True))
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "badfiles")
    for bad in write_corpus(target):
        print(f"{bad.path}  ({bad.reason})")
