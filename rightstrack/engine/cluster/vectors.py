"""Turn texts into unit vectors and find the pairs above a similarity, block by block.

The lexical method (the default, no extra needed) uses TF-IDF over word 1-2-grams with the
common treaty acronyms spelled out; the embeddings method uses WordLlama, a small static
embedding model shipped inside its PyPI package (the `embeddings` extra), loaded offline.
Neighbours are found a block of rows at a time, so memory stays proportional to the block,
never to the square of the number of texts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

from rightstrack.engine.classify.features import prepare_text
from rightstrack.formats.exceptions import DependencyMissing, InputError

METHODS = ("lexical", "embeddings")
#: Rows compared at once: a block x N dense slice of float32 stays under ~100 MiB at 40,000.
BLOCK_ROWS = 512
#: WordLlama model shipped in the wheel, and its embedding width (truncated Matryoshka dims
#: keep almost all the quality at a fraction of the cost).
WORDLLAMA_CONFIG = "l2_supercat"
WORDLLAMA_DIM = 256


@dataclass
class Vectors:
    """Unit-length rows (sparse for lexical, dense for embeddings) and, for lexical, the terms."""

    matrix: Any
    terms: Any = None  # numpy array of feature names, or None


def vectorise(texts: Sequence[str], *, method: str = "lexical", pairs: bool = True) -> Vectors:
    """Return unit vectors for *texts* by *method* ("lexical" or "embeddings").

    *pairs* False (lexical only): stemmed content words alone, no word pairs and no cap on
    common words, the representation that tells repeats across cycles best (a repeat says the
    same thing in other words, so word pairs rarely survive; docs/analysis.md, "Repeats").
    Raises DependencyMissing when the embeddings extra is not installed, InputError for an
    unknown method.
    """
    if method == "lexical":
        return _lexical(texts) if pairs else _lexical_words(texts)
    if method == "embeddings":
        return Vectors(embed(texts))
    raise InputError(f"unknown grouping method {method!r}; choose one of {', '.join(METHODS)}")


#: Openings that say who recommends, not what: removed before comparing texts.
BOILERPLATE = re.compile(
    r"^\W*(?:the\s+)?(?:committee|special\s+rapporteur|working\s+group|expert|independent\s+"
    r"expert|subcommittee)[\w\s,]*?\b(?:recommends?|urges?|calls\s+upon|calls\s+on|requests?|"
    r"encourages?|invites?)\s+(?:that\s+)?(?:the\s+)?(?:state\s+party|government|state|authorities)?"
    r"\s*(?:to\b)?[\s:,]*",
)
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Return a crude English stem: enough to make "abolishing" meet "abolish".

    A handful of suffix rules, no dictionary: deterministic, fast and good enough for
    comparing recommendations (it is never shown to anyone; key phrases use stems).
    """
    word = word.replace("iz", "is")
    for suffix, replacement, keep in STEM_RULES:
        if word.endswith(suffix) and len(word) - len(suffix) >= keep:
            word = word[: len(word) - len(suffix)] + replacement
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


#: (suffix, replacement, shortest stem kept); the first rule that applies wins.
STEM_RULES = (
    ("isations", "is", 3),
    ("isation", "is", 3),
    ("ations", "at", 3),
    ("ation", "at", 3),
    ("ies", "y", 3),
    ("ing", "", 3),
    ("ed", "", 3),
    ("sses", "ss", 2),
    ("ss", "ss", 0),
    ("us", "us", 0),
    ("is", "is", 0),
    ("s", "", 3),
)


def content_words(text: str) -> list[str]:
    """Return the words of *text* that carry meaning, as written (lower-cased), in order."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    prepared = BOILERPLATE.sub("", prepare_text(text))
    return [w for w in _TOKEN.findall(prepared) if w not in ENGLISH_STOP_WORDS]


def analyse_words(text: str) -> list[str]:
    """Return the stemmed content words of *text* and their adjacent pairs (the terms)."""
    words = [stem(w) for w in content_words(text)]
    return words + [f"{a} {b}" for a, b in pairwise(words)]


def surface_forms(texts: Sequence[str]) -> dict[str, str]:
    """Map each term of *texts* (stemmed, as in analyse_words) to its most common spelling."""
    from collections import Counter

    seen: dict[str, Counter[str]] = {}
    for text in texts:
        words = content_words(text)
        stems = [stem(w) for w in words]
        for i in range(len(words)):
            seen.setdefault(stems[i], Counter())[words[i]] += 1
            if i + 1 < len(words):
                key = f"{stems[i]} {stems[i + 1]}"
                seen.setdefault(key, Counter())[f"{words[i]} {words[i + 1]}"] += 1
    return {term: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for term, c in seen.items()}


def analyse_stems(text: str) -> list[str]:
    """Return the stemmed content words of *text*, in order (no word pairs)."""
    return [stem(w) for w in content_words(text)]


def _lexical_words(texts: Sequence[str]) -> Vectors:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriser = TfidfVectorizer(analyzer=analyse_stems, sublinear_tf=True, dtype=np.float32)
    try:
        matrix = vectoriser.fit_transform(list(texts))
    except ValueError:
        from scipy.sparse import csr_matrix

        return Vectors(csr_matrix((len(texts), 1), dtype=np.float32), np.array([""]))
    return Vectors(matrix.tocsr(), vectoriser.get_feature_names_out())


def _lexical(texts: Sequence[str]) -> Vectors:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriser = TfidfVectorizer(
        analyzer=analyse_words,
        sublinear_tf=True,
        dtype=np.float32,
        # A term in more than a third of the texts ("rights", "ensure") says nothing about
        # what a recommendation asks for, and dropping it keeps the sparse products cheap.
        max_df=1 / 3 if len(texts) >= 30 else 1.0,
    )
    try:
        matrix = vectoriser.fit_transform(list(texts))
    except ValueError:
        # Only stop words (or nothing) in every text: no vocabulary to compare on.
        from scipy.sparse import csr_matrix

        return Vectors(csr_matrix((len(texts), 1), dtype=np.float32), np.array([""]))
    return Vectors(matrix.tocsr(), vectoriser.get_feature_names_out())


def embed(texts: Sequence[str]) -> Any:
    """Return L2-normalised WordLlama embeddings (rows x WORDLLAMA_DIM) for *texts*.

    Loads the model that ships inside the wordllama package, offline; never downloads.
    Raises DependencyMissing naming the extra when wordllama is not installed.
    """
    import numpy as np

    model = _wordllama()
    if not texts:
        return np.zeros((0, WORDLLAMA_DIM), dtype=np.float32)
    vectors = np.asarray(model.embed([prepare_text(t) for t in texts], norm=True), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def _wordllama() -> Any:
    try:
        import wordllama
    except ImportError as exc:
        raise DependencyMissing(
            "the embeddings method needs the optional wordllama package: "
            "pip install 'rightstrack[embeddings]'"
        ) from exc
    from pathlib import Path

    package_dir = Path(wordllama.__file__).resolve().parent
    try:
        return wordllama.WordLlama.load(
            config=WORDLLAMA_CONFIG,
            dim=WORDLLAMA_DIM,
            cache_dir=package_dir,
            disable_download=True,
        )
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise DependencyMissing(
            f"the wordllama package has no bundled {WORDLLAMA_CONFIG} model ({exc}); "
            "reinstall it with pip install 'rightstrack[embeddings]'"
        ) from exc


def similar_pairs(
    left: Any, right: Any | None = None, *, threshold: float, block: int = BLOCK_ROWS
) -> Iterator[tuple[Any, Any, Any]]:
    """Yield (left_rows, right_rows, similarities) arrays for pairs at or above *threshold*.

    With *right* omitted, compares *left* with itself and yields each pair once (i < j).
    """
    import numpy as np
    from scipy.sparse import issparse

    same = right is None
    other = left if same else right
    other_t = other.T.tocsr() if issparse(other) else np.ascontiguousarray(other.T)
    for start in range(0, left.shape[0], block):
        stop = min(start + block, left.shape[0])
        product = left[start:stop] @ other_t
        if issparse(product):
            product = product.tocoo()
            rows, cols, sims = product.row, product.col, product.data
            keep = sims >= threshold
            rows, cols, sims = rows[keep], cols[keep], sims[keep]
        else:
            rows, cols = np.nonzero(product >= threshold)
            sims = product[rows, cols]
        rows = rows + start
        if same:
            keep = cols > rows
            rows, cols, sims = rows[keep], cols[keep], sims[keep]
        yield rows, cols, np.minimum(sims, 1.0)
