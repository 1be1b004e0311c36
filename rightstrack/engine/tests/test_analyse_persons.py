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


def test_it_tags_public_officials_as_ohchr_does_on_recommendations_to_the_state() -> None:
    to_state = analyse_one("The Committee recommends that the State party ratify the Convention")
    assert "Public officials" in to_state.affected_persons
    assert not to_state.rights_holders_stated
    to_others = analyse_one(
        "Call on the international community to support the State in its reconstruction"
    )
    assert "Public officials" not in to_others.affected_persons


@pytest.mark.shared_data
def test_it_keeps_groups_of_persons_figures_on_the_slovenia_matrices(shared_raw) -> None:  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
    from eval_persons import evaluate

    # Measured 0.916 on cycle 4 as OHCHR labels it, 0.859 without "Public officials", and 0.707
    # on all three (docs/analysis.md).
    assert evaluate((4,), drop_public_officials=False)[2] >= 0.91
    assert evaluate((4,), drop_public_officials=True)[2] >= 0.85
    assert evaluate((2, 3, 4), drop_public_officials=True)[2] >= 0.70
