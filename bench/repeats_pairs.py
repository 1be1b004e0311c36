"""Draw the candidate pairs of the hand-checked repeats set (bench/gold/repeats.csv).

Usage: python bench/repeats_pairs.py [--print]

How the set was made (docs/analysis.md, "Repeats"): Slovenia's recommendations across UPR
cycles 1-4 and mechanisms (the cycle-1 Working Group report, the OHCHR matrices of cycles 2-4,
the CRPD concluding observations of 2018). For each (later, earlier) pair of sets below, a
seeded sample of later recommendations; for each, its most similar earlier recommendation by
two different measures, the grouping's own word vectors and character 3-5-grams (so that the
set does not only hold what the grouping would find), whatever the similarity. Each pair was then
read and labelled by hand: same (the later one asks again for what the earlier one asked: the
same act on the same subject, in other words or with a narrower or wider list) or not. Only ids
and labels are stored.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rightstrack.conftest import SHARED_RAW  # noqa: E402

SLOVENIA = SHARED_RAW / "upr-slovenia-docs"
CRPD = SHARED_RAW / "crpd-concluding-observations-sample" / "Slovenia_2018_CRPD_C_SVN_CO_1.pdf"
#: (later set, earlier sets, how many later recommendations drawn)
PLAN = (
    ("upr2", ("upr1",), 20),
    ("upr3", ("upr2",), 35),
    ("upr4", ("upr3",), 35),
    ("upr4", ("upr2",), 15),
    ("crpd", ("upr2", "upr3"), 20),
    ("upr4", ("crpd",), 15),
)


def load_sets() -> dict[str, dict[str, str]]:
    """Return set name -> {id: text}; ids are "upr3:121.1", "crpd:24"."""
    from rightstrack.formats.extract import extract_document
    from rightstrack.formats.importers.ohchr_matrix import OhchrMatrixImporter

    sets: dict[str, dict[str, str]] = {}
    for cycle in (2, 3, 4):
        path = next((SLOVENIA / "thematic-lists").glob(f"cycle{cycle}_*.docx"), None)
        if path is None:
            continue
        found: dict[str, str] = {}
        for r in OhchrMatrixImporter().read(path):
            found.setdefault(f"upr{cycle}:{r.paragraph}", r.text)
        sets[f"upr{cycle}"] = found
    report = SLOVENIA / "wg-reports" / "A_HRC_14_15_cycle1.pdf"
    if report.exists():
        sets["upr1"] = {}
        for r in extract_document(report):
            sets["upr1"].setdefault(f"upr1:{r.paragraph}", r.text)
    if CRPD.exists():
        sets["crpd"] = {}
        for r in extract_document(CRPD):
            sets["crpd"].setdefault(f"crpd:{r.paragraph}", r.text)
    return sets


def _char_vectors(texts: list[str]):  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(
        texts
    )


def draw() -> list[tuple[str, str]]:
    """Return (later id, earlier id) candidate pairs, in a fixed order, each once."""
    import numpy as np

    from rightstrack.engine.cluster.vectors import vectorise

    sets = load_sets()
    rng = random.Random(14)
    pairs: list[tuple[str, str]] = []
    for later_name, earlier_names, n in PLAN:
        if later_name not in sets or any(e not in sets for e in earlier_names):
            continue
        later = sorted(sets[later_name].items())
        earlier = sorted(item for e in earlier_names for item in sets[e].items())
        texts = [t for _, t in earlier] + [t for _, t in later]
        drawn = rng.sample(range(len(later)), min(n, len(later)))
        for matrix in (vectorise(texts).matrix, _char_vectors(texts)):
            old, new = matrix[: len(earlier)], matrix[len(earlier) :]
            sims = (new[drawn] @ old.T).toarray()
            for k, row in enumerate(drawn):
                best = int(np.argmax(sims[k]))
                pair = (later[row][0], earlier[best][0])
                if pair not in pairs:
                    pairs.append(pair)
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--print", action="store_true", help="print the pairs to label")
    args = parser.parse_args()
    pairs = draw()
    print(len(pairs), "candidate pairs")
    if args.print:
        text = {k: v for s in load_sets().values() for k, v in s.items()}
        for i, (a, b) in enumerate(pairs, 1):
            print(f"[{i}] {a}: {' '.join(text[a].split())[:400]}")
            print(f"     {b}: {' '.join(text[b].split())[:400]}")


if __name__ == "__main__":
    main()
