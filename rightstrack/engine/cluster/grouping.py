"""Propose groups of recommendations that ask for the same thing, and flag repeats.

Two texts are linked when their cosine similarity reaches the threshold. Linked texts form
candidate components; a component is then cut by average-linkage clustering at the same
threshold, so a chain A~B~C of pairwise links does not put A and C together unless the group
as a whole stays similar. Everything is deterministic: no random state, stable orderings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rightstrack.engine.cluster.types import Group, SimilarPair
from rightstrack.engine.cluster.vectors import (
    BOILERPLATE,
    Vectors,
    similar_pairs,
    surface_forms,
    vectorise,
)
from rightstrack.formats.exceptions import InputError

#: Default similarity for each method, chosen on UPR Info and the Slovenia matrices (see
#: docs/classifiers-and-grouping.md).
DEFAULT_THRESHOLDS = {"lexical": 0.4, "embeddings": 0.8}
#: Default similarity for repeats (`find_repeats`): on stemmed words alone for lexical. Chosen
#: on the cycle-2 and cycle-3 pairs of bench/gold/repeats.csv and measured on the others
#: (python bench/eval_repeats.py; docs/analysis.md, "Repeats"). A repeat says the same thing in
#: other words, so it needs a lower bar than a group of texts that ask for the same thing.
REPEAT_THRESHOLDS = {"lexical": 0.24, "embeddings": 0.8}
#: Components larger than this are first split on a higher threshold: average linkage needs
#: the component's full similarity matrix (size squared).
MAX_COMPONENT = 2000
THRESHOLD_STEP = 0.05
KEY_PHRASES = 5


def group_texts(
    items: Sequence[tuple[str, str]], *, threshold: float | None = None, method: str = "lexical"
) -> list[Group]:
    """Return groups of the (id, text) *items* that ask for the same thing.

    Every item is in exactly one group; groups of one are included. Groups come largest first,
    then by the position of their first member, and are numbered G1, G2, ... in that order.
    Raises InputError for duplicate ids or a threshold outside 0-1, DependencyMissing when the
    embeddings extra is missing.
    """
    ids = [str(i) for i, _ in items]
    if len(set(ids)) != len(ids):
        raise InputError("grouping needs a unique id for every text")
    threshold = _check_threshold(threshold, method)
    if not items:
        return []
    vectors = vectorise([t for _, t in items], method=method)
    clusters = _cluster(vectors.matrix, threshold)
    clusters.sort(key=lambda members: (-len(members), members[0]))
    groups = []
    for number, members in enumerate(clusters, start=1):
        similarity, per_member = _similarities(vectors.matrix, members)
        central = members[max(range(len(members)), key=lambda k: (per_member[k], -k))]
        groups.append(
            Group(
                id=f"G{number}",
                members=tuple(ids[m] for m in members),
                similarity=similarity,
                member_similarity=per_member,
                key_phrases=(
                    key_phrases(vectors, members, [items[m][1] for m in members])
                    if len(members) > 1
                    else ()
                ),
                title=group_title(items[central][1]),
            )
        )
    return groups


TITLE_WORDS = 12
_STATES_AT_END = re.compile(r"\s*(?:\([^()]*(?:\([^()]*\))?[^()]*\)\s*)+[;.,]*\s*$")


def group_title(text: str, words: int = TITLE_WORDS) -> str:
    """Name a group by its most central text's opening words, as a person would recognise it:
    without "The Committee recommends that the State party", the recommending States in
    brackets at the end, or sub-item letters; cut at *words* words with "…".

    "Ratify the International Convention on the Protection of the Rights of All Migrant
    Workers ... (Egypt)" -> "Ratify the International Convention on the Protection of the
    Rights of All…" (not "members families, workers members, migrant workers").
    """
    plain = " ".join(text.split())
    lowered = plain.lower()
    match = BOILERPLATE.match(lowered)
    if match and match.end():
        plain = plain[match.end() :]
    plain = _STATES_AT_END.sub("", plain)
    plain = re.sub(r"^\(?[a-z]\)\s+", "", plain).strip(" :;,.")
    tokens = plain.split(" ")
    title = " ".join(tokens[:words])
    if len(tokens) > words:
        title = title.rstrip(" ,;:") + "…"
    return title[:1].upper() + title[1:]


def find_repeats(
    earlier: Sequence[tuple[str, str]],
    later: Sequence[tuple[str, str]],
    *,
    threshold: float | None = None,
    method: str = "lexical",
) -> list[SimilarPair]:
    """Return (later_id, earlier_id, similarity) for each later text that repeats an earlier one.

    Each later text is paired with its single most similar earlier text, when that similarity
    reaches *threshold* (`REPEAT_THRESHOLDS` when None). Ordered as *later*. The vocabulary is
    learnt from both sets together so their vectors are comparable; lexical vectors hold the
    stemmed words alone (`vectorise(..., pairs=False)`).
    """
    threshold = _check_threshold(threshold, method, REPEAT_THRESHOLDS)
    if not earlier or not later:
        return []
    import numpy as np

    vectors = vectorise([t for _, t in earlier] + [t for _, t in later], method=method, pairs=False)
    old, new = vectors.matrix[: len(earlier)], vectors.matrix[len(earlier) :]
    best = np.full(len(later), -1)
    best_sim = np.zeros(len(later), dtype=np.float32)
    for rows, cols, sims in similar_pairs(new, old, threshold=threshold):
        for r, c, s in zip(rows.tolist(), cols.tolist(), sims.tolist(), strict=True):
            # Ties go to the earliest earlier text, whatever order the pairs come in.
            if s > best_sim[r] or (s == best_sim[r] and best[r] != -1 and c < best[r]):
                best[r], best_sim[r] = c, s
    return [
        SimilarPair(str(later[r][0]), str(earlier[int(best[r])][0]), round(float(best_sim[r]), 4))
        for r in range(len(later))
        if best[r] >= 0
    ]


def _check_threshold(
    threshold: float | None, method: str, defaults: dict[str, float] = DEFAULT_THRESHOLDS
) -> float:
    if method not in defaults:
        raise InputError(f"unknown grouping method {method!r}; choose one of {', '.join(defaults)}")
    if threshold is None:
        return defaults[method]
    if not 0 < threshold <= 1:
        raise InputError(f"the similarity threshold must be above 0 and at most 1, not {threshold}")
    return threshold


def _cluster(matrix: Any, threshold: float) -> list[list[int]]:
    """Return lists of row numbers (each sorted), covering every row once."""
    components = _components(matrix, list(range(matrix.shape[0])), threshold)
    clusters: list[list[int]] = []
    for members in components:
        clusters.extend(_split(matrix, members, threshold))
    return [sorted(c) for c in clusters]


def _components(matrix: Any, rows: list[int], threshold: float) -> list[list[int]]:
    """Return the connected components of the graph of pairs >= threshold among *rows*."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    sub = matrix[rows]
    sources, targets = [], []
    for r, c, _ in similar_pairs(sub, threshold=threshold):
        sources.append(r)
        targets.append(c)
    n = len(rows)
    if sources:
        source, target = np.concatenate(sources), np.concatenate(targets)
    else:
        source = target = np.zeros(0, dtype=np.int64)
    graph = coo_matrix((np.ones(len(source), dtype=np.int8), (source, target)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    found: dict[int, list[int]] = {}
    for position, label in enumerate(labels.tolist()):
        found.setdefault(label, []).append(rows[position])
    return list(found.values())


def _split(
    matrix: Any, members: list[int], threshold: float, cut: float | None = None
) -> list[list[int]]:
    """Cut one component into groups whose average similarity stays above *threshold*.

    A component too big to cluster at once is first split into the components of stronger
    links (*cut* raised step by step), then each part is clustered at *threshold*.
    """
    if len(members) <= 2:
        return [members]
    cut = threshold if cut is None else cut
    if len(members) > MAX_COMPONENT:
        stronger = cut + THRESHOLD_STEP
        if stronger >= 1:
            return [[m] for m in members]
        parts = _components(matrix, members, stronger)
        return [g for part in parts for g in _split(matrix, part, threshold, stronger)]
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    similarity = _dense(matrix[members] @ matrix[members].T)
    distance = np.clip(1.0 - similarity.astype(np.float64), 0.0, 2.0)
    np.fill_diagonal(distance, 0.0)
    distance = (distance + distance.T) / 2
    tree = linkage(squareform(distance, checks=False), method="average")
    labels = fcluster(tree, t=1.0 - threshold + 1e-9, criterion="distance")
    found: dict[int, list[int]] = {}
    for member, label in zip(members, labels.tolist(), strict=True):
        found.setdefault(label, []).append(member)
    return list(found.values())


def _dense(product: Any) -> Any:
    import numpy as np
    from scipy.sparse import issparse

    return np.asarray(product.toarray() if issparse(product) else product)


def _similarities(matrix: Any, members: list[int]) -> tuple[float, tuple[float, ...]]:
    if len(members) == 1:
        return 1.0, (1.0,)
    import numpy as np

    similarity = np.minimum(_dense(matrix[members] @ matrix[members].T), 1.0)
    n = len(members)
    per_member = (similarity.sum(axis=1) - similarity.diagonal()) / (n - 1)
    mean = float(per_member.mean())
    return round(mean, 4), tuple(round(float(s), 4) for s in per_member)


def key_phrases(
    vectors: Vectors, members: list[int], texts: Sequence[str], limit: int = KEY_PHRASES
) -> tuple[str, ...]:
    """Return up to *limit* terms shared by most *members* (whose *texts* are given), as
    written in those texts, two-word phrases first.

    Empty for the embeddings method, which has no terms: the similarity explains the group.
    """
    if vectors.terms is None:
        return ()
    import numpy as np

    sub = vectors.matrix[members]
    counts = np.asarray((sub > 0).sum(axis=0)).ravel()
    weights = np.asarray(sub.sum(axis=0)).ravel()
    needed = max(2, (len(members) + 1) // 2)
    candidates = np.flatnonzero(counts >= needed)
    ranked = sorted(
        candidates.tolist(),
        key=lambda j: (-counts[j], -(" " in vectors.terms[j]), -weights[j], vectors.terms[j]),
    )
    spelled = surface_forms(texts)
    chosen: list[str] = []
    used: set[str] = set()
    for j in ranked:
        term = str(vectors.terms[j])
        # A phrase that only repeats words already shown adds nothing to the explanation.
        if set(term.split(" ")) <= used:
            continue
        chosen.append(spelled.get(term, term))
        used.update(term.split(" "))
        if len(chosen) == limit:
            break
    return tuple(chosen)
