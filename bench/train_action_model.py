"""Train the action-category model shipped in rightstrack/engine/analyse/action_model.json.gz.

Usage: python bench/train_action_model.py [--validate] [--sessions 1-13]

The settings (C, block weights) were chosen on sessions 9-10 with models trained on 1-8
(--validate prints that split), and the held-out figure is measured on sessions 11-13 with a
model trained on 1-10 (bench/eval_action.py trains that one in memory). The shipped model is then
trained, with the same settings, on every labelled session we have (1-13 by default): the
recommendations it will meet come from later sessions still. The file holds feature names, idf
and coefficients (weights, not data), gzipped.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from upr_info_data import load_upr_info, split_sessions

from rightstrack.engine.analyse.action import operative_text
from rightstrack.engine.analyse.model import BLOCK_TOKENS, BLOCKS, MODEL_PATH

C = 0.1
VERSION = "linear-svc-upr-info-v2"
#: Rarer character n-grams add size and no accuracy on the tuning split.
MIN_DF = {"chars": 5}


def fit(texts: list[str], labels: list[str]):  # type: ignore[no-untyped-def]
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    operatives = [operative_text(t) for t in texts]
    vectorisers = {
        name: TfidfVectorizer(
            analyzer=BLOCK_TOKENS[name], sublinear_tf=True, min_df=MIN_DF.get(name, 3)
        )
        for name in BLOCKS
    }
    matrix = sparse.hstack(
        [vectorisers[n].fit_transform(operatives) * w for n, w in BLOCKS.items()]
    ).tocsr()
    svc = LinearSVC(C=C).fit(matrix, labels)
    return vectorisers, svc


def to_json(vectorisers, svc, sessions: str = "1-10") -> dict:  # type: ignore[no-untyped-def]
    blocks = {}
    offset = 0
    coef = svc.coef_.T  # features x classes
    for name in BLOCKS:
        vec = vectorisers[name]
        terms = [""] * len(vec.vocabulary_)
        for term, col in vec.vocabulary_.items():
            terms[col] = term
        block_coef = coef[offset : offset + len(terms)]
        offset += len(terms)
        blocks[name] = {
            "terms": terms,
            "idf": [round(float(x), 4) for x in vec.idf_],
            "coef": [round(float(x), 4) for x in block_coef.ravel()],
        }
    return {
        "version": f"{VERSION}-s{sessions}",
        "trained_on": f"UPR Info database export, sessions {sessions}, deduplicated",
        "classes": [str(c) for c in svc.classes_],
        "intercept": [round(float(x), 5) for x in svc.intercept_],
        "blocks": blocks,
    }


def train_model_json(rows: list[dict[str, str]], low: int, high: int) -> dict:
    """Return the weights-file JSON of a model trained on sessions *low*..*high* of *rows*."""
    train = split_sessions(rows, low, high)
    vecs, svc = fit([r["Text"] for r in train], [r["Action"] for r in train])
    return to_json(vecs, svc, f"{low}-{high}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--validate", action="store_true")
    parser.add_argument("--sessions", default="1-13", help="sessions to train on, LOW-HIGH")
    parser.add_argument("-o", "--output", default=str(MODEL_PATH))
    args = parser.parse_args()
    rows = load_upr_info()
    if args.validate:
        from scipy import sparse
        from sklearn.metrics import accuracy_score, f1_score

        train, val = split_sessions(rows, 1, 8), split_sessions(rows, 9, 10)
        vecs, svc = fit([r["Text"] for r in train], [r["Action"] for r in train])
        ops = [operative_text(r["Text"]) for r in val]
        m = sparse.hstack([vecs[n].transform(ops) * w for n, w in BLOCKS.items()]).tocsr()
        pred = svc.predict(m)
        gold = [r["Action"] for r in val]
        print(
            f"validation (train 1-8, test 9-10): accuracy {accuracy_score(gold, pred):.4f} "
            f"macro-F1 {f1_score(gold, pred, average='macro'):.4f}"
        )
    low, high = (int(n) for n in args.sessions.split("-"))
    data = train_model_json(rows, low, high)
    payload = json.dumps(data, separators=(",", ":")).encode("utf-8")
    # mtime=0 keeps the file byte-identical across runs on the same data.
    Path(args.output).write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))
    size = Path(args.output).stat().st_size
    n = len(split_sessions(rows, low, high))
    print(f"wrote {args.output} ({size / 1e6:.2f} MB) trained on {n} recommendations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
