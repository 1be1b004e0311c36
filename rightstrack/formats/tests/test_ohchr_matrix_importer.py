from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from rightstrack.formats.exceptions import ImportFormatError
from rightstrack.formats.importers.ohchr_matrix import LEGACY_GROUPS_OF_PERSONS, OhchrMatrixImporter
from rightstrack.formats.records import (
    GROUPS_OF_PERSONS,
    LEGACY_THEMES,
    SDG_GOALS,
    THEMES,
    Mechanism,
    Position,
)
from rightstrack.formats.registry import guess_importer_kind

FIXTURES = Path(__file__).parent / "fixtures" / "ohchr_matrix"


def terms(record, taxonomy: str) -> list[str]:
    return [label.term for label in record.labels if label.taxonomy == taxonomy]


def test_it_reads_the_2025_layout_once_per_paragraph() -> None:
    records = list(OhchrMatrixImporter().read(FIXTURES / "thematic_list_2025.docx"))
    assert [r.paragraph for r in records] == ["118.5", "118.6", "118.90"]
    first, joint, noted = records
    assert first.text == "Ratify the Optional Protocol to the Convention against Torture"
    assert first.recommending_states == ("FRA", "PRT")
    assert (first.country, first.session, first.cycle) == ("KEN", "41", 4)
    assert (first.mechanism, first.body) == (Mechanism.UPR, "UPR")
    assert first.document_symbol == "A/HRC/52/10"
    assert first.position_source == "A/HRC/52/10/Add.1 - Para.3"
    assert first.position == Position.SUPPORTED
    assert terms(first, GROUPS_OF_PERSONS) == ["Persons deprived of their liberty"]
    assert terms(first, SDG_GOALS) == ["16"]
    assert all(
        label.origin == "A/HRC/52/10" and label.source == "document" for label in first.labels
    )
    assert joint.position == Position.SUPPORTED_IN_PART
    assert joint.text == "Ratify the Kampala Convention; Domesticate the Kampala Convention"
    assert joint.recommending_states == ("UGA", "ZMB")
    assert terms(joint, THEMES) == [
        "Ratification of & accession to international instruments",
        "Internally displaced persons",
    ]
    assert terms(joint, SDG_GOALS) == ["16", "1"]
    # "(No. 189)" is part of the text, not a recommending State.
    assert noted.text.endswith("Convention, 2011 (No. 189) is applied to displaced women")
    assert noted.recommending_states == ("IRN", "BIH")
    assert noted.position == Position.NOTED


def test_it_reads_the_2014_layout_with_legacy_theme_codes() -> None:
    records = list(OhchrMatrixImporter().read(FIXTURES / "thematic_list_2014.docx"))
    assert [(r.paragraph, r.country, r.session, r.cycle) for r in records] == [
        ("124.3", "IRQ", "20", 2),
        ("124.17", "IRQ", "20", 2),
    ]
    assert terms(records[0], THEMES) == [
        "Constitutional and legislative framework",
        "Internally displaced persons",
    ]
    assert terms(records[0], GROUPS_OF_PERSONS) == ["internally displaced persons"]
    assert records[0].heading == "Constitutional and legislative framework"
    assert records[1].recommending_states == ("VAT", "CZE")


def test_it_keys_records_on_the_report_symbol_and_paragraph() -> None:
    first = list(OhchrMatrixImporter().read(FIXTURES / "thematic_list_2025.docx"))
    again = list(OhchrMatrixImporter().read(FIXTURES / "thematic_list_2025.docx"))
    assert [r.natural_key() for r in first] == [r.natural_key() for r in again]
    assert len({r.natural_key() for r in first}) == 3


def test_it_claims_matrices_and_not_other_word_documents(tmp_path: Path) -> None:
    import docx

    other = tmp_path / "letter.docx"
    document = docx.Document()
    document.add_paragraph("Dear colleagues, please find attached the report.")
    document.save(other)
    importer = OhchrMatrixImporter()
    assert importer.sniff(FIXTURES / "thematic_list_2014.docx") == 9
    assert importer.sniff(other) == 0
    assert guess_importer_kind(FIXTURES / "thematic_list_2025.docx") == "ohchr-matrix"
    with pytest.raises(ImportFormatError, match=r"letter.docx: no table with a 'Recommendation'"):
        list(importer.read(other))


def test_it_names_the_row_of_an_unknown_state(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "matrix.docx"
    document = docx.Document(FIXTURES / "thematic_list_2014.docx")
    document.tables[0].rows[3].cells[0].text = (
        "124.17 Consider abolishing the death penalty (Atlantis);\n"
        "Source of position: A/HRC/28/14/Add.1 - Para. 3"
    )
    document.save(path)
    with pytest.raises(ImportFormatError) as error:
        list(OhchrMatrixImporter().read(path))
    assert str(error.value) == f"{path}, row 4, column 'Recommendation': unknown State 'Atlantis'"


def test_it_rejects_a_truncated_document(tmp_path: Path) -> None:
    path = tmp_path / "cut.docx"
    path.write_bytes((FIXTURES / "thematic_list_2025.docx").read_bytes()[:5000])
    with pytest.raises(ImportFormatError, match=r"cut.docx: not a readable DOCX"):
        list(OhchrMatrixImporter().read(path))
    assert OhchrMatrixImporter().sniff(path) == 0


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("name", "symbol", "total", "supported", "noted", "themes", "groups", "sdgs"),
    [
        ("cycle2_UPR20", "A/HRC/28/15", 163, 142, 21, 53, 13, 0),
        ("cycle3_UPR34", "A/HRC/43/15", 215, 182, 33, 62, 26, 13),
        ("cycle4_UPR48", "A/HRC/59/15", 254, 217, 37, 60, 24, 12),
    ],
)
def test_it_reads_every_recommendation_of_the_slovenia_lists(
    shared_raw, name, symbol, total, supported, noted, themes, groups, sdgs
) -> None:
    path = (
        shared_raw / "upr-slovenia-docs" / "thematic-lists" / f"{name}_Slovenia_thematic_list.docx"
    )
    records = list(OhchrMatrixImporter().read(path))
    assert len(records) == total
    assert len({r.paragraph for r in records}) == total
    assert Counter(r.position for r in records) == {"supported": supported, "noted": noted}
    assert {r.country for r in records} == {"SVN"}
    assert {r.document_symbol for r in records} == {symbol}
    assert all(r.recommending_states and r.text for r in records)
    by_taxonomy: dict[str, set[str]] = {}
    for record in records:
        for label in record.labels:
            by_taxonomy.setdefault(label.taxonomy, set()).add(label.term)
    # Older lists print some legacy names: those go to the legacy lists.
    assert len(by_taxonomy[THEMES] | by_taxonomy.get(LEGACY_THEMES, set())) == themes
    assert (
        len(by_taxonomy[GROUPS_OF_PERSONS] | by_taxonomy.get(LEGACY_GROUPS_OF_PERSONS, set()))
        == groups
    )
    assert len(by_taxonomy.get(SDG_GOALS, ())) == sdgs
