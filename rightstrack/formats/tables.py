"""Read and write the tables the file commands take: CSV (any line ending), XLSX, JSON Lines.

Writers write to a temporary file beside the target and rename it, so a failure never leaves
a half-written output.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rightstrack.formats.exceptions import InputError


@dataclass
class Table:
    columns: list[str]
    rows: list[dict[str, str]]


def table_kind(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    return "csv"


def read_table(path: str | Path, *, encoding: str = "utf-8") -> Table:
    """Return the rows of the CSV, XLSX or JSON Lines file at *path*, as strings.

    Raises InputError naming the file (and row) when it is missing or unreadable.
    """
    from rightstrack.formats.safety import check_input_file

    path = check_input_file(path, encoding=encoding)
    kind = table_kind(path)
    if kind == "xlsx":
        return _read_xlsx(path)
    if kind == "jsonl":
        return _read_jsonl(path, encoding)
    return _read_csv(path, encoding)


def decode_bytes(data: bytes, path: str | Path, encoding: str) -> str:
    """Decode *data*, naming the file and the first bad byte's line when it fails."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = len(re.split(rb"\r\n|\r|\n", data[: exc.start]))  # CRLF is one line end
        raise InputError(
            f"{path}: not valid {encoding} text near line {line} (byte {exc.start}); "
            f"try --encoding latin-1"
        ) from exc
    except LookupError as exc:
        raise InputError(f"unknown encoding {encoding!r}") from exc
    if "\x00" in text:
        raise InputError(f"{path}: binary data, not a text table")
    return text.lstrip("\ufeff")


def parse_csv_text(text: str, path: str | Path) -> Table:
    """Parse CSV *text* with any line endings (LF, CRLF or CR alone)."""
    try:
        from rightstrack.formats.safety import Limits, check_columns

        limits = Limits.from_env()
        # strict: a quote that never closes is an error, not one cell swallowing the rows after.
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise InputError(f"{path}: empty file, expected a header row")
        columns = [h.strip() for h in header]
        check_columns(columns, path, limits=limits)
        rows = []
        for number, values in enumerate(reader, start=2):
            if number > limits.rows + 1:
                raise InputError(f"{path}: more than {limits.rows} rows (TABLE_MAX_ROWS)")
            if any(len(v) > limits.cell_chars for v in values):
                raise InputError(
                    f"{path}: row {number} has a cell longer than {limits.cell_chars} "
                    "characters (CELL_MAX_CHARS; an unbalanced quote?)"
                )
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(columns):
                raise InputError(
                    f"{path}: row {number} has {len(values)} cells but the header has "
                    f"{len(columns)}"
                )
            values = [unsafe_cell(v) for v in values]
            rows.append(
                dict(zip(columns, values + [""] * (len(columns) - len(values)), strict=True))
            )
    except csv.Error as exc:
        raise InputError(f"{path}: unreadable CSV near row {reader.line_num}: {exc}") from exc
    return Table(columns, rows)


def _read_csv(path: Path, encoding: str) -> Table:
    return parse_csv_text(decode_bytes(path.read_bytes(), path, encoding), path)


def _read_jsonl(path: Path, encoding: str) -> Table:
    text = decode_bytes(path.read_bytes(), path, encoding)
    columns: list[str] = []
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: row {number}: not JSON: {exc.msg}") from exc
        if not isinstance(obj, dict):
            raise InputError(f"{path}: row {number}: expected a JSON object")
        for key in obj:
            if key not in columns:
                columns.append(key)
        rows.append({k: _cell_text(v) for k, v in obj.items()})
    return Table(columns, [{c: r.get(c, "") for c in columns} for r in rows])


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(_cell_text(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def open_workbook(path: Path):  # type: ignore[no-untyped-def]
    """Open an XLSX read-only, turning a truncated or foreign file into an InputError."""
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        raise InputError(
            f"{path}: not a readable XLSX workbook ({exc.__class__.__name__})"
        ) from exc


def _read_xlsx(path: Path) -> Table:
    wb = open_workbook(path)
    try:
        ws = wb.worksheets[0]
        rows_iter = ws.iter_rows(values_only=True)
        header = next(rows_iter, None)
        if not header:
            raise InputError(f"{path}: empty workbook, expected a header row")
        columns = [_cell_text(h).strip() for h in header]
        while columns and not columns[-1]:
            columns.pop()
        rows = []
        for values in rows_iter:
            cells = [_cell_text(v) for v in values[: len(columns)]]
            if not any(c.strip() for c in cells):
                continue
            cells += [""] * (len(columns) - len(cells))
            rows.append(dict(zip(columns, cells, strict=True)))
    except zipfile.BadZipFile as exc:
        raise InputError(f"{path}: truncated or damaged XLSX workbook") from exc
    finally:
        wb.close()
    return Table(columns, rows)


def _text_cell(sheet, value: object):  # type: ignore[no-untyped-def]
    """An XLSX cell holding *value* as text: openpyxl would store "=..." as a formula."""
    from openpyxl.cell import WriteOnlyCell

    text = format_cell(value)
    cell = WriteOnlyCell(sheet, value=text)
    if text.startswith("="):
        cell.data_type = "s"  # kept exactly, shown as text, never calculated
    return cell


@contextlib.contextmanager
def atomic_output(path: str | Path, mode: str = "w"):  # type: ignore[no-untyped-def]
    """Yield a file object; on success rename it to *path*, on failure remove it."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"{path}: folder {directory} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        if "b" in mode:
            with os.fdopen(fd, mode) as fp:
                yield fp
        else:
            with os.fdopen(fd, mode, encoding="utf-8", newline="") as fp:
                yield fp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_table(path: str | Path, columns: Sequence[str], rows: Iterable[dict[str, object]]) -> int:
    """Write *rows* to *path* as CSV, XLSX or JSON Lines (by extension); return the row count."""
    kind = table_kind(path)
    count = 0
    if kind == "xlsx":
        import openpyxl

        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("recommendations")
        ws.append([_text_cell(ws, c) for c in columns])
        for row in rows:
            ws.append([_text_cell(ws, row.get(c, "")) for c in columns])
            count += 1
        with atomic_output(path, "wb") as fp:
            wb.save(fp)
        return count
    with atomic_output(path) as fp:
        if kind == "jsonl":
            for row in rows:
                fp.write(
                    json.dumps(
                        {c: format_cell(row.get(c, "")) for c in columns}, ensure_ascii=False
                    )
                )
                fp.write("\n")
                count += 1
        else:
            writer = csv.writer(fp, lineterminator="\n")
            writer.writerow([safe_cell(c) for c in columns])
            for row in rows:
                writer.writerow([safe_cell(row.get(c, "")) for c in columns])
                count += 1
    return count


#: What makes a spreadsheet read a cell as a formula: "=HYPERLINK(...)", "+cmd|...", "-2+3",
#: "@SUM(...)", and a tab or carriage return before any of them (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def safe_cell(value: object) -> str:
    """Return *value* formatted (format_cell) and safe to open in a spreadsheet.

    A text that a spreadsheet would run as a formula gets a leading apostrophe, which
    spreadsheets read as "this is text" and show without it; plain numbers ("-5", "+3.2")
    are left alone. The one helper for every CSV rightstrack writes (file commands, search
    --format csv, downloads, exports); `unsafe_cell` undoes it when reading back.
    """
    text = format_cell(value)
    if text.startswith(FORMULA_TRIGGERS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def unsafe_cell(text: str) -> str:
    """Undo safe_cell: drop the apostrophe it put before a formula trigger."""
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def format_cell(value: object) -> str:
    """Format a value as the contract says: booleans true/false, lists joined with '; '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, set, frozenset)):
        return "; ".join(format_cell(v) for v in value)
    return str(value)
