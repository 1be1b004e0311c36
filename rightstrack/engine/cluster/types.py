"""Result shapes of the grouping: plain frozen values, no database objects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True)
class Group:
    """Recommendations that ask for the same thing.

    `members` keeps the caller's ids in input order; `similarity` is the mean cosine similarity
    between its members (1.0 for a single text); `member_similarity` gives, per member, its
    mean similarity to the others; `key_phrases` are the terms most of them share; `title`
    names it so a person recognises it: the opening words of its most central member.
    """

    id: str
    members: tuple[str, ...]
    similarity: float
    member_similarity: tuple[float, ...]
    key_phrases: tuple[str, ...]
    title: str = ""

    @property
    def size(self) -> int:
        return len(self.members)


class SimilarPair(NamedTuple):
    """A later recommendation that repeats an earlier one, and how similar the two are."""

    later_id: str
    earlier_id: str
    similarity: float
