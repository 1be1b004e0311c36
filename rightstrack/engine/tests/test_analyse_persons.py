from __future__ import annotations

import sys
from pathlib import Path

import pytest

from rightstrack.engine.analyse import analyse_one
from rightstrack.engine.taxonomies import find_term


def test_it_names_groups_from_the_current_taxonomy() -> None:
    result = analyse_one(
        "Protect the rights of internally displaced persons, refugees and older persons"
    )
    assert {"Internally displaced persons", "Refugees & asylum seekers", "Older persons"} <= set(
        result.affected_persons
    )
    for name in result.affected_persons:
        assert find_term("groups_of_persons", name) is not None


def test_it_states_rights_holders_only_for_beneficiary_groups() -> None:
    assert analyse_one(
        "Ensure access to education for children with disabilities"
    ).rights_holders_stated
    assert not analyse_one("Train judges and police officers on human rights").rights_holders_stated
    assert not analyse_one("Improve the living conditions of the population").rights_holders_stated


def test_it_marks_protection_relevance_for_displacement_conflict_and_disaster() -> None:
    assert analyse_one(
        "Ensure the voluntary return of internally displaced persons"
    ).protection_relevant
    assert analyse_one(
        "Issue civil documentation to persons affected by the floods"
    ).protection_relevant
    assert analyse_one("Grant stateless persons access to nationality").protection_relevant
    assert not analyse_one("Reduce the gender pay gap").protection_relevant


def test_it_tags_themes_and_sdg_goals() -> None:
    result = analyse_one("Guarantee free and compulsory primary education for all girls")
    assert "Right to education" in result.themes
    assert 4 in result.sdg_goals
    for name in result.themes:
        assert find_term("uhri_themes", name) is not None


def test_it_does_not_read_minors_into_minorities() -> None:
    result = analyse_one("Combat hate speech against Muslims and other minority groups")
    assert "Children" not in result.affected_persons
    assert "Minorities/ racial, ethnic, linguistic, religious or descent-based groups" in (
        result.affected_persons
    )


def test_it_follows_the_current_uhri_convention_for_trafficking_and_prosecution() -> None:
    groups = set(
        analyse_one(
            "Combat trafficking in persons and ensure the effective prosecution of traffickers"
        ).affected_persons
    )
    assert {
        "Vulnerable persons/groups",
        "Judges, lawyers and prosecutors",
        "Law enforcement / police & prison officials",
    } <= groups
    assert "Women & girls" not in groups


def test_it_no_longer_tags_public_officials_on_every_recommendation() -> None:
    # One OHCHR matrix tags them on 253 of 254 rows; a suggestion on everything says nothing.
    to_state = analyse_one("The Committee recommends that the State party ratify the Convention")
    assert "Public officials" not in to_state.affected_persons
    named = analyse_one("Train public officials on the rights of persons with disabilities")
    assert "Public officials" in named.affected_persons


def test_general_patterns_hold_no_countrys_words_and_a_vocabulary_adds_them(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from rightstrack.engine.analyse.persons import find_groups, load_vocabulary

    text = "Adopt a law allowing all erased persons to regularize their situation"
    assert "Stateless persons" not in [g for g, _ in find_groups(text)]
    assert "Minorities/ racial, ethnic, linguistic, religious or descent-based groups" not in [
        g for g, _ in find_groups("Protect the rights of the Italian community")
    ]
    path = tmp_path / "vocabulary.csv"
    path.write_text("Stateless persons,erased persons|erasure\n", encoding="utf-8")
    groups = dict(find_groups(text, vocabulary=load_vocabulary(str(path))))
    assert groups["Stateless persons"] == "erased persons (your vocabulary)"


@pytest.mark.parametrize(
    "text",
    [
        "Establish a procedure for the determination of statelessness",
        "Guarantee the right of internally displaced persons to return",
        "Ensure access to asylum procedures at the border",
        "Issue civil documentation to all persons born in the territory",
        "Prevent forced evictions of informal settlers",
    ],
)
def test_protection_relevance_follows_from_what_is_found(text: str) -> None:
    result = analyse_one(text)
    assert result.protection_relevant, text
    assert any(r.startswith("protection: ") for r in result.reasons)


def test_a_group_of_stateless_persons_makes_it_protection_relevant() -> None:
    # Slovenia's 140.74 kind: tagged "Stateless persons" yet marked not protection-relevant.
    result = analyse_one("Grant nationality to children who would otherwise have none")
    assert "Stateless persons" in result.affected_persons
    assert result.protection_relevant


@pytest.mark.shared_data
def test_it_keeps_groups_of_persons_figures_on_the_slovenia_matrices(shared_raw) -> None:  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
    from eval_persons import evaluate

    # Without "Public officials" on every row (issue 14 §2): measured on cycle 4 and on all
    # three (docs/analysis.md); the patterns no longer carry Slovenia's own words.
    assert evaluate((4,), drop_public_officials=True)[2] >= 0.80
    assert evaluate((2, 3, 4), drop_public_officials=True)[2] >= 0.69


@pytest.mark.shared_data
def test_the_general_rules_beat_the_22_pattern_floor_on_every_matrix(shared_raw) -> None:  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
    from eval_persons import CYCLES, PUBLIC_OFFICIALS, floor_groups, load_rows, micro, rule_groups

    for cycle in CYCLES:
        rows = load_rows(cycle)
        gold = [set(r.groups) - {PUBLIC_OFFICIALS} for r in rows]
        floor = micro(gold, [floor_groups(r.text) - {PUBLIC_OFFICIALS} for r in rows])[2]
        rules = micro(gold, [rule_groups(r.text) - {PUBLIC_OFFICIALS} for r in rows])[2]
        assert rules > floor + 0.05, (cycle, rules, floor)


@pytest.mark.shared_data
def test_protection_relevance_holds_on_the_held_out_set(shared_raw) -> None:  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
    from eval_protection import load, scores

    from rightstrack.engine.analyse import analyse_texts

    rows = load(test=True)
    assert len(rows) >= 90
    predicted = [r.protection_relevant for r in analyse_texts([row["text"] for row in rows])]
    _, tp, fp, fn = scores(rows, predicted)["all"]
    # Measured 0.909 / 0.833 (docs/analysis.md); the goal is 0.90 / 0.95.
    assert tp / (tp + fp) >= 0.90 and tp / (tp + fn) >= 0.8


def test_protection_instruments_and_humanitarian_access_are_protection_relevant() -> None:
    assert analyse_one(
        "Accede to the 1954 Convention relating to the Status of Stateless Persons"
    ).protection_relevant
    assert analyse_one(
        "Make improved access for humanitarian organisations an immediate priority"
    ).protection_relevant
    # An instrument that is no protection instrument still makes nothing relevant.
    assert not analyse_one(
        "Ratify the Optional Protocol to the Convention against Torture"
    ).protection_relevant


def test_nationality_as_a_ground_of_discrimination_is_no_statelessness() -> None:
    for text in (
        "Review its laws to uphold non-discrimination on grounds of gender and citizenship",
        "Promote responsible citizenship through a culture of human rights",
    ):
        assert not analyse_one(text).protection_relevant, text
    assert analyse_one(
        "Facilitate the acquisition of nationality by children born in the country"
    ).protection_relevant


def test_an_instruments_name_makes_nothing_protection_relevant() -> None:
    result = analyse_one("Repeal section 38 (1) (c) of the Immigration and Refugee Protection Act")
    assert not result.protection_relevant
    assert analyse_one("Strengthen oversight of companies in conflict areas").protection_relevant


def test_a_states_own_term_in_quotes_names_persons() -> None:
    assert analyse_one("Address the situation of the “erased persons”").rights_holders_stated
