"""The built-in taxonomies: UHRI themes and groups of persons (current and legacy, with a
crosswalk), SDG goals and targets, UPR Info issues and action categories.

They are lists of names kept as CSV in `engine/data/taxonomies/`: `index.csv` names each
taxonomy, and `<slug>.csv` holds its terms. Legacy terms carry `successors`, the names of the
current terms they map to, so labels from old exports can be read in today's vocabulary.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

TAXONOMY_DIR = Path(__file__).parent / "data" / "taxonomies"


@dataclass(frozen=True)
class TermData:
    code: str
    name: str
    parent_code: str = ""
    #: For legacy terms: the names of the current terms they map to (the crosswalk).
    successors: tuple[str, ...] = ()


@dataclass(frozen=True)
class TaxonomyData:
    slug: str
    name: str
    source: str
    description: str
    terms: tuple[TermData, ...]

    def term_names(self) -> list[str]:
        return [t.name for t in self.terms]


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fp:
        return list(csv.DictReader(fp))


@lru_cache(maxsize=1)
def _load_all() -> tuple[TaxonomyData, ...]:
    taxonomies = []
    for row in _read_csv(TAXONOMY_DIR / "index.csv"):
        terms = tuple(
            TermData(
                code=t["code"].strip(),
                name=t["name"].strip(),
                parent_code=(t.get("parent_code") or "").strip(),
                successors=tuple(
                    s.strip() for s in (t.get("successors") or "").split("|") if s.strip()
                ),
            )
            for t in _read_csv(TAXONOMY_DIR / f"{row['slug']}.csv")
        )
        taxonomies.append(
            TaxonomyData(row["slug"], row["name"], row["source"], row["description"], terms)
        )
    return tuple(taxonomies)


def load_taxonomies() -> list[TaxonomyData]:
    """Return every built-in taxonomy with its terms, in the order of index.csv."""
    return list(_load_all())


def get_taxonomy(slug: str) -> TaxonomyData:
    for taxonomy in _load_all():
        if taxonomy.slug == slug:
            return taxonomy
    raise KeyError(f"unknown taxonomy {slug!r}")


_AND = re.compile(r"\s*(?:&|\band\b)\s*")
_NON_WORD = re.compile(r"[^\w]+")


def normalise_term(name: str) -> str:
    """Return *name* for matching: lower case, "&" and "and" alike, no punctuation or spacing."""
    text = _AND.sub(" and ", name.lower().replace("–", "-"))
    return " ".join(_NON_WORD.sub(" ", text).split())


@cache
def _term_index(slug: str) -> dict[str, TermData]:
    index: dict[str, TermData] = {}
    for term in get_taxonomy(slug).terms:
        index.setdefault(normalise_term(term.name), term)
        if term.code:
            index.setdefault(normalise_term(term.code), term)
            index.setdefault(normalise_term(f"{term.code} {term.name}"), term)
    return index


def find_term(slug: str, name: str) -> TermData | None:
    """Return the term of taxonomy *slug* called *name*, ignoring case, spacing, "&"/"and".

    Also accepts the code alone or "code name" ("B31 Equality & non-discrimination").
    """
    return _term_index(slug).get(normalise_term(name))
