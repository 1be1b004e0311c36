from __future__ import annotations

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
