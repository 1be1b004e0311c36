"""Group recommendations that ask for the same thing, across mechanisms, bodies and cycles.

`group_texts` proposes groups (each explained by shared key phrases and a similarity);
`find_repeats` flags later recommendations that repeat earlier ones. See
docs/classifiers-and-grouping.md.
"""

from __future__ import annotations

from rightstrack.engine.cluster.grouping import find_repeats, group_texts
from rightstrack.engine.cluster.types import Group, SimilarPair

__all__ = ["Group", "SimilarPair", "find_repeats", "group_texts"]
