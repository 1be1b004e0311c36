from __future__ import annotations

import os
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pytest

from rightstrack.formats.exceptions import ImportFormatError
from rightstrack.formats.importers.uhri import UhriImporter
from rightstrack.formats.records import (
    GROUPS_OF_PERSONS,
    SDG_GOALS,
    SDG_TARGETS,
    THEMES,
    Mechanism,
    Position,
)
from rightstrack.formats.registry import guess_importer_kind

FIXTURES = Path(__file__).parent / "fixtures" / "uhri"
XLSX = FIXTURES / "uhri_export.xlsx"
CSV = FIXTURES / "uhri_export.csv"


def read(path: Path, **kwargs) -> list:
    return list(UhriImporter().read(path, **kwargs))


def test_it_reads_the_same_records_from_xlsx_and_csv() -> None:
    from_xlsx, from_csv = read(XLSX), read(CSV)
    assert len(from_xlsx) == 9  # ten rows, one of them an observation
    strip = lambda r: {**asdict(r), "source_file": ""}  # noqa: E731
    assert [strip(r) for r in from_xlsx] == [strip(r) for r in from_csv]


def test_it_splits_the_paragraph_number_from_the_text() -> None:
    records = {r.paragraph: r for r in read(XLSX)}
    assert set(records) == {
        "118.5",
        "118.12",
        "118.40",
        "118.77",
        "12",
        "45(b)",
        "87",
        "30",
        "102.3",
    }
    assert records["118.5"].text == "Ratify the Optional Protocol to the Convention against Torture"
    assert records["12"].text.startswith("The Committee recommends that the State party ensure")
    assert records["45(b)"].text.startswith("Adopt a time-bound strategy")


def test_it_tells_the_mechanism_from_the_recommending_body() -> None:
    records = {r.paragraph: r for r in read(XLSX)}
    assert (records["118.5"].mechanism, records["118.5"].body) == (Mechanism.UPR, "UPR")
    assert (records["12"].mechanism, records["12"].body) == (Mechanism.TREATY_BODY, "CRPD")
    sp = records["87"]
    assert sp.mechanism == Mechanism.SPECIAL_PROCEDURES
    assert sp.body == "Special Rapporteur on the human rights of internally displaced persons"
    assert sp.country == "SOM"


def test_it_reads_upr_states_positions_sessions_and_cycles() -> None:
    records = {r.paragraph: r for r in read(XLSX)}
    assert records["118.5"].recommending_states == ("FRA", "PRT")
    assert records["118.12"].recommending_states == ("CIV",)
    assert records["118.40"].recommending_states == ("TUR", "GBR")
    # No "UPR Recommending States" value: the States printed in the text are used.
    assert records["118.77"].recommending_states == ("VEN",)
    assert (
        records["118.77"].text == "Adopt a comprehensive national policy on persons with albinism"
    )
    assert records["102.3"].recommending_states == ("KOR", "VCT")
    assert [records[p].position for p in ("118.5", "118.12", "118.40")] == [
        Position.SUPPORTED,
        Position.NOTED,
        Position.SUPPORTED_IN_PART,
    ]
    assert (records["118.5"].session, records["118.5"].cycle) == ("41", 4)
    assert (records["102.3"].session, records["102.3"].cycle) == ("20", 2)
    assert (records["12"].session, records["12"].cycle, records["12"].position) == ("", None, "")


def test_it_reads_excel_serial_numbers_and_dates() -> None:
    records = {r.paragraph: r for r in read(XLSX)}
    assert records["118.5"].document_date == date(2023, 3, 1)
    assert records["12"].document_date == date(2023, 9, 14)
    assert records["30"].document_date == date(2022, 12, 1)


def test_it_keeps_the_printed_labels_with_their_document() -> None:
    record = next(r for r in read(XLSX) if r.paragraph == "12")
    assert [(label.taxonomy, label.term) for label in record.labels] == [
        (THEMES, "Situations of risk & humanitarian emergencies"),
        (THEMES, "Persons with disabilities: definition, general principles"),
        (GROUPS_OF_PERSONS, "Persons with disabilities"),
        (GROUPS_OF_PERSONS, "Internally displaced persons"),
        (SDG_TARGETS, "11.5"),
    ]
    assert {(label.source, label.origin) for label in record.labels} == {
        ("document", "CRPD/C/KEN/CO/2-3")
    }
    ccpr = next(r for r in read(XLSX) if r.paragraph == "30")
    assert [(label.taxonomy, label.term) for label in ccpr.labels if "sdg" in label.taxonomy] == [
        (SDG_GOALS, "16")
    ]


def test_it_keys_records_on_the_annotation_id() -> None:
    records = read(XLSX)
    assert records[0].external_id == "4f6c1a2e-0001-4b7e-9d1a-6a3f0c1e2b01"
    assert len({r.natural_key() for r in records}) == 9
    assert [r.natural_key() for r in records] == [r.natural_key() for r in read(CSV)]


def test_it_recognises_exports_by_their_headers(tmp_path: Path) -> None:
    renamed = tmp_path / "download"
    renamed.write_bytes(CSV.read_bytes())
    assert UhriImporter().sniff(XLSX) == 10
    assert UhriImporter().sniff(renamed) == 10
    assert guess_importer_kind(XLSX) == "uhri"
    assert guess_importer_kind(CSV) == "uhri"


def test_it_names_a_missing_column_and_lists_those_found(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        CSV.read_text(encoding="utf-8").replace("Document Symbol", "Symbol"), encoding="utf-8"
    )
    with pytest.raises(ImportFormatError) as error:
        read(path)
    message = str(error.value)
    assert message.startswith(f"{path}, row 1, column 'Document Symbol': missing column")
    assert "found: OHCHR Annotation Id, Text," in message
    assert "\n" not in message


def test_it_names_the_row_and_column_of_an_unknown_state(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        CSV.read_text(encoding="utf-8").replace("- Somalia", "- Atlantis", 1), encoding="utf-8"
    )
    with pytest.raises(ImportFormatError) as error:
        read(path)
    assert (
        str(error.value) == f"{path}, row 8, column 'Countries Concerned': unknown State 'Atlantis'"
    )


def test_it_names_the_row_of_a_bad_date(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        CSV.read_text(encoding="utf-8").replace("2023-09-14", "mid-September"), encoding="utf-8"
    )
    with pytest.raises(
        ImportFormatError, match=r"row 6, column 'Document Publication Date': not a date"
    ):
        read(path)


def test_it_rejects_a_truncated_workbook(tmp_path: Path) -> None:
    path = tmp_path / "cut.xlsx"
    data = XLSX.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportFormatError, match=r"cut.xlsx: not a readable XLSX workbook"):
        read(path)
    assert UhriImporter().sniff(path) == 0


def test_it_rejects_binary_garbage(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"\x00\x01" + os.urandom(2000))
    with pytest.raises(ImportFormatError, match=r"export.csv: binary data, not a text table"):
        read(path)


def test_it_reports_a_wrong_encoding_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(CSV.read_text(encoding="utf-8").encode("cp1252", errors="replace"))
    # Line 5 of the file: the cells of row 2 hold line breaks.
    with pytest.raises(ImportFormatError, match=r"export.csv: not valid utf-8 text near line 5"):
        read(path, encoding="utf-8")
    # Left to detect it, the importer reads the same file as cp1252.
    assert next(r for r in read(path) if r.paragraph == "118.12").recommending_states == ("CIV",)
