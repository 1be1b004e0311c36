from __future__ import annotations

import csv
import io
from collections import Counter

import pytest

from rightstrack.engine import countries
from rightstrack.engine.countries import all_countries, by_code, fold, resolve


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Bolivia (Plurinational State of)", "BOL"),
        ("Bolivia", "BOL"),
        ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
        ("UK", "GBR"),
        ("United States", "USA"),
        ("USA", "USA"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d’Ivoire", "CIV"),
        ("Ivory Coast", "CIV"),
        ("Democratic People's Republic of Korea", "PRK"),
        ("DPR Korea", "PRK"),
        ("North Korea", "PRK"),
        ("Republic of Korea", "KOR"),
        ("Korea (Republic of)", "KOR"),
        ("South Korea", "KOR"),
        ("Iran (Islamic Republic of)", "IRN"),
        ("Islamic Republic of Iran", "IRN"),
        ("Venezuela", "VEN"),
        ("Netherlands (Kingdom of the)", "NLD"),
        ("Netherlands", "NLD"),
        ("Czech Republic", "CZE"),
        ("The former Yugoslav Republic of Macedonia", "MKD"),
        ("Macedonia FYR", "MKD"),
        ("Swaziland", "SWZ"),
        ("Republic of Moldova", "MDA"),
        ("Moldova", "MDA"),
        ("Tanzania", "TZA"),
        ("Vietnam", "VNM"),
        ("Laos", "LAO"),
        ("Syria", "SYR"),
        ("Micronesia", "FSM"),
        ("Cape Verde", "CPV"),
        ("Brunei", "BRN"),
        ("Timor Leste", "TLS"),
        ("East Timor", "TLS"),
        ("Palestine", "PSE"),
        ("State of Palestine", "PSE"),
        ("Holy See", "VAT"),
        ("Congo", "COG"),
        ("Republic of the Congo", "COG"),
        ("Congo (Democratic Republic of)", "COD"),
        ("Democratic Republic of Congo", "COD"),
        ("DRC", "COD"),
        ("Saint Vincent & the Grenadines", "VCT"),
        ("St Kitts & Nevis", "KNA"),
        ("Bosnia & Herzegovina", "BIH"),
        ("Sao Tome and Principe", "STP"),
        ("São Tomé and Príncipe", "STP"),
        ("Guinea Bissau", "GNB"),
        ("Guinea", "GIN"),
        ("Niger", "NER"),
        ("Nigeria", "NGA"),
        ("Kosovo (UNSCR 1244)", "XKX"),
        ("European Union", "EUU"),
        ("Hong Kong, China", "HKG"),
        ("Taiwan, Province of China", "TWN"),
        ("Western Sahara", "ESH"),
    ],
)
def test_it_resolves_un_names_former_names_and_short_forms(name: str, code: str) -> None:
    country = resolve(name)
    assert country is not None, name
    assert country.code == code


def test_it_ignores_accents_case_spaces_and_surrounding_punctuation() -> None:
    assert resolve("  turkiye ").name == "Türkiye"
    assert resolve("COTE D'IVOIRE").code == "CIV"
    assert resolve("(Slovenia);").code == "SVN"
    assert fold("The Gambia") == fold("Gambia")


def test_it_resolves_alpha3_and_alpha2_codes() -> None:
    assert resolve("CZE").name == "Czechia"
    assert by_code("si").name == "Slovenia"
    assert by_code("XKX").name == "Kosovo"


def test_it_returns_none_for_names_it_does_not_know() -> None:
    assert resolve("Atlantis") is None
    assert resolve("") is None
    assert resolve("Korea") is None  # two States: too ambiguous to guess


def test_it_lists_every_un_member_state_in_its_regional_group() -> None:
    members = [c for c in all_countries() if c.un_group]
    assert len(members) == 193
    assert Counter(c.un_group for c in members) == {
        "African": 54,
        "Asia-Pacific": 54,
        "Eastern European": 23,
        "GRULAC": 33,
        "WEOG": 29,
    }
    assert all(
        c.region in {"Africa", "Americas", "Asia", "Europe", "Oceania"} for c in all_countries()
    )
    assert {"VAT", "PSE", "EUU", "XKX"} <= {c.code for c in all_countries()}


def test_it_gives_each_code_and_spelling_to_one_country_only() -> None:
    owner: dict[str, str] = {}
    for country in all_countries():
        for key in {
            fold(k) for k in (country.code, country.alpha2, country.name, *country.aliases)
        }:
            assert owner.setdefault(key, country.code) == country.code, key
    assert len({c.alpha2 for c in all_countries()}) == len(all_countries())


@pytest.mark.shared_data
def test_it_resolves_every_state_named_in_the_upr_info_exports(shared_raw) -> None:
    names: set[str] = set()
    for path in (shared_raw / "upr-info-terman" / "upr-info-export-sessions1-20").glob("*.csv"):
        text = path.read_bytes().decode("latin-1")
        for row in csv.DictReader(io.StringIO(text, newline="")):
            names.update((row["To"], row["From"]))
    names.discard("&#40;Unknown&#41;")  # one row whose recommending State is not known
    assert len(names) > 190
    assert sorted(n for n in names if countries.resolve(n) is None) == []
