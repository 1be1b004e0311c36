"""OHCHR matrices in every layout since 2012 (our own fixtures, fixtures/extract/matrix_*.docx,
written by make_matrix_fixtures.py), and the generic reader on the real Slovenia matrices."""

from __future__ import annotations

from pathlib import Path

import pytest

from rightstrack.formats.exceptions import ImportFormatError
from rightstrack.formats.extract import extract_document, is_matrix
from rightstrack.formats.extract.matrix import read_matrix
from rightstrack.formats.importers.ohchr_matrix import OhchrMatrixImporter

FIXTURES = Path(__file__).parent / "fixtures" / "extract"


def _terms(record, taxonomy_prefix: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [label.term for label in record.labels if label.taxonomy.startswith(taxonomy_prefix)]


def test_it_reads_the_older_layout_with_a_state_column_and_right_or_area_rows() -> None:
    path = FIXTURES / "matrix_2012_right_or_area.docx"
    with pytest.raises(ImportFormatError, match="no paragraph number"):
        list(OhchrMatrixImporter().read(path))  # the fixed 2014-2025 reader refuses it
    records = extract_document(path)
    assert [r.paragraph for r in records] == ["72.1", "72.2", "72.3", "72.4"]
    assert [r.recommending_states for r in records] == [
        ("PRT",),
        ("HUN", "SVK"),
        ("CAN",),
        ("NLD",),
    ]
    assert [r.position for r in records] == ["supported", "supported", "noted", "noted"]
    assert (records[0].country, records[0].session, records[0].cycle) == ("GHA", "2", 1)
    assert records[2].heading == "Discrimination against women"  # "29.1." code dropped
    assert (
        records[2].text == "Repeal the provisions of customary law that discriminate against widows"
    )
    # 72.1 is listed under two areas: one record carrying both.
    assert _terms(records[0], "uhri_themes") == [
        "Acceptance of international norms",
        "Discrimination against women",
    ]


def test_it_reads_a_title_row_a_number_column_and_themes_alone_in_their_rows() -> None:
    path = FIXTURES / "matrix_2014_title_row.docx"
    assert is_matrix(path)
    records = extract_document(path)
    assert [r.paragraph for r in records] == ["121.14", "121.15", "121.40"]
    assert records[0].recommending_states == ("ISL", "NOR")
    assert records[0].position == "supported_in_part"  # "Supported/Noted"
    assert records[0].position_source == "A/HRC/26/5/Add.1"
    assert records[0].document_symbol == "A/HRC/26/5"
    assert records[1].recommending_states == ("SVN",)  # in brackets, the column empty
    assert records[1].text.startswith("Decriminalize abortion")
    assert (records[2].position, records[2].heading) == ("", "Right to education")  # Pending
    assert (records[0].country, records[0].session, records[0].cycle) == ("CHL", "18", 2)
    assert _terms(records[0], "groups_of_persons") == ["women"]


@pytest.mark.parametrize(
    ("name", "paragraphs", "themes", "groups", "sdgs"),
    [
        (
            "matrix_2016_theme_codes.docx",
            ["116.3", "116.9"],
            ["Constitutional and legislative framework", "Right to an effective remedy"],
            ["human rights defenders"],
            [],
        ),
        (
            "matrix_2019_bullets.docx",
            ["142.1", "142.2"],
            ["Acceptance of international norms", "Right to a nationality"],
            ["Stateless persons"],
            ["16"],
        ),
        (
            "matrix_2024_groups.docx",
            ["157.1", "157.2"],
            ["Ratification of & accession to international instruments", "Enforced disappearances"],
            ["Disappeared persons"],
            ["16"],
        ),
    ],
)
def test_the_generic_reader_agrees_with_the_importer_on_the_later_layouts(
    name: str, paragraphs: list[str], themes: list[str], groups: list[str], sdgs: list[str]
) -> None:
    path = FIXTURES / name
    records = read_matrix(path)
    assert records == list(OhchrMatrixImporter().read(path))
    assert [r.paragraph for r in records] == paragraphs
    assert _terms(records[0], "uhri_themes") == themes
    assert _terms(records[0], "groups_of_persons") == groups
    assert _terms(records[0], "sdg_") == sdgs
    assert all(r.recommending_states for r in records)


def test_a_row_without_state_names_its_row(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "UPR of Ghana (1st Cycle – 2nd session)"
    table = document.add_table(rows=3, cols=3)
    for cells, row in zip(
        table.rows,
        [
            ["Recommendation", "Recommending State", "Position"],
            ["72.1. Ratify the Convention", "Portugal", "Supported"],
            ["72.2. Adopt a law", "Atlantis", "Supported"],
        ],
        strict=True,
    ):
        for cell, text in zip(cells.cells, row, strict=True):
            cell.text = text
    path = tmp_path / "matrix.docx"
    document.save(path)
    with pytest.raises(ImportFormatError, match=r"row 3.*unknown State 'Atlantis'"):
        read_matrix(path)


@pytest.mark.shared_data
@pytest.mark.parametrize("cycle", [2, 3, 4])
def test_the_generic_reader_reads_the_slovenia_matrices_as_the_importer(
    shared_raw: Path, cycle: int
) -> None:
    session = {2: 20, 3: 34, 4: 48}[cycle]
    path = (
        shared_raw
        / f"upr-slovenia-docs/thematic-lists/cycle{cycle}_UPR{session}_Slovenia_thematic_list.docx"
    )
    if not path.exists():
        pytest.skip(f"{path} is absent")
    assert read_matrix(path) == list(OhchrMatrixImporter().read(path))
