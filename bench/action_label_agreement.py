"""Measure how consistently UPR Info's coders assign the action category (sessions 1-10).

Usage: python bench/action_label_agreement.py

Prints the agreement of identical normalised texts with their majority label, then the
agreement of near-identical texts (one per normalised text, pairs by tf-idf cosine): the
practical ceiling of any classifier trained on this export (docs/analysis.md).
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from upr_info_data import load_upr_info, split_sessions


def normalise(text: str) -> str:
    return re.sub(r"[^a-z ]", "", re.sub(r"\s+", " ", text.lower())).strip()


def main() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    by_text: dict[str, list[str]] = defaultdict(list)
    for row in split_sessions(load_upr_info(), 1, 10):
        by_text[normalise(row["Text"])].append(row["Action"])
    repeated = [labels for labels in by_text.values() if len(labels) > 1]
    rows = sum(len(labels) for labels in repeated)
    agree = sum(Counter(labels).most_common(1)[0][1] for labels in repeated)
    print(
        f"identical texts: {rows} rows in {len(repeated)} texts, {agree / rows:.3f} agree with the majority"
    )
    texts = list(by_text)
    labels = [Counter(by_text[t]).most_common(1)[0][0] for t in texts]
    similarity = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit_transform(texts)
    pairs = (similarity @ similarity.T).tocoo()
    for low, high in ((0.95, 1.01), (0.9, 0.95), (0.8, 0.9)):
        same = total = 0
        for i, j, value in zip(pairs.row, pairs.col, pairs.data, strict=True):
            if i < j and low <= value < high:
                total += 1
                same += labels[i] == labels[j]
        print(
            f"near-identical texts, cosine {low:.2f}-{min(high, 1):.2f}: {total} pairs, {same / total:.3f} agree"
        )


if __name__ == "__main__":
    main()
