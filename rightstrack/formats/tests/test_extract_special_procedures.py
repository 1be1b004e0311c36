"""Special procedures country visit reports of several mandates (our own fixtures, modelled on
the layouts of published A/HRC/<s>/<n>/Add.<k> reports; issue 14, 3e)."""

from __future__ import annotations

from pathlib import Path

from rightstrack.formats.extract import detect, extract_document

FIXTURES = Path(__file__).parent / "fixtures" / "extract"


def _records(name: str):  # type: ignore[no-untyped-def]
    return extract_document(FIXTURES / name)


def test_torture_conclusions_are_not_recommendations_and_items_carry_topic_headings() -> None:
    records = _records("sp_torture_visit.txt")
    # Paragraph 8 ("she is concerned that prison staff should receive ...") is a conclusion.
    assert [r.paragraph for r in records] == ["9", "10", "11"]
    first = records[0]
    assert first.body.startswith("Special Rapporteur on torture and other cruel, inhuman")
    assert (first.country, first.document_symbol) == ("GEO", "A/HRC/58/55/Add.2")
    assert [label for label, _ in first.sub_items] == ["a", "b", "c", "d"]
    # The "Investigations" heading between (b) and (c) is not part of (b).
    assert first.sub_items[1] == ("b", "Record every arrest in a central register")
    assert [r.heading for r in records] == [
        "the Government",
        "the national preventive mechanism",
        "the international community",
    ]


def test_arbitrary_detention_recommendations_section_and_its_follow_up_request() -> None:
    records = _records("sp_wgad_visit.txt")
    assert [r.paragraph for r in records] == ["6", "7", "8", "9"]
    assert records[0].body == "Working Group on Arbitrary Detention"
    assert records[0].country == "BTN"
    assert records[1].text.startswith("The Government should ensure")
    assert records[3].extra == {"procedural": "true"}  # "requests the Government to disseminate"
    assert "5" not in [r.paragraph for r in records]  # "is concerned about" (Conclusions)


def test_business_and_human_rights_addresses_several_actors() -> None:
    records = _records("sp_business_visit.txt")
    assert [r.paragraph for r in records] == ["5", "6", "7", "8"]  # 4 only welcomes
    assert [r.heading for r in records] == [
        "the Government",
        "business enterprises",
        "the national human rights institution",
        "civil society",
    ]
    assert records[0].body.endswith("transnational corporations and other business enterprises")


def test_housing_recommendations_announced_once_then_imperative_paragraphs() -> None:
    records = _records("sp_housing_visit.txt")
    assert [r.paragraph for r in records] == ["5", "6", "7"]
    assert {r.heading for r in records} == {"the Government"}
    assert records[0].body.startswith("Special Rapporteur on adequate housing as a component")
    assert records[0].country == "HND"


def test_each_is_recognised_as_a_special_procedures_report() -> None:
    for name in ("sp_torture_visit.txt", "sp_wgad_visit.txt", "sp_business_visit.txt"):
        assert detect(FIXTURES / name)[0] == "special-procedures", name
