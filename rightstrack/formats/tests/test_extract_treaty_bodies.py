"""Concluding observations of each treaty body, in its own phrasing (our own fixtures, modelled
on the layouts of CCPR, CESCR, CAT, CERD and CRC documents; issue 14, 3c)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rightstrack.formats.extract import extract_document
from rightstrack.formats.extract.concluding_observations import _paragraph_refs, sub_items

FIXTURES = Path(__file__).parent / "fixtures" / "extract"


def _by_number(name: str):  # type: ignore[no-untyped-def]
    return {r.paragraph: r for r in extract_document(FIXTURES / name)}


def test_the_human_rights_committee_recommends_with_state_party_should() -> None:
    records = _by_number("co_ccpr_sample.txt")
    assert list(records) == ["4", "6", "8", "9", "10"]
    assert records["4"].body == "CCPR" and records["4"].country == "URY"
    # "In accordance with rule 75, paragraph 1, ..., by 24 March 2026, ... paragraphs 4 (...),
    # 6 (...) and 8 (...)": a date, not a delay; rule 75's "paragraph 1" is no selection.
    assert [n for n, r in records.items() if r.follow_up] == ["4", "6", "8"]
    assert records["6"].follow_up_due_date == date(2026, 3, 24)
    assert "1" not in records
    assert [label for label, _ in records["6"].sub_items] == ["a", "b"]


def test_cescr_names_each_paragraphs_topic_in_its_follow_up_request() -> None:
    records = _by_number("co_cescr_sample.txt")
    assert list(records) == ["4", "6", "8", "9", "10", "11", "12"]
    assert [n for n, r in records.items() if r.follow_up] == ["4", "6"]
    assert records["6"].extra["follow_up_items"] == "6(a)"
    assert records["4"].follow_up_due_date == date(2024, 10, 20)  # within 24 months
    assert records["4"].next_report_due == date(2027, 10, 31)
    assert records["10"].extra["procedural"] == "true"  # dissemination counts


def test_cat_selects_sub_items_with_paras_and_a_date() -> None:
    records = _by_number("co_cat_sample.txt")
    assert list(records) == ["6", "8", "9", "10", "11", "12"]  # "requested" in 4 is history
    assert records["8"].extra["follow_up_items"] == "8(b); 8(c)"
    assert records["6"].follow_up_due_date == date(2023, 5, 12)
    assert records["11"].text.startswith("The State party is requested to disseminate")
    assert records["6"].next_report_due == date(2026, 5, 12)


def test_cerd_follow_up_and_paragraphs_of_particular_importance() -> None:
    records = _by_number("co_cerd_sample.txt")
    assert list(records) == ["5", "7", "8", "9", "10", "11", "12", "13"]
    assert [n for n, r in records.items() if r.follow_up] == ["5", "7"]
    assert records["5"].extra["follow_up_items"] == "5(a); 5(b)"
    assert records["7"].follow_up_due_date == date(2020, 1, 3)  # within one year
    assert [n for n, r in records.items() if r.urgent] == ["8"]
    # "paragraphs 5 (a) and (b) and 7" is a reference, not a list of sub-items.
    assert records["11"].sub_items == ()


def test_crc_urgent_measures_named_before_the_areas() -> None:
    records = _by_number("co_crc_sample.txt")
    assert list(records) == ["4", "7", "9", "11", "13", "14", "15"]
    assert [n for n, r in records.items() if r.urgent] == ["7", "9", "11", "13"]
    assert not any(r.follow_up for r in records.values())
    assert [r.paragraph for r in records.values() if r.extra.get("procedural")] == ["14", "15"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "paragraphs 8 (equality and non-discrimination) and 52 (work and employment).",
            {"8": "", "52": ""},
        ),
        ("paragraphs 8, on general obligations, 20, on the right to life.", {"8": "", "20": ""}),
        ("(see paras. 12 (a), 20 (b) and (c) and 31 (d) above).", None),
        ("rule 75, paragraph 1, of the rules of procedure ... paragraph 9 above.", {"9": ""}),
        ("article 35, paragraph 2, of the Convention ... paragraph 37 above.", {"37": ""}),
    ],
)
def test_it_reads_paragraph_references(text: str, expected: dict[str, str] | None) -> None:
    refs = _paragraph_refs(text)
    if expected is None:
        assert refs == {"12": "12(a)", "20": "20(b); 20(c)", "31": "31(d)"}
    else:
        assert refs == expected


def test_sub_items_start_after_a_colon_and_run_in_order() -> None:
    text = (
        "The Committee recommends that the State party: (a) Adopt a law; (b) Fund it; and (c) Act."
    )
    assert sub_items(text) == (("a", "Adopt a law"), ("b", "Fund it"), ("c", "Act."))
    assert sub_items("as set out in paragraphs 5 (a) and (b) above.") == ()
