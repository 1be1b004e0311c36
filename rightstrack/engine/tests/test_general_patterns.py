"""The general patterns hold no country's names nor one State's own words (issue 14 §2): a
State's own vocabulary is data the user adds (`persons.load_vocabulary`)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from rightstrack.engine.analyse import detail, persons, themes

COUNTRIES = Path(__file__).resolve().parents[1] / "data" / "countries.csv"

#: Names of peoples, minorities and one State's own terms that once sat in the patterns or
#: would be the next temptation; the UHRI's own group names (Roma, Sinti, Travellers) are allowed.
PEOPLES_AND_STATE_TERMS = (
    "erased",
    "italian",
    "hungarian",
    "german-speaking",
    "serbs?",
    "croats?",
    "bosniaks?",
    "albanians?",
    "kurds?",
    "kurdish",
    "rohingya",
    "uyghurs?",
    "tamils?",
    "maori",
    "sami",
    "dalits?",
    "bedouins?",
    "amazigh",
    "hmong",
    "yazidis?",
    "copts?",
    "baha'is?",
    "ahmadis?",
)


def _pattern_sources() -> dict[str, str]:
    sources = {f"persons {k}": v for k, v in persons._GROUP_PATTERNS.items()}
    sources.update({f"persons implied {p.pattern}": p.pattern for p, _ in persons._IMPLIED})
    sources["persons stated"] = persons._PERSONS.pattern
    sources.update({f"themes {k}": v for k, v in themes._THEME_PATTERNS.items()})
    sources.update({f"sdg {k}": p.pattern for k, p in themes._SDG_KEYWORDS.items()})
    sources["protection"] = detail._PROTECTION.pattern
    return sources


def _country_words() -> list[str]:
    words = set()
    with COUNTRIES.open(encoding="utf-8", newline="") as fp:
        for row in csv.DictReader(fp):
            for name in [row["name"], *row["aliases"].split("|")]:
                name = name.strip().lower()
                if name:
                    words.add(name)
    return sorted(words)


def test_the_country_list_is_read() -> None:
    words = _country_words()
    assert {"slovenia", "costa rica", "italy", "hungary"} <= set(words)


@pytest.mark.parametrize("kind", ["countries", "peoples"])
def test_no_general_pattern_names_a_country_or_a_people(kind: str) -> None:
    if kind == "countries":
        names = [re.escape(n) for n in _country_words()]
    else:
        names = list(PEOPLES_AND_STATE_TERMS)
    found = []
    for where, source in _pattern_sources().items():
        text = source.lower().replace("\\s+", " ").replace("\\s*", " ")
        for name in names:
            if re.search(rf"(?<![a-z]){name}(?![a-z])", text):
                found.append((where[:60], name))
    assert not found, found


def test_the_check_would_catch_a_country_word() -> None:
    # The check itself can fail: a pattern with a people's name is found.
    text = r"minorit\w*|hungarian|italian community"
    assert any(re.search(rf"(?<![a-z]){n}(?![a-z])", text) for n in PEOPLES_AND_STATE_TERMS)
