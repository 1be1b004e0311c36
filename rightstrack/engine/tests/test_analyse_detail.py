from __future__ import annotations

from rightstrack.engine.analyse import analyse_one


def test_it_flags_timeline_budget_and_legal_reference() -> None:
    result = analyse_one(
        "Allocate sufficient budget to implement article 7 of the Convention by 2030, "
        "in line with Law No. 45/2019"
    )
    assert set(result.detail) == {"timeline", "budget", "legal_reference"}
    assert any("by 2030" in r for r in result.reasons)


def test_it_flags_indicators_and_benchmarks() -> None:
    result = analyse_one(
        "Collect data disaggregated by sex and set a target of 40 per cent women in parliament"
    )
    assert "indicator" in result.detail
    assert "benchmark" in result.detail


def test_it_finds_no_detail_in_a_vague_text() -> None:
    assert analyse_one("Continue its efforts to promote human rights").detail == ()


def test_it_marks_concrete_actions_only_when_an_act_is_asked() -> None:
    assert analyse_one("Establish an independent national human rights institution").concrete_action
    assert not analyse_one("Strengthen its efforts to promote tolerance").concrete_action
    assert not analyse_one("Consider ratifying the Convention").concrete_action
