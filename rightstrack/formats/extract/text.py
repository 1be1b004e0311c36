"""Read a document's text page by page, and clean what PDFs do to it.

PDF (pypdf, fast: one `extract_text` per page), DOCX (python-docx), HTML (the standard
library's parser) and TXT (form feeds split pages, as pdftotext writes them). Cleaning removes
page headers and footers (document symbol, "GE.19-12345", page numbers), footnotes at the foot
of a page and footnote numbers glued to words, rejoins words that the PDF split ("form ulated",
hyphenation at line ends) using the document's own vocabulary, and joins symbols broken across
lines ("CRPD\\n/C/CAN/CO/2-3").
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from rightstrack.formats.exceptions import InputError

SUFFIXES = (".pdf", ".docx", ".txt", ".text", ".html", ".htm")


@dataclass
class Line:
    text: str
    page: int  #: 1-based


@dataclass
class SourceText:
    """A document's raw text, one string per page, and its cleaned lines."""

    path: Path
    pages: list[str]
    lines: list[Line] = field(default_factory=list)
    #: DOCX tables, as rows of cell texts (used to recognise OHCHR matrices).
    tables: list[list[list[str]]] = field(default_factory=list)

    @property
    def first_page(self) -> str:
        return self.pages[0] if self.pages else ""

    @property
    def raw(self) -> str:
        return "\n".join(self.pages)


def read_document(path: str | Path) -> SourceText:
    """Return the text of the PDF, DOCX, HTML or TXT file at *path*, page by page.

    InputError naming the file when it is missing, empty, not a document, or has no text.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if not data.strip():
        raise InputError(f"{path}: empty file")
    if suffix == ".pdf" or data[:5] == b"%PDF-":
        pages = _pdf_pages(path)
        tables: list[list[list[str]]] = []
    elif suffix == ".docx" or data[:2] == b"PK":
        pages, tables = _docx_pages(path)
    elif suffix in (".html", ".htm") or data.lstrip()[:1] == b"<":
        pages, tables = [_html_text(_decode(data, path))], []
    else:
        pages, tables = [_unflatten(p) for p in _decode(data, path).split("\f")], []
    if not any(p.strip() for p in pages):
        raise InputError(f"{path}: no text in this document (a scanned PDF needs OCR first)")
    source = SourceText(path, pages, tables=tables)
    source.lines = clean_lines(pages)
    return source


def _unflatten(text: str) -> str:
    """Give back line breaks to text saved as one long line (some pdftotext outputs).

    Without them no paragraph or recommendation number can be told from a number in a
    sentence, so a break goes before each "12. Xxx", "118.5 Xxx" and "II. Xxx" that follows
    the end of a sentence or a recommending State, and after a section heading run into its
    first paragraph ("Conclusions and/or recommendations 86. In the course ..."). A footnote
    the page break left in the text ("...; ** The conclusions ... not been edited. 131.10")
    goes on lines of its own, to be dropped with the other footnotes.
    """
    # Ordinary text breaks a line every 100 characters or so; one break per 1000 is not that.
    if len(text) < 500 or text.count("\n") * 1000 > len(text):
        return text
    text = re.sub(r"(?<=[.;:)])\s+(\*{1,3})\s+(?=[A-Z])", r"\n\1\n", text)
    text = re.sub(
        r"(?<=Conclusions and/or recommendations)(\*{0,3})\s+(?=\d{1,3}\.\s)",
        r"\1\n",
        text,
        flags=re.I,
    )
    return re.sub(
        r"(?<=[.;:)])\s+(?=(?:\d{1,3}(?:\.\d{1,3})?\.?|[IVX]{1,5}\.)\s*[A-Z])", "\n", text
    )


def _decode(data: bytes, path: Path) -> str:
    if b"\x00" in data[:4096]:
        raise InputError(f"{path}: binary data, not a text document")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _decode_legacy(data)
    return text.replace("\r\n", "\n").replace("\r", "\n")


# What a wrong legacy decoding makes of typographic quotes: Mac Roman's "’" (0xD5) and "“"
# (0xD2) read "Õ" and "Ò" in Windows-1252, Windows-1252's "“" (0x93) reads "ì" in Mac Roman.
# None of these occur in the right decoding (a Spanish "país" must not count against it).
_WRONG_GUESS = re.compile(r"[a-z]Õ[a-z]|\sÒ[A-Za-z]|\sì[A-Za-z]")


def _decode_legacy(data: bytes) -> str:
    """Decode text that is not UTF-8: Windows-1252 or Mac Roman (old pdftotext outputs)."""
    best = ""
    best_errors = -1
    for encoding in ("cp1252", "mac_roman", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        errors = len(_WRONG_GUESS.findall(text))
        if best_errors < 0 or errors < best_errors:
            best, best_errors = text, errors
    return best


def _pdf_pages(path: Path) -> list[str]:
    import logging

    import pypdf
    from pypdf.errors import PdfReadError

    # pypdf logs warnings about harmless PDF oddities; the command's output is the CSV.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted:
            reader.decrypt("")
        return [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AttributeError) as exc:
        raise InputError(f"{path}: not a readable PDF ({exc.__class__.__name__}: {exc})") from exc


def _docx_pages(path: Path) -> tuple[list[str], list[list[list[str]]]]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(
            f"{path}: not a readable DOCX document ({exc.__class__.__name__})"
        ) from exc
    lines = [p.text for p in document.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    for table in tables:
        for row in table:
            lines.extend(cell for i, cell in enumerate(row) if i == 0 or cell != row[i - 1])
    return ["\n".join(lines)], tables


_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "ol",
    "ul",
    "td",
    "th",
}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def _html_text(html: str) -> str:
    parser = _TextParser()
    parser.feed(html)
    text = "".join(parser.parts)
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


# --- cleaning -------------------------------------------------------------------------------

SYMBOL = re.compile(
    r"\b(?:[A-Z]{1,6}(?:\.\d+)?\s?/\s?){1,2}(?:[A-Z0-9.\-]+\s?/\s?){1,6}[A-Z0-9.\-]*[A-Z0-9]",
)
_GE_LINE = re.compile(r"^\s*(?:\d{1,3}\s+)?GE\.\s?\d{2}\s?-\s?\d{3,6}.*$")
_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
_HEADER_SYMBOL = re.compile(
    r"^\s*(?:\d{1,3}\s+)?([A-Z][A-Za-z0-9.]*(?:\s?/\s?[A-Za-z0-9.\-]+)+)\s*(?:\d{1,3})?\s*$"
)
_FOOTNOTE_START = re.compile(r"^\s*(?:\*{1,3}|\d{1,3}(?!\.\d))\s+\S")
_PARA_START = re.compile(
    r"^\s*(?:\d{1,3}(?:\.\d{1,3})?\.?\s|\([a-z]{1,4}\)\s|[IVX]{1,5}\.\s|[A-H]\.\s)"
)
_MASTHEAD_END = re.compile(
    r"^\s*(?:Original|Langue originale)\s*:|"
    r"^\s*(?:English|French|Spanish|Arabic|Chinese|Russian)(?:,| and| only)"
)


def _is_header_line(text: str) -> bool:
    if _PAGE_NUMBER.match(text) or _GE_LINE.match(text):
        return True
    m = _HEADER_SYMBOL.match(text)
    return bool(m and "/" in m.group(1) and re.search(r"/\s?(?:\d|[A-Z]{2,})", m.group(1)))


def _drop_footnotes(lines: list[str]) -> list[str]:
    """Drop the footnote block at the foot of a page: after a blank line, lines like ' 12 Ibid.'."""
    for i, text in enumerate(lines):
        if text.strip() or i == 0:
            continue
        rest = [x for x in lines[i + 1 :] if x.strip()]
        if not rest or not _FOOTNOTE_START.match(rest[0]) or _BODY_START.match(rest[0]):
            continue
        if not any(_BODY_START.match(x) for x in rest):
            return lines[:i]
    return lines


_BODY_START = re.compile(r"^\s*(?:\d{1,3}\.\s+\S|\([a-z]{1,4}\)\s)")


def _drop_masthead(lines: list[str]) -> list[str]:
    """Drop the first page's masthead block: 'United Nations SYMBOL ... Original: English'."""
    start = next(
        (
            i
            for i, x in enumerate(lines)
            if re.match(r"^\s*(?:United Nations|Nations Unies|Naciones Unidas)\s+\S*/", x)
        ),
        None,
    )
    if start is None:
        return lines
    end = start
    for i in range(start, min(len(lines), start + 25)):
        if _MASTHEAD_END.match(lines[i]):
            end = i
    if end == start:
        return lines
    while end + 1 < len(lines) and _MASTHEAD_END.match(lines[end + 1]):
        end += 1
    return lines[:start] + lines[end + 1 :]


def clean_lines(pages: list[str]) -> list[Line]:
    """Return the document's lines without headers, footers, masthead and footnotes."""
    out: list[Line] = []
    for number, page in enumerate(pages, start=1):
        lines = page.replace("\r", "").replace("\u00ad", "").split("\n")
        if number == 1:
            lines = _drop_masthead(lines)
        lines = _drop_footnotes(lines)
        for text in lines:
            if not text.strip() or _is_header_line(text):
                continue
            out.append(Line(text.rstrip(), number))
    out = _join_lone_numbers(out)
    vocabulary = _vocabulary(out)
    for line in out:
        line.text = _repair_words(_unglue_footnotes(line.text), vocabulary)
    return out


_LONE_NUMBER = re.compile(r"^\s*\d{1,3}(?:\.\d{1,3})*\.\s*$")
_NOTE_MARK = re.compile(r"^\s*\*{1,3}\s*$")


def _join_lone_numbers(lines: list[Line]) -> list[Line]:
    """Join a paragraph number printed on a line of its own ('86.') to the text after it.

    Also drops a footnote marked by a lone '**' line and the one line of its text.

    Some pdftotext outputs put every number in the left margin on its own line; the
    paragraph and item numbers are only recognised at the start of the text they number.
    """
    out: list[Line] = []
    pending: Line | None = None
    skip = False
    for index, line in enumerate(lines):
        if skip:
            skip = False
            continue
        if _NOTE_MARK.match(line.text) and index + 1 < len(lines):
            # A footnote printed where the page ended, in the middle of the text:
            # "**" then "The conclusions and recommendations have not been edited."
            note = lines[index + 1].text.strip()
            if len(note) < 200 and note.endswith(".") and not _PARA_START.match(note):
                skip = True
                continue
        if pending is not None:
            if _LONE_NUMBER.match(line.text) or _PARA_START.match(line.text):
                out.append(pending)
            else:
                line = Line(f"{pending.text.strip()} {line.text.lstrip()}", pending.page)
            pending = None
        if _LONE_NUMBER.match(line.text):
            pending = line
            continue
        out.append(line)
    if pending is not None:
        out.append(pending)
    return out


_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ’']+")


def _vocabulary(lines: list[Line]) -> Counter[str]:
    return Counter(w.lower() for line in lines for w in _WORD.findall(line.text))


_SPLIT = re.compile(r"\b([A-Za-zÀ-ÖØ-öø-ÿ]{1,12}) (?=([a-zà-öø-ÿ]{1,12})\b)")


def _repair_words(text: str, vocabulary: Counter[str]) -> str:
    """Join 'form ulated' into 'formulated' when the document spells it whole elsewhere."""

    def join(m: re.Match[str]) -> str:
        a, b = m.group(1), m.group(2)
        whole = (a + b).lower()
        # A fragment of a split word is rare on its own; the whole word is known.
        if (
            len(whole) >= 3
            and vocabulary.get(whole, 0) >= 1
            and (min(vocabulary.get(a.lower(), 0), vocabulary.get(b.lower(), 0)) <= 3)
        ):
            return a
        return m.group(0)

    return _SPLIT.sub(join, text)


# "disabilities.12 " or "Canada1 at": a footnote number glued to a word or punctuation.
_GLUED_NOTE = re.compile(r"(?:(?<=[a-zà-ÿ,;:)”’])|(?<=[a-zà-ÿ)]\.))(\d{1,3})(?=\s|$)")


def _unglue_footnotes(text: str) -> str:
    return _GLUED_NOTE.sub("", text)


def join_lines(lines: list[str], vocabulary: Counter[str] | None = None) -> str:
    """Join wrapped lines into one string, undoing end-of-line hyphenation where it was added."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not out:
            out = line
            continue
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha():
            head = re.search(r"([A-Za-zÀ-ÿ]+)-$", out)
            tail = re.match(r"([a-zà-ÿ]+)", line)
            if head and tail and vocabulary is not None and line[:1].islower():
                whole = (head.group(1) + tail.group(1)).lower()
                if vocabulary.get(whole, 0) and not vocabulary.get(head.group(1).lower(), 0) > 3:
                    out = out[:-1] + line
                    continue
            out = out + line
        else:
            out = out + " " + line
    return re.sub(r"\s{2,}", " ", out).strip()


def squash_symbol(text: str) -> str:
    """Return *text* with symbols broken across lines or spaces joined ('CRPD\\n/C/CAN')."""
    return re.sub(r"\s*/\s*(?=[A-Z0-9])", "/", text)
