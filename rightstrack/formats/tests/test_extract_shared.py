"""Extraction on the real documents in ../shared/data/raw (skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rightstrack.formats.exceptions import UnrecognisedDocument
from rightstrack.formats.extract import extract_document

pytestmark = pytest.mark.shared_data

CRPD = "crpd-concluding-observations-sample"

# Checked by hand against the PDF text (pypdf output read paragraph by paragraph): the
# paragraphs of "Principal areas of concern and recommendations" in which the Committee
# recommends, urges, calls upon, encourages, invites or requests; and the paragraphs selected
# for follow-up ("within 12 months ... paragraphs ..."). Since issue 14 the closing paragraphs
# in which the Committee requests or recommends (follow-up, dissemination, next report) count
# too; each of the 26 was read and recommends or requests something of the State party.
HAND_CHECKED = {
    "Slovenia_2018_CRPD_C_SVN_CO_1.pdf": (
        [
            "5",
            "7",
            "9",
            "11",
            "13",
            "15",
            "17",
            "19",
            "21",
            "23",
            "24",
            "26",
            "28",
            "30",
            "32",
            "34",
            "36",
            "38",
            "40",
            "42",
            "44",
            "46",
            "48",
            "50",
            "52",
            "54",
            "56",
            "58",
            "59",
            "60",
            "61",
            "62",
            "63",
        ],
        [],
    ),
    "Tunisia_UnknownYear_CRPD_C_TUN_CO_1.pdf": (
        [
            "9",
            "10",
            "11",
            "13",
            "15",
            "17",
            "19",
            "21",
            "23",
            "25",
            "27",
            "29",
            "32",
            "34",
            "35",
            "37",
            "39",
            "40",
            "42",
            "43",
            "44",
            "45",
            "46",
            "47",
            "48",
        ],
        [],
    ),
    "Kenya_2015_CRPD_C_KEN_CO_1.pdf": (
        [*map(str, range(6, 61, 2)), "62", "63", "64", "65"],
        ["60"],
    ),
    "Germany_2015_CRPD_C_DEU_CO_1.pdf": (
        [*map(str, range(6, 63, 2)), *map(str, range(63, 68))],
        ["36"],
    ),
    "Canada_2017_CRPD_C_CAN_CO_1.pdf": (
        [*map(str, range(8, 59, 2)), *map(str, range(60, 65))],
        ["8", "14"],
    ),
    "Azerbaijan_2014_CRPD_C_AZE_CO_1.pdf": (
        [
            "9",
            "11",  # "The State party should ...": a recommendation (issue 14)
            "13",
            "15",
            "17",
            "19",
            "21",
            "23",
            "25",
            "27",
            "29",
            "31",
            "33",
            "35",
            "37",
            "39",
            "41",
            "43",  # likewise
            "45",
            "47",
            "50",
            "51",
            "52",  # "The Committee calls for the integration of ...": a request
            "53",
            "54",
            "55",
            "56",
            "57",
        ],
        ["37"],
    ),
}


@pytest.mark.parametrize("name", sorted(HAND_CHECKED))
def test_it_finds_the_hand_checked_paragraphs(shared_raw: Path, name: str) -> None:
    records = extract_document(shared_raw / CRPD / name)
    expected, follow_up = HAND_CHECKED[name]
    assert [r.paragraph for r in records] == expected
    assert [r.paragraph for r in records if r.follow_up] == follow_up


def test_it_reads_every_concluding_observation_plausibly(shared_raw: Path) -> None:
    folder = shared_raw / CRPD
    for path in sorted(folder.glob("*.pdf")):
        if "_Add." in path.name:
            with pytest.raises(UnrecognisedDocument, match="not concluding observations"):
                extract_document(path)
            continue
        records = extract_document(path)
        # SOURCE.md says 11-36; the 2022-2025 COs (China, EU) carry more (42, 49).
        assert 15 <= len(records) <= 55, path.name
        assert records[0].country and records[0].document_date, path.name
        assert records[0].document_symbol.startswith("CRPD/C/"), path.name
        assert all(r.text and r.source_page for r in records), path.name


def test_it_reads_the_french_concluding_observations(shared_raw: Path) -> None:
    records = extract_document(shared_raw / CRPD / "Ecuador_2019_CRPD_C_ECU_CO_2-3.pdf")
    assert records[0].language == "fr" and records[0].country == "ECU"
    assert len(records) == 32  # 27 in the areas of concern, 5 closing ones
    assert records[0].extra["next_report_due"] == "2026-05-03"


def test_it_computes_the_follow_up_due_date(shared_raw: Path) -> None:
    records = extract_document(shared_raw / CRPD / "Canada_2017_CRPD_C_CAN_CO_1.pdf")
    chosen = [r for r in records if r.follow_up]
    assert {r.follow_up_due for r in chosen} == {"2018-05-08"}  # 8 May 2017 + 12 months
    assert chosen[1].extra["follow_up_items"] == "14(c)"


SLOVENIA = {
    2: (28, "cycle2_UPR20", 163),
    3: (43, "cycle3_UPR34", 215),
    4: (59, "cycle4_UPR48", 254),
}


@pytest.mark.parametrize("cycle", sorted(SLOVENIA))
def test_it_matches_the_slovenia_matrices(shared_raw: Path, cycle: int) -> None:
    from rightstrack.formats.importers.ohchr_matrix import OhchrMatrixImporter

    session, matrix_name, count = SLOVENIA[cycle]
    base = shared_raw / "upr-slovenia-docs"
    ours = extract_document(
        base / "wg-reports" / f"A_HRC_{session}_15_cycle{cycle}.pdf",
        positions=base / "addenda-responses" / f"A_HRC_{session}_15_Add1_cycle{cycle}.pdf",
    )
    (matrix_path,) = (base / "thematic-lists").glob(f"{matrix_name}*.docx")
    matrix = {r.paragraph: r for r in OhchrMatrixImporter().read(matrix_path)}
    assert len(ours) == len(matrix) == count
    agree = sum(
        1 for r in ours if r.paragraph in matrix and r.position == matrix[r.paragraph].position
    )
    assert agree / count >= 0.98
    same_states = sum(
        1
        for r in ours
        if set(r.recommending_states) == set(matrix[r.paragraph].recommending_states)
    )
    assert same_states / count >= 0.98


def test_it_reads_the_cycle_1_report(shared_raw: Path) -> None:
    base = shared_raw / "upr-slovenia-docs"
    records = extract_document(
        base / "wg-reports" / "A_HRC_14_15_cycle1.pdf",
        positions=base / "addenda-responses" / "A_HRC_14_15_Add1_cycle1.pdf",
    )
    assert len(records) == 97
    assert records[0].paragraph == "111.1"
    assert records[0].recommending_states == ("DZA", "EGY", "BIH", "ARG")
    # Every recommendation has its position from the numbered replies (issue 14, 3d: 44 before),
    # grouped replies ("5., 6., 7., 8., 9.") included; a joint recommendation keeps each State.
    assert all(r.position for r in records)
    by_number = {r.paragraph: r for r in records}
    assert {by_number[f"111.{n}"].position for n in range(5, 10)} == {"supported"}
    assert by_number["111.84"].position == "noted"  # "Slovenia cannot accept the recommendation"
    assert by_number["111.32"].position == "supported_in_part"
    assert by_number["111.2"].recommending_states == ("ESP", "ARG")
