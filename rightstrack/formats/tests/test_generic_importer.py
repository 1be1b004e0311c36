from __future__ import annotations

from pathlib import Path

import pytest

from rightstrack.formats.exceptions import ImportFormatError
from rightstrack.formats.importers.generic import (
    RIGHTSTRACK_COLUMNS,
    GenericImporter,
    RightstrackImporter,
)
from rightstrack.formats.records import (
    GROUPS_OF_PERSONS,
    SDG_TARGETS,
    THEMES,
    Mechanism,
    Position,
)
from rightstrack.formats.registry import guess_importer_kind
from rightstrack.formats.tables import write_table

FIXTURES = Path(__file__).parent / "fixtures" / "generic"
MAPPING = {
    "text": "Recomendación",
    "country": "País",
    "body": "Órgano",
    "paragraph": "Nº",
    "recommending_states": "Estado(s)",
}


def test_it_recognises_common_header_names() -> None:
    records = list(GenericImporter().read(FIXTURES / "recommendations.csv"))
    assert [(r.paragraph, r.country, r.mechanism, r.body) for r in records] == [
        ("126.4", "SOM", Mechanism.UPR, "UPR"),
        ("126.9", "SOM", Mechanism.UPR, "UPR"),
        ("14(a)", "IRQ", Mechanism.TREATY_BODY, "CRPD"),
    ]
    assert records[0].recommending_states == ("NOR", "UGA")
    assert records[1].recommending_states == ("BRA", "CIV")
    assert [r.position for r in records] == [Position.SUPPORTED, Position.NOTED, ""]
    assert (records[0].session, records[0].cycle) == ("37", 3)
    assert [(label.taxonomy, label.term) for label in records[2].labels] == [
        (THEMES, "Persons with disabilities: definition, general principles"),
        (GROUPS_OF_PERSONS, "Persons with disabilities"),
        (GROUPS_OF_PERSONS, "Internally displaced persons"),
        (SDG_TARGETS, "10.2"),
    ]


def test_it_takes_a_column_mapping_in_read_or_in_the_constructor() -> None:
    path = FIXTURES / "mapped.xlsx"
    from_read = list(GenericImporter().read(path, mapping=MAPPING))
    from_init = list(GenericImporter(mapping=MAPPING).read(path))
    assert from_read == from_init
    assert [(r.paragraph, r.country, r.body, r.recommending_states) for r in from_read] == [
        ("120.33", "COL", "UPR", ("CHL",)),
        ("51", "COL", "CESCR", ()),
    ]


def test_it_names_the_missing_column_and_lists_those_found() -> None:
    with pytest.raises(ImportFormatError) as error:
        list(GenericImporter().read(FIXTURES / "mapped.xlsx"))
    message = str(error.value)
    assert "mapped.xlsx, row 1, column 'text': missing column for 'text'" in message
    assert message.endswith("found: Recomendación, País, Órgano, Nº, Estado(s)")
    with pytest.raises(
        ImportFormatError, match=r"column 'Texto': missing column 'Texto' \(mapped to text\)"
    ):
        list(GenericImporter().read(FIXTURES / "mapped.xlsx", mapping={**MAPPING, "text": "Texto"}))


def test_it_needs_a_body_or_a_mechanism_unless_given_a_default(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "Recommendation,Country\nAdopt a law on statelessness,Kenya\n", encoding="utf-8"
    )
    with pytest.raises(ImportFormatError, match=r"column 'body': missing column for 'body'"):
        list(GenericImporter().read(path))
    [record] = GenericImporter(defaults={"body": "UPR"}).read(path)
    assert (record.country, record.mechanism, record.body) == ("KEN", Mechanism.UPR, "UPR")


def test_it_reads_back_what_rightstrack_extract_writes() -> None:
    path = FIXTURES / "rightstrack_extract.csv"
    assert guess_importer_kind(path) == "rightstrack"
    upr, ccpr, sp = RightstrackImporter().read(path)
    assert (upr.document_symbol, upr.paragraph, upr.country) == ("A/HRC/43/15", "121.2", "SVN")
    assert upr.recommending_states == ("UKR", "SVK")
    assert [label.term for label in upr.labels if label.taxonomy == THEMES] == [
        "Acceptance of international norms",
        "Enforced disappearances",
    ]
    assert (ccpr.follow_up, ccpr.follow_up_due, ccpr.mechanism) == (
        True,
        "2025-11-03",
        Mechanism.TREATY_BODY,
    )
    assert sp.mechanism == Mechanism.SPECIAL_PROCEDURES
    assert sp.body == "Special Rapporteur on the human rights of internally displaced persons"


def test_it_reads_back_a_list_export_with_extra_columns(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    row = {
        "document_symbol": "A/HRC/43/15",
        "mechanism": "upr",
        "body": "UPR",
        "country": "Slovenia",
        "paragraph": "121.3",
        "text": "Ratify ILO Protocol No. 29",
        "recommending_states": ["United Kingdom of Great Britain and Northern Ireland"],
        "position": "supported",
        "themes": [],
        "affected_persons": [],
        "sdg_targets": ["8.7"],
        "follow_up": False,
        "follow_up_due": "",
        "session": "34",
        "cycle": "3",
        "external_id": "abc-1",
    }
    write_table(path, [*RIGHTSTRACK_COLUMNS, "session", "cycle", "external_id"], [row])
    assert guess_importer_kind(path) == "rightstrack"
    [record] = RightstrackImporter().read(path)
    assert (record.session, record.cycle, record.external_id) == ("34", 3, "abc-1")
    assert record.recommending_states == ("GBR",)
    assert [(label.taxonomy, label.term) for label in record.labels] == [(SDG_TARGETS, "8.7")]


def test_it_names_the_row_of_an_unknown_state(tmp_path: Path) -> None:
    path = tmp_path / "extract.csv"
    text = (FIXTURES / "rightstrack_extract.csv").read_text(encoding="utf-8")
    path.write_text(text.replace("Iraq", "Mesopotamia"), encoding="utf-8")
    with pytest.raises(ImportFormatError) as error:
        list(RightstrackImporter().read(path))
    assert str(error.value) == f"{path}, row 3, column 'country': unknown State 'Mesopotamia'"


def test_it_rejects_truncated_workbooks_and_garbage(tmp_path: Path) -> None:
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes((FIXTURES / "mapped.xlsx").read_bytes()[:1500])
    with pytest.raises(ImportFormatError, match=r"cut.xlsx: not a readable XLSX workbook"):
        list(GenericImporter().read(cut, mapping=MAPPING))
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(ImportFormatError, match=r"garbage.csv: binary data"):
        list(GenericImporter().read(garbage))
    assert RightstrackImporter().sniff(garbage) == 0
