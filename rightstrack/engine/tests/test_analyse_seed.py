"""The seed's questions on texts of our own, one per defect of issue 14 §1 (docs/codebook.md)."""

from __future__ import annotations

import pytest

from rightstrack.engine.analyse import analyse_one


@pytest.mark.parametrize(
    "text",
    [
        "Ratify the Convention against Torture",
        "Bring the national institution into conformity with the Paris Principles",
        "Accede to the Rome Statute of the International Criminal Court",
        "Amend the Children's Act to raise the minimum age of marriage",
    ],
)
def test_named_instruments_are_legal_references(text: str) -> None:
    assert "legal_reference" in analyse_one(text).detail


def test_goals_and_a_court_are_no_legal_reference() -> None:
    assert (
        "legal_reference"
        not in analyse_one(
            "Achieve target 4.5 of the Sustainable Development Goals and follow the European Court"
        ).detail
    )


@pytest.mark.parametrize(
    "text",
    [
        "Develop a national plan of action to combat trafficking",
        "Prohibit corporal punishment of children in all settings",
        "Revoke the decree banning political parties",
        "Produce statistics and data on violence against older persons",
        "Continue efforts to prevent violence through the adoption of a national plan",
        "The Committee recommends that the State party take measures to: (a) Raise awareness; "
        "(b) Adopt a law on domestic violence; (c) Train the police.",
    ],
)
def test_concrete_acts_are_concrete(text: str) -> None:
    result = analyse_one(text)
    assert result.concrete_action, text
    assert any(r.startswith("concrete action: '") for r in result.reasons)


@pytest.mark.parametrize(
    "text",
    [
        "Consider ratifying the Convention on the Rights of Migrant Workers",
        "Take further steps for the ratification of several international treaties",
        "Strengthen its efforts to combat discrimination",
        "Study the possibility of establishing an ombudsman for children",
    ],
)
def test_general_or_hedged_texts_are_not_concrete(text: str) -> None:
    assert not analyse_one(text).concrete_action, text


@pytest.mark.parametrize(
    "text",
    [
        "Improve access to services in rural areas",
        "Guarantee the independence of the media",
        "Ratify the International Convention for the Protection of All Persons from Enforced "
        "Disappearance",
        "Combat racial discrimination",
        "Prevent femicide",
        "Protect vulnerable groups",
        "Redouble efforts to combat trafficking in persons",
        "Implement the Persons with Disabilities Act",
    ],
)
def test_topic_words_are_not_rights_holders(text: str) -> None:
    result = analyse_one(text)
    assert not result.rights_holders_stated, (text, result.reasons)
    assert "rights-holders: none named" in result.reasons


def test_named_persons_are_rights_holders_with_the_words_shown() -> None:
    result = analyse_one("Provide shelters for women victims of violence and their children")
    assert result.rights_holders_stated
    assert "rights-holders: 'women', 'victims', 'children'" in result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Adopt the law as soon as possible",
        "Release the detainees without delay",
        "Implement the strategy adopted in 2013",
    ],
)
def test_urgency_and_past_dates_are_no_timeline(text: str) -> None:
    assert "timeline" not in analyse_one(text).detail


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("Implement the National Programme for Equal Opportunities for 2011-2020", "timeline"),
        ("Adopt the strategy by 2027", "timeline"),
        ("Invest significant resources in inclusive education", "budget"),
        ("Provide the ombudsman with the necessary resources", "budget"),
    ],
)
def test_plan_periods_are_timelines_and_resources_are_budget(text: str, flag: str) -> None:
    assert flag in analyse_one(text).detail


def test_a_paragraphs_answer_follows_from_its_sub_items() -> None:
    text = (
        "The Committee recommends that the State party: (a) Raise awareness of the rights of "
        "persons with disabilities; (b) Repeal section 12 of the Mental Health Act."
    )
    result = analyse_one(text)
    assert result.concrete_action
    assert "concrete action: 'Repeal'" in result.reasons
