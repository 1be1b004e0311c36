from __future__ import annotations

import sys

import pytest

from rightstrack.engine.analyse.action import classify_actions, operative_text


def categorise(text: str) -> tuple[int, str]:
    result = classify_actions([text])[0]
    return result.category, result.verb


def test_it_reads_consider_as_considering_action() -> None:
    assert categorise("Consider ratifying the OP-CAT") == (3, "consider")


def test_it_reads_continue_as_continuing_action() -> None:
    assert categorise("Continue its efforts to combat trafficking in persons")[0] == 2


def test_it_reads_ratify_as_specific_action_with_the_verb() -> None:
    assert categorise("Ratify the Convention on the Rights of Persons with Disabilities") == (
        5,
        "ratify",
    )


def test_it_reads_take_measures_as_general_action() -> None:
    category, verb = categorise("Take measures to improve the situation of women in rural areas")
    assert (category, verb) == (4, "take")


def test_it_reads_seek_assistance_as_minimal_action() -> None:
    assert categorise("Seek technical assistance from OHCHR to prepare its reports")[0] == 1


def test_it_reads_treaty_body_phrasing_after_the_preamble() -> None:
    text = (
        "The Committee recommends that the State party: "
        "(a) Adopt a law on statelessness determination"
    )
    assert operative_text(text).startswith("Adopt a law")
    assert categorise(text) == (5, "adopt a law")
    assert categorise("The Committee urges the State party to ratify the Optional Protocol")[0] == 5
    assert categorise("The State party should consider acceding to the 1961 Convention")[0] == 3


def test_it_gives_a_reason_and_confidence_for_model_decisions() -> None:
    result = classify_actions(["Adopt measures to reduce prison overcrowding"])[0]
    assert result.reason.startswith("model:")
    assert 0.0 < result.confidence <= 1.0
    assert result.category == 4


def test_it_works_without_the_model() -> None:
    results = classify_actions(["Ratify the ICRMW", "Ensure access to education"], use_model=False)
    assert [r.category for r in results] == [5, 4]


@pytest.mark.shared_data
def test_it_keeps_accuracy_on_held_out_upr_info_sessions(shared_raw) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
    from train_action_model import train_model_json
    from upr_info_data import load_upr_info, split_sessions

    from rightstrack.engine.analyse.model import model_from_json

    everything = load_upr_info()
    # The shipped weights have seen sessions 11-13: measure a model trained on 1-10 only.
    model = model_from_json(train_model_json(everything, 1, 10))
    rows = split_sessions(everything, 11, 13)
    predicted = classify_actions([r["Text"] for r in rows], model=model)
    accuracy = sum(
        str(p.category) == r["Action"] for p, r in zip(predicted, rows, strict=True)
    ) / len(rows)
    # Measured 0.9054 (docs/analysis.md); the target of 0.93 is not reached (label noise).
    assert accuracy >= 0.900


@pytest.mark.parametrize(
    ("text", "operative"),
    [
        (
            "Recalling its general comment No. 1 (2014) on equal recognition before the law, "
            "the Committee recommends that the State party repeal all discriminatory legislation",
            "repeal all discriminatory legislation",
        ),
        (
            "The Committee recommends that the State party, in close cooperation with "
            "organizations of persons with disabilities: (a) Adopt measures to raise awareness",
            "Adopt measures to raise awareness",
        ),
        (
            "The Committee recommends that the State party, through active consultations with "
            "representative organizations of persons with disabilities, design a plan",
            "design a plan",
        ),
        (
            "Implement the recommendations of the Working Group on arbitrary detention",
            "Implement the recommendations of the Working Group on arbitrary detention",
        ),
    ],
)
def test_it_reads_the_verb_after_treaty_body_opening_clauses(text: str, operative: str) -> None:
    from rightstrack.engine.analyse.action import operative_text

    assert operative_text(text) == operative
