"""Helpers the file importers share: reading tables row by row, decoding, and the small
parsers for cells that several sources print the same way (State names, positions, sessions,
paragraph numbers, multi-valued cells).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from rightstrack.engine import countries
from rightstrack.formats.exceptions import ImportFormatError
from rightstrack.formats.records import Mechanism, Position

#: The treaty bodies' short names, as UHRI prints them in its "Recommending Body" column.
TREATY_BODIES = frozenset(
    {"CCPR", "CESCR", "CERD", "CEDAW", "CAT", "SPT", "CRC", "CMW", "CRPD", "CED"}
)

XLSX_SUFFIXES = (".xlsx", ".xlsm")


# --- reading -------------------------------------------------------------------------------


def decode_file(data: bytes, path: Path, encoding: str | None = None) -> str:
    """Return the text of a CSV file's *data*: the given encoding, else detect it.

    Detection: a BOM; then UTF-8; then whichever of cp1252, Mac Roman and Latin-1 reads most
    like text. The UPR Info exports say Latin-1 but were saved by Mac Excel: their "é" is
    byte 0x8E, which is Mac Roman.
    """
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            line = len(re.split(rb"\r\n|\r|\n", data[: exc.start]))
            raise ImportFormatError(
                f"not valid {encoding} text near line {line} (byte {exc.start}); "
                "leave the encoding out to detect it",
                path=str(path),
            ) from exc
        except LookupError as exc:
            raise ImportFormatError(f"unknown encoding {encoding!r}", path=str(path)) from exc
        return _check_text(text.lstrip("\ufeff"), path)
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _check_text(data.decode(name).lstrip("\ufeff"), path)
            except UnicodeDecodeError as exc:
                raise ImportFormatError(f"damaged {name} text", path=str(path)) from exc
    if b"\x00" in data[:65536]:
        raise ImportFormatError("binary data, not a text table", path=str(path))
    try:
        return _check_text(data.decode("utf-8"), path)
    except UnicodeDecodeError:
        pass
    candidates = []
    for order, name in enumerate(("cp1252", "latin-1", "mac_roman")):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        candidates.append((_plausibility(text), -order, text))
    return _check_text(max(candidates)[2], path)


_TYPOGRAPHIC = set("‘’‚“”„–—…•€™°«»§¿¡ ")


def _plausibility(text: str) -> int:
    """Score how much the non-ASCII characters of *text* look like real words."""
    score = 0
    for i, char in enumerate(text):
        if char < "\x80":
            continue
        prev = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if char == "’":
            score += 1
        elif char in _TYPOGRAPHIC:
            # "C™te": a symbol inside a word is a letter read in the wrong code page.
            score += -1 if prev.isalpha() and after.isalpha() else 1
        elif unicodedata.category(char) == "Lm":
            score -= 1
        elif char.isalpha():
            # Accented capitals inside a lower-case word are the same mistake.
            score += 1 if char.islower() or not prev.isalpha() else -2
        else:
            score -= 3 if unicodedata.category(char) == "Cc" else 1
    return score


def _check_text(text: str, path: Path) -> str:
    if "\x00" in text:
        raise ImportFormatError("binary data, not a text table", path=str(path))
    return text


def iter_table(
    path: Path, *, encoding: str | None = None
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """Return a table's header and an iterator of (row number, cells as strings).

    XLSX is streamed (openpyxl read-only); CSV takes any line ending. Row numbers are those a
    person sees in a spreadsheet (the header is row 1). Empty rows are skipped.
    """
    from rightstrack.formats.safety import bounded_rows, check_columns, check_input_file

    check_input_file(path, encoding=encoding)
    if path.suffix.lower() in XLSX_SUFFIXES or _is_zip(path):
        columns, rows = _iter_xlsx(path)
    else:
        columns, rows = _iter_csv(path, encoding)
    check_columns(columns, path)
    return columns, bounded_rows(rows, path, columns)


def _is_zip(path: Path) -> bool:
    with path.open("rb") as fp:
        return fp.read(4) == b"PK\x03\x04"


#: Bytes read at a time when checking a CSV file's encoding.
_BLOCK = 1 << 20


def _stream_codec(path: Path, encoding: str | None) -> str | None:
    """Return the codec to stream the CSV at *path* with, or None to decode it whole.

    UTF-8 (with or without a BOM) and a given encoding are checked block by block, then
    streamed, so that memory does not grow with the file (the UHRI export is 180 MB).
    Legacy files (cp1252, Mac Roman, Latin-1, UTF-16: small exports) are decoded whole, as
    detection compares whole texts. Raises ImportFormatError as decode_file does.
    """
    with path.open("rb") as fp:
        head = fp.read(65536)
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise ImportFormatError(f"unknown encoding {encoding!r}", path=str(path)) from exc
        codec = encoding
    elif head.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
        return None
    else:
        codec = "utf-8"
    decoder = codecs.getincrementaldecoder(codec)()
    with path.open("rb") as fp:
        try:
            for block in iter(lambda: fp.read(_BLOCK), b""):
                if "\x00" in decoder.decode(block):
                    raise ImportFormatError("binary data, not a text table", path=str(path))
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            if not encoding:
                return None  # not UTF-8: detect among the legacy encodings
            # Decode whole for the message naming the line.
            decode_file(path.read_bytes(), path, encoding)
            raise
    return codec


def _iter_csv(
    path: Path, encoding: str | None
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    codec = _stream_codec(path, encoding)
    if codec is None:
        text = decode_file(path.read_bytes(), path, encoding)
        source: Any = io.StringIO(text, newline="")
    else:
        source = path.open(encoding=codec, newline="")
    # strict: a quote that never closes is an error, not one cell swallowing the rows after.
    reader = csv.reader(source, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        source.close()
        raise ImportFormatError(f"unreadable CSV: {exc}", path=str(path), row=1) from exc
    if not header or not any(h.strip().lstrip("\ufeff") for h in header):
        source.close()
        raise ImportFormatError("empty file, expected a header row", path=str(path))
    columns = [h.strip() for h in header]
    if columns:
        columns[0] = columns[0].lstrip("\ufeff")

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 1
        try:
            for values in reader:
                number += 1
                if not any(v.strip() for v in values):
                    continue
                if len(values) > len(columns) and any(v.strip() for v in values[len(columns) :]):
                    raise ImportFormatError(
                        f"{len(values)} cells but the header has {len(columns)}",
                        path=str(path),
                        row=number,
                    )
                yield number, values[: len(columns)] + [""] * (len(columns) - len(values))
        except csv.Error as exc:
            hint = " (a quote that is never closed?)" if "end of data" in str(exc) else ""
            raise ImportFormatError(
                f"unreadable CSV: {exc}{hint}", path=str(path), row=number + 1
            ) from exc
        finally:
            source.close()

    return columns, rows()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    return str(value)


def _iter_xlsx(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        values_iter = sheet.iter_rows(values_only=True)
        header = next(values_iter, None)
    except Exception as exc:  # openpyxl raises many kinds on a foreign or cut file
        raise ImportFormatError(
            f"not a readable XLSX workbook (truncated or damaged: {exc.__class__.__name__})",
            path=str(path),
        ) from exc
    if not header or not any(_cell(h).strip() for h in header):
        workbook.close()
        raise ImportFormatError("empty workbook, expected a header row", path=str(path))
    columns = [_cell(h).strip() for h in header]
    while columns and not columns[-1]:
        columns.pop()
    width = len(columns)

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 1
        try:
            for values in values_iter:
                number += 1
                cells = [_cell(v) for v in values[:width]]
                if not any(cells):
                    continue
                if len(cells) < width:
                    cells += [""] * (width - len(cells))
                yield number, cells
        except ImportFormatError:
            raise
        except Exception as exc:  # lxml/zlib errors from a workbook cut short
            raise ImportFormatError(
                f"truncated or damaged XLSX workbook ({exc.__class__.__name__})",
                path=str(path),
                row=number,
            ) from exc
        finally:
            workbook.close()

    return columns, rows()


def read_header(path: Path) -> list[str]:
    """Return the header row of a CSV or XLSX file, or [] when it is not one (for sniffing)."""
    try:
        if path.suffix.lower() in XLSX_SUFFIXES or _is_zip(path):
            if path.suffix.lower() not in XLSX_SUFFIXES and not _zip_has(path, "xl/workbook.xml"):
                return []
            import openpyxl

            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                header = next(workbook.worksheets[0].iter_rows(max_row=1, values_only=True), ())
            finally:
                workbook.close()
            return [_cell(h).strip() for h in header]
        with path.open("rb") as fp:
            head = fp.read(65536)
        text = decode_file(head, path)
        first = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
        return [h.strip() for h in next(csv.reader([first]), [])]
    except Exception:  # a file we cannot read is simply not ours
        return []


def _zip_has(path: Path, member: str) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return member in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def column_index(columns: list[str]) -> dict[str, int]:
    """Return header name (folded: lower case, single spaces) -> position."""
    return {fold_header(c): i for i, c in enumerate(columns) if c}


def fold_header(name: str) -> str:
    return re.sub(r"[\s_\-]+", " ", name.strip().lower())


# --- cells ---------------------------------------------------------------------------------


_BULLET = re.compile(r"^\s*[-–•*]\s*")
_LINES = re.compile(r"\r\n|\r|\n")


def split_multi(cell: str) -> list[str]:
    """Split a multi-valued cell: one value a line, each maybe with a "- " prefix."""
    if not cell:
        return []
    values = []
    # Compiled once: a big file calls this a few times per row.
    for line in _LINES.split(cell):
        value = _BULLET.sub("", line).strip()
        if value:
            values.append(value)
    return values


def split_joined(cell: str) -> list[str]:
    """Split a cell joined with "; " (rightstrack's own exports) or one value a line."""
    return [
        v for part in re.split(r";\s*|\r\n|\r|\n", cell) if (v := _BULLET.sub("", part).strip())
    ]


def resolve_state(name: str, *, path: Path, row: int | None, column: str) -> str:
    """Return the ISO alpha-3 code of State *name*; ImportFormatError when unknown."""
    country = countries.resolve(name)
    if country is None:
        raise ImportFormatError(f"unknown State {name!r}", path=str(path), row=row, column=column)
    return country.code


def resolve_states(
    cell: str, *, path: Path, row: int | None, column: str, skip: frozenset[str] = frozenset()
) -> tuple[str, ...]:
    """Return the codes of the States in a multi-valued cell (lines or commas), in order."""
    codes: list[str] = []
    for value in split_multi(cell):
        if value in skip:
            continue
        names = [value] if countries.resolve(value) else split_state_list(value)
        for name in names:
            code = resolve_state(name, path=path, row=row, column=column)
            if code not in codes:
                codes.append(code)
    return tuple(codes)


def split_state_list(text: str) -> list[str]:
    """Split "Senegal, Venezuela (Bolivarian Republic of),Peru and Uruguay" into names.

    Commas inside parentheses do not split; a part that is not a State is tried again
    split on " and ".
    """
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    names = []
    for part in (p.strip() for p in parts):
        part = re.sub(r"^and\s+", "", part)
        if not part:
            continue
        if countries.resolve(part) is None and " and " in part:
            names.extend(p.strip() for p in part.split(" and ") if p.strip())
        else:
            names.append(part)
    return names


def take_recommending_states(text: str) -> tuple[str, list[str]]:
    """Return (*text* without the recommending States, the States' names in order).

    UPR recommendations end each clause with the States in parentheses:
    "Ratify X (France) (Lithuania);" or "Do A (Ukraine); Do B (Slovakia);". Every group at the
    end of a clause whose names are all States is taken; "(No. 29)" or "(ICRMW)" stay.
    """
    clauses = _split_top_level(text, ";")
    states: list[str] = []
    kept: list[str] = []
    for clause in clauses:
        body = clause.rstrip()
        if body.endswith(".") and body[:-1].rstrip().endswith(")"):
            body = body[:-1].rstrip()
        found: list[str] = []
        while body.endswith(")"):
            start = _matching_open(body)
            if start is None:
                break
            names = split_state_list(body[start + 1 : -1])
            if not names or any(countries.resolve(n) is None for n in names):
                break
            found = names + found
            body = body[:start].rstrip()
        states.extend(found)
        kept.append(body.rstrip(" ,") if found else clause.rstrip())
    cleaned = "; ".join(k.strip() for k in kept if k.strip())
    return cleaned.rstrip(" ;"), states


def last_parenthesis(text: str) -> str:
    """Return the content of the parenthesised group ending *text* ("" when none)."""
    body = text.rstrip(" ;.")
    start = _matching_open(body) if body.endswith(")") else None
    return "" if start is None else body[start + 1 : -1]


def _split_top_level(text: str, sep: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _matching_open(text: str) -> int | None:
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            depth -= 1
            if depth == 0:
                return i
    return None


_PARAGRAPH = re.compile(
    r"^\s*(?P<num>\d{1,3}(?:\.\d{1,3})?)(?:\.(?!\d))?\s*(?P<sub>\([a-z]{1,4}\))?[\s.:]+(?=\S)"
)


def split_paragraph(text: str) -> tuple[str, str]:
    """Return (paragraph number, text after it): "118.5 Ratify" -> ("118.5", "Ratify")."""
    match = _PARAGRAPH.match(text)
    if not match:
        return "", text.strip()
    paragraph = match["num"] + (match["sub"] or "")
    return paragraph, text[match.end() :].strip()


_POSITIONS = {
    "supported": Position.SUPPORTED,
    "accepted": Position.SUPPORTED,
    "noted": Position.NOTED,
    "rejected": Position.NOTED,
    "not supported": Position.NOTED,
    "supported/noted": Position.SUPPORTED_IN_PART,
    "supported / noted": Position.SUPPORTED_IN_PART,
    "supported in part": Position.SUPPORTED_IN_PART,
    "partially supported": Position.SUPPORTED_IN_PART,
    "supported partially": Position.SUPPORTED_IN_PART,
    "supported_in_part": Position.SUPPORTED_IN_PART,
    "accepted in part": Position.SUPPORTED_IN_PART,
    "partially accepted": Position.SUPPORTED_IN_PART,
    "pending": "",
    "no response": "",
    "": "",
}


def normalise_position(cell: str, *, path: Path, row: int | None, column: str) -> str:
    """Return a Position value for a printed position; ImportFormatError when unknown."""
    key = re.sub(r"\s+", " ", cell.strip().strip(".").lower())
    try:
        return _POSITIONS[key]
    except KeyError:
        raise ImportFormatError(
            f"unknown position {cell.strip()!r} (expected Supported, Noted or Supported in part)",
            path=str(path),
            row=row,
            column=column,
        ) from None


def session_number(cell: str) -> int | None:
    """Return the UPR session number in "34", "UPR 34", "34th session" (None when none)."""
    match = re.search(r"\d+", cell)
    return int(match.group()) if match else None


def cycle_for_session(session: int | None) -> int | None:
    """Return the UPR cycle of Working Group *session*: 1-12 -> 1, 13-26 -> 2, 27-40 -> 3, ..."""
    if session is None or session < 1:
        return None
    if session <= 12:
        return 1
    return 2 + (session - 13) // 14


def mechanism_for_body(body: str) -> str:
    """Return the mechanism family of a body: "UPR", a treaty body code, else special procedure."""
    key = body.strip().upper()
    if key in ("UPR", "UNIVERSAL PERIODIC REVIEW", "HRC-UPR"):
        return Mechanism.UPR
    if key in TREATY_BODIES or key.split("-")[0].split("/")[0] in TREATY_BODIES:
        return Mechanism.TREATY_BODY
    return Mechanism.SPECIAL_PROCEDURES


_MECHANISMS = {
    "upr": Mechanism.UPR,
    "universal periodic review": Mechanism.UPR,
    "treaty body": Mechanism.TREATY_BODY,
    "treaty bodies": Mechanism.TREATY_BODY,
    "treaty_body": Mechanism.TREATY_BODY,
    "special procedures": Mechanism.SPECIAL_PROCEDURES,
    "special procedure": Mechanism.SPECIAL_PROCEDURES,
    "special_procedures": Mechanism.SPECIAL_PROCEDURES,
}


def normalise_mechanism(cell: str, *, path: Path, row: int | None, column: str) -> str:
    key = cell.strip().lower().replace("-", " ")
    if key in _MECHANISMS:
        return _MECHANISMS[key]
    raise ImportFormatError(
        f"unknown mechanism {cell.strip()!r} (expected treaty_body, upr or special_procedures)",
        path=str(path),
        row=row,
        column=column,
    )


_EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(cell: str, *, path: Path, row: int | None, column: str) -> date | None:
    """Return the date in an Excel serial number ("45123"), ISO date or dd/mm/yyyy cell."""
    value = cell.strip()
    if not value:
        return None
    try:
        if re.fullmatch(r"\d{4,5}(\.\d+)?", value):
            return _EXCEL_EPOCH + timedelta(days=int(float(value)))
        if re.match(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value[:10])
        match = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", value)
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        pass
    raise ImportFormatError(f"not a date: {value!r}", path=str(path), row=row, column=column)


def sdg_term(value: str) -> tuple[str, str] | None:
    """Return ("target" or "goal", number) for "16.3 ...", "16 - PEACE ...", "Goal 5"."""
    match = re.match(r"^\s*(?:SDG\s*|Goal\s*)?(\d{1,2})(?:\.([0-9a-z]{1,2}))?\b", value, re.I)
    if not match:
        return None
    if match[2]:
        return "target", f"{int(match[1])}.{match[2].lower()}"
    return "goal", str(int(match[1]))


def theme_taxonomy_for(term: str, current: str, legacy: str) -> str:
    """Return *legacy* for a term only the legacy (pre-2022) list knows, else *current*.

    Older OHCHR matrices print some themes and groups by their legacy names; placing those in
    the legacy list lets its crosswalk map them onto today's terms.
    """
    from rightstrack.engine.taxonomies import find_term

    try:
        if find_term(current, term) is None and find_term(legacy, term) is not None:
            return legacy
    except (KeyError, LookupError, OSError):  # a taxonomy not shipped: keep the current list
        pass
    return current
