from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from rightstrack.formats.exceptions import ImportFormatError
from rightstrack.formats.importers.upr_info import UprInfoImporter
from rightstrack.formats.records import ACTION_CATEGORIES, UPR_INFO_ISSUES, Position
from rightstrack.formats.registry import guess_importer_kind

FIXTURE = Path(__file__).parent / "fixtures" / "upr_info" / "upr_info_export.csv"


def read(path: Path, **kwargs) -> list:
    return list(UprInfoImporter().read(path, **kwargs))


def test_it_merges_the_rows_of_co_sponsors_into_one_recommendation() -> None:
    records = read(FIXTURE)
    assert len(records) == 7  # ten rows
    nhri = records[0]
    assert (
        nhri.text
        == "Establish a national human rights institution in accordance with the Paris Principles"
    )
    assert nhri.recommending_states == ("DNK", "MEX", "VCT")
    assert (nhri.country, nhri.session, nhri.cycle, nhri.body) == ("KEN", "8", 1, "UPR")
    assert nhri.position == Position.SUPPORTED
    death_penalty = next(r for r in records if r.text == "Abolish the death penalty")
    assert death_penalty.recommending_states == ("VAT", "MKD")
    assert death_penalty.position == Position.NOTED


def test_it_reads_a_mac_roman_export_with_cr_line_endings() -> None:
    raw = FIXTURE.read_bytes()
    assert b"\n" not in raw and b"\x8e" in raw  # "é" in Mac Roman, as in UPR Info's files
    texts = [r.text for r in read(FIXTURE)]
    assert (
        "Pursue the work of the Instance Equité et Réconciliation and implement its "
        "recommendations on reparations" in texts
    )
    assert any("“erased”" in t for t in texts)


def test_it_labels_action_categories_and_issues() -> None:
    record = next(r for r in read(FIXTURE) if r.country == "MAR" and "Equité" in r.text)
    assert [(label.taxonomy, label.term) for label in record.labels] == [
        (ACTION_CATEGORIES, "2"),
        (UPR_INFO_ISSUES, "Justice"),
        (UPR_INFO_ISSUES, "Impunity"),
    ]
    assert {label.origin for label in record.labels} == {"upr_info_export.csv"}


def test_it_skips_unknown_sponsors_and_keeps_pledges_without_a_position() -> None:
    records = read(FIXTURE)
    unknown = next(r for r in records if "Dadaab" in r.text)
    assert unknown.recommending_states == ()
    pledge = next(r for r in records if r.country == "ALB")
    assert (pledge.position, pledge.recommending_states) == ("", ())
    assert pledge.extra == {"upr_info_response": "Voluntary Pledge"}


def test_it_keys_merged_records_on_state_session_and_text() -> None:
    keys = [r.natural_key() for r in read(FIXTURE)]
    assert len(set(keys)) == 7
    assert keys == [r.natural_key() for r in read(FIXTURE)]


def test_it_recognises_the_export_by_its_headers(tmp_path: Path) -> None:
    assert UprInfoImporter().sniff(FIXTURE) == 9
    assert guess_importer_kind(FIXTURE) == "upr-info"
    utf8 = tmp_path / "export.csv"
    utf8.write_text(FIXTURE.read_bytes().decode("mac_roman"), encoding="utf-8")
    assert [r.text for r in read(utf8)] == [r.text for r in read(FIXTURE)]


def test_it_names_the_row_and_column_of_an_unknown_state(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(FIXTURE.read_bytes().replace(b"Holy See", b"Atlantis"))
    with pytest.raises(ImportFormatError) as error:
        read(path)
    assert str(error.value) == f"{path}, row 8, column 'From': unknown State 'Atlantis'"


def test_it_names_a_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(FIXTURE.read_bytes().replace(b"Response", b"Reply", 1))
    with pytest.raises(
        ImportFormatError,
        match=r"row 1, column 'Response': missing column 'Response'; found: To, To-Rgrp",
    ):
        read(path)


def test_it_rejects_a_bad_response_and_a_wrong_encoding(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(FIXTURE.read_bytes().replace(b",Noted,3,", b",Maybe,3,"))
    with pytest.raises(
        ImportFormatError, match=r"row 5, column 'Response': unknown response 'Maybe'"
    ):
        read(path)
    with pytest.raises(
        ImportFormatError, match=r"upr_info_export.csv: not valid utf-8 text near line 7"
    ):
        read(FIXTURE, encoding="utf-8")


@pytest.mark.shared_data
def test_it_gives_one_record_per_recommendation_of_sessions_1_to_13(shared_raw) -> None:
    folder = shared_raw / "upr-info-terman" / "upr-info-export-sessions1-20"
    rows, distinct = 0, set()
    for name in ("1-5.csv", "6-9.csv", "10-13.csv"):
        text = (folder / name).read_bytes().decode("latin-1")
        for row in csv.DictReader(io.StringIO(text, newline="")):
            rows += 1
            words = re.sub(r"[^\w\s]", " ", row["Text"].lower()).split()
            distinct.add((row["To"], row["Session"], " ".join(words)))
    assert rows == 23_484
    records = [r for name in ("1-5.csv", "6-9.csv", "10-13.csv") for r in read(folder / name)]
    assert len(records) == len(distinct) == 22_694
    joint = [
        r
        for r in records
        if r.country == "BEL"
        and r.session == "11"
        and r.text
        == "Establish an independent national human rights institution in compliance "
        "with the Paris Principles"
    ]
    assert len(joint) == 1
    assert set(joint[0].recommending_states) == {
        "AFG",
        "AUS",
        "COD",
        "DJI",
        "ECU",
        "EGY",
        "NOR",
        "PSE",
        "POL",
        "PRT",
        "RUS",
        "ESP",
        "GBR",
    }
