"""The one country list: ISO 3166 codes with UN short names, and every spelling we meet.

Importers, extractors and the database all resolve State names through `resolve`, so
"Côte d'Ivoire", "Cote d'Ivoire" and "Ivory Coast" are one State everywhere.
Data: engine/data/countries.csv (alpha3, alpha2, name, region, un_group, aliases separated by "|").
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "countries.csv"


@dataclass(frozen=True)
class Country:
    code: str  #: ISO 3166-1 alpha-3, or a project code for entities without one (e.g. "EUU")
    alpha2: str
    name: str  #: UN short name in English
    region: str
    un_group: str  #: UN regional group: African, Asia-Pacific, Eastern European, GRULAC, WEOG
    aliases: tuple[str, ...] = ()


def fold(name: str) -> str:
    """Return *name* folded for matching: no accents, lower case, letters and digits only."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("&", " and ").replace("’", "'")
    text = re.sub(r"^the\s+", "", text.strip())
    return re.sub(r"[^a-z0-9]+", "", text)


@cache
def all_countries() -> tuple[Country, ...]:
    with DATA.open(encoding="utf-8", newline="") as fp:
        return tuple(
            Country(
                code=row["alpha3"],
                alpha2=row["alpha2"],
                name=row["name"],
                region=row["region"],
                un_group=row["un_group"],
                aliases=tuple(a for a in row["aliases"].split("|") if a),
            )
            for row in csv.DictReader(fp)
        )


@cache
def _index() -> dict[str, Country]:
    index: dict[str, Country] = {}
    for country in all_countries():
        for key in (country.code, country.alpha2, country.name, *country.aliases):
            if key:
                index.setdefault(fold(key), country)
    return index


def by_code(code: str) -> Country | None:
    """Return the country with ISO alpha-3 (or alpha-2) *code*."""
    return _index().get(fold(code))


def resolve(name: str) -> Country | None:
    """Return the country that *name* means (UN short name, ISO name, common alias or code).

    Returns None when nothing matches; callers decide whether that is an error.
    """
    name = name.strip().strip(".;,()")
    if not name:
        return None
    return _index().get(fold(name))
