"""Extraction from small hand-written documents in the UN layouts (fixtures/extract/)."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest

from rightstrack.cli import main
from rightstrack.formats.exceptions import InputError, UnrecognisedDocument
from rightstrack.formats.extract import COLUMNS, extract_document, records_to_rows
from rightstrack.formats.extract.upr_report import expand_numbers, split_states
from rightstrack.formats.importers.document import DocumentImporter

FIXTURES = Path(__file__).parent / "fixtures" / "extract"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fp:
        return list(csv.DictReader(fp))


def test_it_extracts_concluding_observations_with_follow_up_and_due_dates() -> None:
    records = extract_document(FIXTURES / "co_crpd_sample.txt")
    # The closing paragraphs that request something (follow-up, dissemination, next report)
    # count too, marked procedural (issue 14, 3c).
    assert [r.paragraph for r in records] == ["4", "6", "7", "8", "9", "10"]
    assert [r.paragraph for r in records if r.extra.get("procedural")] == ["8", "9", "10"]
    first = records[0]
    assert (first.document_symbol, first.body, first.country) == ("CRPD/C/NPL/CO/1", "CRPD", "NPL")
    assert first.text.startswith("The Committee recommends that the State Party: (a) Review")
    assert "(b) Remove derogatory language from all legislation." in first.text  # footnote 12 gone
    assert first.concern_paragraph == "3"
    assert first.heading == "A. General principles and obligations (arts. 1–4)"
    assert records[1].heading == "Equality and non-discrimination (art. 5)"
    assert [r.follow_up for r in records] == [True, True, False, False, False, False]
    assert first.follow_up_due == "2025-04-10"  # 10 April 2024 + 12 months
    assert first.follow_up_due_date == date(2025, 4, 10)
    assert first.next_report_due == date(2030, 5, 10)
    assert first.sub_items == (
        ("a", "Review its legislation with a view to harmonizing it with the Convention"),
        ("b", "Remove derogatory language from all legislation."),
    )
    assert first.extra["next_report_due"] == "2030-05-10"
    assert records[1].source_page == 2


def test_it_reads_html_concluding_observations() -> None:
    record, closing = extract_document(FIXTURES / "co_cedaw_sample.html")
    assert closing.extra["procedural"] == "true" and not closing.follow_up
    assert (record.body, record.country, record.paragraph) == ("CEDAW", "PRY", "3")
    assert record.follow_up and record.follow_up_due == "2025-11-05"  # within two years


def test_it_extracts_upr_recommendations_with_states_and_positions() -> None:
    records = extract_document(
        FIXTURES / "upr_wg_report.txt", positions=FIXTURES / "upr_addendum.txt"
    )
    assert [r.paragraph for r in records] == ["118.1", "118.2", "118.3", "118.4", "118.5"]
    assert records[0].country == "BOL"
    assert records[0].recommending_states == ("CIV", "NAM")
    assert records[1].recommending_states == ("SVK", "ESP")
    assert records[2].recommending_states == ("GBR",)
    assert records[3].recommending_states == ("UKR", "VEN")
    assert records[3].text == "Adopt a law against hate speech; Combat hate speech online"
    assert records[4].text.endswith("(No. 3 of 2020)")
    assert [r.position for r in records] == ["supported"] * 3 + ["noted", "supported"]
    assert records[0].position_source == "A/HRC/55/12/Add.1"


def test_it_splits_recommending_states() -> None:
    assert split_states("Do it (Côte d'Ivoire) (Namibia);") == ("Do it", ["CIV", "NAM"])
    assert split_states("Do it (Bolivia (Plurinational State of), Spain).") == (
        "Do it",
        ["BOL", "ESP"],
    )
    assert split_states("Ratify Convention No. 189 (No. 189)") == (
        "Ratify Convention No. 189 (No. 189)",
        [],
    )


def test_it_expands_number_lists() -> None:
    assert expand_numbers("118.1-118.3, 118.7, 122.17-18") == [
        "118.1",
        "118.2",
        "118.3",
        "118.7",
        "122.17",
        "122.18",
    ]
    assert expand_numbers("1–3, 150 – 152") == ["1", "2", "3", "150", "151", "152"]


def test_it_groups_special_procedures_recommendations_by_addressee() -> None:
    records = extract_document(FIXTURES / "sp_visit_report.txt")
    assert [r.paragraph for r in records] == ["6", "7", "8"]
    assert (
        records[0].body == "Special Rapporteur on the human rights of internally displaced persons"
    )
    assert records[0].country == "MOZ"
    assert records[0].document_symbol == "A/HRC/56/47/Add.1"
    assert [r.heading for r in records] == [
        "the Government",
        "the Government",
        "the international community",
    ]
    assert "(b) Issue civil documentation" in records[0].text


def test_it_rejects_documents_it_does_not_recognise() -> None:
    with pytest.raises(UnrecognisedDocument, match="expected treaty body concluding observations"):
        extract_document(FIXTURES / "not_un_document.txt")


def test_it_names_the_file_when_a_pdf_is_unreadable() -> None:
    with pytest.raises(InputError, match=r"broken\.pdf: not a readable PDF"):
        extract_document(FIXTURES / "broken.pdf")


def test_it_writes_the_contract_columns(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    status = main(
        [
            "extract",
            str(FIXTURES / "upr_wg_report.txt"),
            "-o",
            str(out),
            "--positions",
            str(FIXTURES / "upr_addendum.txt"),
        ]
    )
    assert status == 0
    rows = _rows(out)
    assert list(rows[0]) == COLUMNS
    assert COLUMNS[:13] == [
        "document_symbol",
        "mechanism",
        "body",
        "country",
        "paragraph",
        "text",
        "recommending_states",
        "position",
        "themes",
        "affected_persons",
        "sdg_targets",
        "follow_up",
        "follow_up_due",
    ]
    assert rows[0]["country"] == "Bolivia (Plurinational State of)"
    assert rows[0]["recommending_states"] == "Côte d'Ivoire; Namibia"
    assert rows[0]["follow_up"] == "false"
    assert rows[0]["source_file"] == "upr_wg_report.txt"


def test_it_exits_2_and_writes_nothing_on_bad_input(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out.csv"
    assert main(["extract", str(FIXTURES / "not_un_document.txt"), "-o", str(out)]) == 2
    assert not out.exists()
    assert "not_un_document.txt" in capsys.readouterr().err


def test_it_rows_booleans_and_lists_as_the_contract_says() -> None:
    rows = records_to_rows(extract_document(FIXTURES / "co_crpd_sample.txt"))
    assert rows[0]["follow_up"] is True and rows[0]["country"] == "Nepal"


def test_the_importer_sniffs_un_documents_and_reads_them() -> None:
    importer = DocumentImporter()
    assert importer.sniff(FIXTURES / "co_crpd_sample.txt") > 1
    assert importer.sniff(FIXTURES / "not_un_document.txt") == 0
    assert [r.paragraph for r in importer.read(FIXTURES / "sp_visit_report.txt")] == ["6", "7", "8"]


def test_it_reads_a_cycle_1_report_saved_as_one_line_in_mac_roman() -> None:
    # Old pdftotext outputs: no line breaks at all, Mac Roman quotes, a page's footnote
    # ("** The conclusions ... not been edited.") left between two recommendations.
    records = extract_document(FIXTURES / "upr_cycle1_one_line.txt")
    assert [r.paragraph for r in records] == ["91.1", "91.2", "91.3", "92.1", "92.2", "93.1"]
    assert [r.position for r in records] == ["supported"] * 3 + ["", "", "noted"]
    assert records[0].country == "TUV" and records[0].cycle == 1
    assert (
        records[1].text
        == "Adopt a national action plan on women’s rights; strengthen the ombudsman’s office"
    )
    assert records[1].recommending_states == ("NOR", "GHA")
    assert records[5].text == "Repeal the “public order” law of 1998"


def test_it_joins_numbers_printed_on_a_line_of_their_own(tmp_path: Path) -> None:
    text = (FIXTURES / "upr_wg_report.txt").read_text(encoding="utf-8")
    report = tmp_path / "report.txt"
    report.write_text(re.sub(r"^(118\.\d) ", r"\1.\n", text, flags=re.M), encoding="utf-8")
    records = extract_document(report)
    assert [r.paragraph for r in records] == ["118.1", "118.2", "118.3", "118.4", "118.5"]
    assert records[0].text == "Ratify the Optional Protocol to the Convention against Torture"


def test_it_keeps_a_non_state_group_before_the_states_of_a_merged_recommendation() -> None:
    assert split_states("Ratify it (ICPPED) (Sierra Leone); Ratify ICPPED (Togo);") == (
        "Ratify it (ICPPED); Ratify ICPPED",
        ["SLE", "TGO"],
    )


def test_it_finds_cycle_1_items_numbered_inside_their_paragraph(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text(
        "Distr.: General\n4 June 2010\nHuman Rights Council\nFourteenth session\n"
        "Report of the Working Group on the Universal Periodic Review\nTuvalu\n"
        "II. Conclusions and/or recommendations\n"
        "70. The recommendations formulated during the interactive dialogue have been examined\n"
        "by Tuvalu and the recommendations listed below enjoy the support of Tuvalu: 1. Ratify\n"
        "the Convention against Torture (France); 2. Adopt a law on domestic violence, as in\n"
        "article 2. Enact it soon (Chile, Ghana); 3. Establish a national human rights\n"
        "institution (New Zealand).\n"
        "71. The following recommendations did not enjoy the support of Tuvalu: 1. Abolish the\n"
        "death penalty (Italy).\n"
        "72. All conclusions and/or recommendations contained in the present report reflect the\n"
        "position of the submitting State(s) and/or the State under review.\n",
        encoding="utf-8",
    )
    records = extract_document(report)
    assert [(r.paragraph, r.position) for r in records] == [
        ("70.1", "supported"),
        ("70.2", "supported"),
        ("70.3", "supported"),
        ("71.1", "noted"),
    ]
    assert records[1].text == "Adopt a law on domestic violence, as in article 2. Enact it soon"
    assert records[1].recommending_states == ("CHL", "GHA")


def test_it_reads_a_upr_recommendations_section_on_its_own(tmp_path: Path) -> None:
    # One "140.1 Ratify ... (Portugal);" per line, no title page and no heading (issue 14, 3a).
    records = extract_document(FIXTURES / "upr_section_only.txt")
    assert [r.paragraph for r in records] == ["140.1", "140.2", "140.3", "140.4", "140.5", "141.1"]
    assert records[1].recommending_states == ("LKA", "EGY")
    assert records[4].recommending_states == ("BOL",)
    assert records[4].text.endswith("living in border areas")
    assert records[0].country == ""  # nothing names the State under review
    assert {r.mechanism for r in records} == {"upr"}
    # With the introductory paragraph, the position and the State under review are read.
    text = (FIXTURES / "upr_section_only.txt").read_text(encoding="utf-8")
    head = "140. The following recommendations enjoy the support of Costa Rica:\n"
    section = tmp_path / "section.txt"
    section.write_text(head + text.split("141.1")[0], encoding="utf-8")
    records = extract_document(section)
    assert [(r.paragraph, r.position, r.country) for r in records][-1] == (
        "140.5",
        "supported",
        "CRI",
    )


def test_a_numbered_list_without_states_is_not_a_upr_section(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_text(
        "1.1 Buy bread at the corner shop.\n1.2 Walk the dog twice.\n1.3 Water the plants.\n",
        encoding="utf-8",
    )
    with pytest.raises(UnrecognisedDocument):
        extract_document(path)


def test_it_reads_an_older_addendum_of_numbered_and_grouped_replies() -> None:
    # Cycle 1 (issue 14, 3d): "1. Estonia accepts the recommendation", "2., 3., 4.," run on to
    # "5." on the next line, a reply accepting one part and not the other, a reply making no
    # statement; a joint recommendation keeps each of its States.
    records = extract_document(
        FIXTURES / "upr_cycle1_report.txt", positions=FIXTURES / "upr_cycle1_addendum.txt"
    )
    assert [r.paragraph for r in records] == [f"85.{n}" for n in range(1, 9)]
    assert records[0].recommending_states == ("FRA", "CHL")
    assert [r.position for r in records] == [
        "supported",
        "supported",
        "supported",
        "supported",
        "supported",
        "supported_in_part",
        "noted",
        "noted",
    ]
    assert records[0].position_source == "A/HRC/13/11/Add.1"
    assert records[7].recommending_states == ("RUS",)
