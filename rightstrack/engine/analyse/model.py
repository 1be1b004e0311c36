"""The linear model behind the action category: features, and scoring with shipped weights.

The weights (`action_model.json.gz`) are trained on UPR Info sessions 1-13 (all the labelled
data we have; the settings were chosen, and the figures measured, on models trained on sessions
1-10, see docs/analysis.md) by `bench/train_action_model.py`; they hold no recommendation text,
only feature names, inverse
document frequencies and one coefficient per class. Scoring needs only numpy and scipy, so the
model loads in a fraction of a second and never depends on the scikit-learn version.

The features are tf-idf blocks, each l2-normalised and weighted:
- `cues`: the leading operative verb, the verb with its object ("adopt_legislation"), the verb
  after "to" ("measures to ratify"), the first one to four words, the act named after
  "including by", and each specific act named anywhere (ratify, repeal, allocate ...).
- `head`: word 1-3-grams of the first twelve words, where the category is mostly decided.
- `body`: word 1-2-grams of the whole text.
- `chars`: character 3-5-grams of the words among the first fifteen (padded with a space, as
  scikit-learn's `char_wb`), which catches word forms ("ratification", "legislative").
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

MODEL_PATH = Path(__file__).parent / "action_model.json.gz"

#: Block name -> weight, in the order the training script and the scorer use.
BLOCKS = {"cues": 1.0, "head": 1.0, "body": 0.3, "chars": 0.5}

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_SKLEARN_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_FILLER = frozenset(
    [
        "a",
        "an",
        "the",
        "all",
        "its",
        "his",
        "her",
        "their",
        "necessary",
        "appropriate",
        "further",
        "effective",
        "and",
        "specific",
        "comprehensive",
        "new",
        "additional",
        "concrete",
        "relevant",
        "adequate",
        "national",
        "legislative",
        "legal",
        "urgent",
        "immediate",
        "more",
        "every",
        "possible",
        "effectively",
        "fully",
        "urgently",
        "swiftly",
        "promptly",
        "as",
        "soon",
        "of",
        "in",
        "on",
        "for",
        "with",
        "by",
    ]
)
_SKIP_LEAD = frozenset(
    (
        "further",
        "fully",
        "effectively",
        "urgently",
        "also",
        "to",
        "that",
        "it",
        "be",
        "immediately",
        "promptly",
    )
)
_SPECIFIC = re.compile(
    r"ratif\w*|accede|accession|adhere|become a party|becoming a party|\bsign\b|signing|adopt\w*|"
    r"enact\w*|amend\w*|repeal\w*|abolish\w*|establish\w*|set up|creat\w*|allocat\w*|investigat\w*|"
    r"prosecut\w*|criminali[sz]\w*|withdraw\w*|lift\w*|standing invitation|submit\w*|release\w*|"
    r"decriminali[sz]\w*|revis\w*|incorporat\w*|introduc\w*|\bpass\w*|\bbill\b|\blaws?\b|\bact\b|"
    r"legislation|\bcode\b|moratorium|reservations?|invitation|visit|fund\w*|budget|resources|"
    r"recommendations|plan\b|programme|strategy|measures|efforts|steps|policy|policies"
)
_INCLUDING = re.compile(
    r"\b(?:including|notably|particularly|in particular|such as)\s+(?:by\s+|through\s+)?(\w+)"
)
_AND_VERB = re.compile(r"\band\s+(\w+)")


def cue_tokens(text: str) -> list[str]:
    """Return the cue features of one (already de-preambled) recommendation."""
    low = text.lower().strip()
    toks = _WORD.findall(low)
    out = [f"P{i}_{'_'.join(toks[: i + 1])}" for i in range(min(4, len(toks)))]
    i = 0
    while i < len(toks) and toks[i] in _SKIP_LEAD:
        i += 1
    if i < len(toks):
        verb = toks[i]
        out.append("V_" + verb)
        obj = [t for t in toks[i + 1 : i + 8] if t not in _FILLER]
        if obj:
            out.append(f"VO_{verb}_{obj[0]}")
        if len(obj) > 1:
            out.append(f"VO2_{verb}_{obj[0]}_{obj[1]}")
        window = toks[i + 1 : i + 8]
        if "to" in window:
            j = i + 1 + window.index("to")
            if j + 1 < len(toks):
                out.append("TO_" + toks[j + 1])
                out.append(f"VTO_{verb}_{toks[j + 1]}")
    out.extend("INC_" + m.group(1) for m in _INCLUDING.finditer(low))
    out.extend("AND_" + m.group(1) for m in _AND_VERB.finditer(low[:80]))
    out.extend("S_" + m.group(0).replace(" ", "_") for m in _SPECIFIC.finditer(low))
    return out


def _ngrams(words: list[str], low: int, high: int) -> list[str]:
    grams = []
    for n in range(low, high + 1):
        grams.extend(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return grams


def head_tokens(text: str) -> list[str]:
    """Word 1-3-grams of the first twelve words (scikit-learn's default tokenisation)."""
    head = " ".join(text.split()[:12]).lower()
    return _ngrams(_SKLEARN_TOKEN.findall(head), 1, 3)


def body_tokens(text: str) -> list[str]:
    return _ngrams(_SKLEARN_TOKEN.findall(text.lower()), 1, 2)


def char_tokens(text: str) -> list[str]:
    grams = []
    for word in text.lower().split()[:15]:
        padded = f" {word} "
        for n in range(3, 6):
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


BLOCK_TOKENS = {"cues": cue_tokens, "head": head_tokens, "body": body_tokens, "chars": char_tokens}


@dataclass(frozen=True)
class LoadedModel:
    classes: tuple[str, ...]
    #: block -> (vocabulary term -> column, idf array, coefficient matrix [terms x classes])
    blocks: dict[str, tuple[dict[str, int], Any, Any]]
    intercept: Any
    version: str


@lru_cache(maxsize=1)
def load_model(path: str = str(MODEL_PATH)) -> LoadedModel | None:
    """Return the shipped model, or None when the weights file is absent (rules only)."""
    model_path = Path(path)
    if not model_path.is_file():
        return None
    raw = model_path.read_bytes()
    if model_path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return model_from_json(json.loads(raw.decode("utf-8")))


def model_from_json(data: dict[str, Any]) -> LoadedModel:
    """Return the model held in *data* (the weights file's JSON object)."""
    import numpy as np

    blocks = {}
    for name in BLOCKS:
        block = data["blocks"][name]
        terms = block["terms"]
        blocks[name] = (
            {t: i for i, t in enumerate(terms)},
            np.asarray(block["idf"], dtype=np.float64),
            np.asarray(block["coef"], dtype=np.float64).reshape(len(terms), len(data["classes"])),
        )
    return LoadedModel(
        tuple(data["classes"]),
        blocks,
        np.asarray(data["intercept"], dtype=np.float64),
        data["version"],
    )


def score_texts(model: LoadedModel, texts: Sequence[str]) -> Any:
    """Return the decision scores [texts x classes] of *texts* (sublinear tf-idf, as trained)."""
    import numpy as np
    from scipy import sparse

    total = np.tile(model.intercept, (len(texts), 1))
    for name, weight in BLOCKS.items():
        vocab, idf, coef = model.blocks[name]
        tokenise = BLOCK_TOKENS[name]
        rows: list[int] = []
        cols: list[int] = []
        for row, text in enumerate(texts):
            for tok in tokenise(text):
                col = vocab.get(tok)
                if col is not None:
                    rows.append(row)
                    cols.append(col)
        counts = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(len(texts), len(vocab))
        )
        counts.sum_duplicates()
        counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        counts = sparse.diags(weight / norms) @ counts
        total += counts @ coef
    return total
