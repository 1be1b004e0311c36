"""Property-based tests (hypothesis): whatever the input, every importer, the extractor and
the search query parser end in a clean error (InputError, one line naming the file) or a valid
result, never another exception. Bounded: MAX_EXAMPLES each, derandomized, no deadline."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rightstrack.formats.exceptions import InputError
from rightstrack.formats.extract import extract_document
from rightstrack.formats.records import RecordIn
from rightstrack.formats.registry import IMPORTERS, get_importer, guess_importer_kind
from rightstrack.formats.tests.badfiles import UPR_INFO_HEADER, docx_parts, xlsx_parts

MAX_EXAMPLES = 40
BOUNDED = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
FIXTURES = Path(__file__).parent / "fixtures"

#: Headers the importers recognise, so that generated rows reach the record logic.
HEADERS = {
    "uhri": (FIXTURES / "uhri" / "uhri_export.csv").read_text().splitlines()[0].split(","),
    "upr-info": UPR_INFO_HEADER.split(","),
    "generic": (FIXTURES / "generic" / "recommendations.csv")
    .read_text()
    .splitlines()[0]
    .split(","),
    "rightstrack": (FIXTURES / "generic" / "rightstrack_extract.csv")
    .read_text()
    .splitlines()[0]
    .split(","),
}

#: Cells: mostly plausible values (States, positions, dates, numbers), sometimes anything.
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "Kenya",
            "France, Germany",
            "Supported",
            "Noted",
            "Accepted",
            "CRPD",
            "UPR",
            "CRPD/C/KEN/CO/1",
            "2020-05-01",
            "45123",
            "31/12/2019",
            "12",
            "118.5",
            "Ratify the Convention",
            "upr",
            "true",
            "- Women\n- Children",
        ]
    ),
    st.text(max_size=40),
)


def _write(suffix: str, data: bytes) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="rightstrack-prop-"))
    path = folder / f"input{suffix}"
    path.write_bytes(data)
    return path


def _cleanup(path: Path) -> None:
    for child in path.parent.iterdir():
        child.unlink()
    path.parent.rmdir()


def _read_cleanly(kind: str, path: Path) -> None:
    try:
        records = list(get_importer(kind).read(path))
    except InputError as exc:
        message = str(exc)
        assert "\n" not in message.strip() or kind == "un-document", message
        assert path.name in message, message
        return
    assert all(isinstance(r, RecordIn) and r.text for r in records)


@st.composite
def tables(draw, kind: str) -> bytes:  # type: ignore[no-untyped-def]
    header = HEADERS[kind]
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=len(header) + 1), max_size=6))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    text = out.getvalue()
    # Now and then, damage it the way files get damaged: a stray quote, a cut, bad bytes.
    damage = draw(st.sampled_from(["none", "quote", "cut", "bytes", "latin"]))
    data = text.encode()
    if damage == "quote" and text:
        at = draw(st.integers(0, len(text) - 1))
        data = (text[:at] + '"' + text[at:]).encode()
    elif damage == "cut":
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == "bytes":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    elif damage == "latin":
        data = text.encode("latin-1", "replace")
    return data


def test_it_reads_any_uhri_csv_cleanly() -> None:
    _property("uhri")


def test_it_reads_any_upr_info_csv_cleanly() -> None:
    _property("upr-info")


def test_it_reads_any_generic_csv_cleanly() -> None:
    _property("generic")


def test_it_reads_any_rightstrack_csv_cleanly() -> None:
    _property("rightstrack")


def _property(kind: str) -> None:
    @BOUNDED
    @given(data=tables(kind))
    def check(data: bytes) -> None:
        path = _write(".csv", data)
        try:
            _read_cleanly(kind, path)
            try:
                guessed = guess_importer_kind(path)
            except InputError:
                return
            assert guessed in IMPORTERS
        finally:
            _cleanup(path)

    check()


@st.composite
def damaged_zip(draw, parts: dict[str, bytes]) -> bytes:  # type: ignore[no-untyped-def]
    """A valid DOCX/XLSX with one part replaced by generated XML-ish text, or bytes flipped."""
    names = sorted(parts)
    victim = draw(st.sampled_from(names))
    replacement = draw(
        st.one_of(
            st.binary(max_size=200),
            st.text(max_size=200).map(str.encode),
            st.sampled_from(
                [
                    b"<a>",
                    b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>',
                    b"<a></b>",
                    parts[victim][: len(parts[victim]) // 2],
                ]
            ),
        )
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, replacement if name == victim else parts[name])
    data = buffer.getvalue()
    if draw(st.booleans()):
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]
    return data


_DOCX = docx_parts()
_XLSX = xlsx_parts()


@BOUNDED
@given(data=damaged_zip(_DOCX))
def test_it_reads_any_damaged_docx_cleanly(data: bytes) -> None:
    path = _write(".docx", data)
    try:
        for kind in ("ohchr-matrix", "un-document"):
            _read_cleanly(kind, path)
        try:
            extract_document(path)
        except InputError as exc:
            assert path.name in str(exc)
    finally:
        _cleanup(path)


@BOUNDED
@given(data=damaged_zip(_XLSX))
def test_it_reads_any_damaged_xlsx_cleanly(data: bytes) -> None:
    path = _write(".xlsx", data)
    try:
        for kind in ("uhri", "generic", "rightstrack"):
            _read_cleanly(kind, path)
    finally:
        _cleanup(path)


UN_WORDS = st.sampled_from(
    [
        "Concluding observations",
        "CRPD/C/KEN/CO/1",
        "Report of the Working Group on the Universal Periodic Review",
        "Conclusions and/or recommendations",
        "Report of the Special Rapporteur on",
        "118.5 Ratify the Convention (France);",
        "12. The Committee recommends that the State party:",
        "(a) Adopt",
        "\f",
        "\n",
        "Supported",
        "A/HRC/43/15",
    ]
)


@BOUNDED
@given(parts=st.lists(st.one_of(UN_WORDS, st.text(max_size=30)), max_size=30))
def test_it_extracts_from_any_text_cleanly(parts: list[str]) -> None:
    path = _write(".txt", "\n".join(parts).encode("utf-8", "surrogatepass"))
    try:
        try:
            records = extract_document(path)
        except InputError as exc:
            assert path.name in str(exc)
            return
        assert all(isinstance(r, RecordIn) for r in records)
    finally:
        _cleanup(path)
