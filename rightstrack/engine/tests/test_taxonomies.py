from __future__ import annotations

from rightstrack.engine.taxonomies import find_term, get_taxonomy, load_taxonomies
from rightstrack.formats import records


def test_it_loads_every_slug_the_importers_use() -> None:
    slugs = {t.slug for t in load_taxonomies()}
    for slug in (
        records.THEMES,
        records.LEGACY_THEMES,
        records.GROUPS_OF_PERSONS,
        records.SDG_GOALS,
        records.SDG_TARGETS,
        records.UPR_INFO_ISSUES,
        records.ACTION_CATEGORIES,
    ):
        assert slug in slugs


def test_it_keeps_codes_unique_within_each_taxonomy() -> None:
    for taxonomy in load_taxonomies():
        codes = [t.code for t in taxonomy.terms]
        assert all(codes), taxonomy.slug
        assert len(set(codes)) == len(codes), taxonomy.slug


def test_it_has_the_documented_sizes() -> None:
    assert len(get_taxonomy("sdg_goals").terms) == 17
    assert len(get_taxonomy("sdg_targets").terms) == 169
    assert len(get_taxonomy("upr_info_issues").terms) == 54
    assert len(get_taxonomy("uhri_themes_legacy").terms) == 55
    assert len(get_taxonomy("groups_of_persons_legacy").terms) == 38
    assert [t.code for t in get_taxonomy("action_categories").terms] == ["1", "2", "3", "4", "5"]


def test_it_points_every_legacy_successor_at_a_current_term() -> None:
    for legacy, current in (
        ("uhri_themes_legacy", "uhri_themes"),
        ("groups_of_persons_legacy", "groups_of_persons"),
    ):
        for term in get_taxonomy(legacy).terms:
            for successor in term.successors:
                assert find_term(current, successor) is not None, (term.name, successor)


def test_it_maps_legacy_women_to_women_and_girls() -> None:
    women = find_term("groups_of_persons_legacy", "Women")
    assert women is not None and women.successors == ("Women & girls",)


def test_it_finds_terms_ignoring_case_spacing_and_ampersands() -> None:
    term = find_term("uhri_themes", "equality  and NON-discrimination")
    assert term is not None and term.name == "Equality & non-discrimination"
    assert term.code == "B31"
    assert find_term("uhri_themes", "B31 Equality & non-discrimination") == term
    assert find_term("groups_of_persons", "refugees and asylum seekers") is not None
    assert find_term("groups_of_persons", "no such group") is None


def test_it_parents_sdg_targets_on_their_goal() -> None:
    target = find_term("sdg_targets", "16.3")
    assert target is not None and target.parent_code == "16"
    assert find_term("sdg_goals", "Peace, justice and strong institutions").code == "16"  # type: ignore[union-attr]
