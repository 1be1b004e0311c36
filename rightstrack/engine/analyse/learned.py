"""A small multi-label model that learns, label by label, how far to trust the general rules.

`RuleBackedModel(rules)` is fitted on labelled recommendations (text, set of labels), e.g. an
OHCHR matrix a user imported. For each label it fits a logistic regression on word 1-2-gram
tf-idf plus the rules' own answers as features, then chooses, by cross-validation inside the
training data only, one of: the rules alone, the model above a threshold, rules or model, rules
and model. A label seen fewer than `min_positives` times keeps the rules. The choice is made on
folds of the training data (one fold per training matrix when `folds` is given), never on the
data it is scored on.

Pure Python (scikit-learn, numpy); no Django.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

import numpy as np
from scipy import sparse

THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)


class RuleBackedModel:
    def __init__(
        self,
        rules: Callable[[str], set[Hashable]],
        *,
        min_positives: int = 5,
        c: float = 4.0,
    ) -> None:
        self.rules = rules
        self.min_positives = min_positives
        self.c = c
        self.labels: list[Hashable] = []
        self.choice: dict[Hashable, tuple[str, float]] = {}

    # --- features -------------------------------------------------------------------------
    def _vectorizer(self):  # type: ignore[no-untyped-def]
        from sklearn.feature_extraction.text import TfidfVectorizer

        return TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)

    def _features(self, vectorizer, texts: Sequence[str], rule_hits: list[set[Hashable]]):  # type: ignore[no-untyped-def]
        words = vectorizer.transform(texts)
        index = {label: i for i, label in enumerate(self.labels)}
        rows, cols = [], []
        for r, hits in enumerate(rule_hits):
            for label in hits:
                if label in index:
                    rows.append(r)
                    cols.append(index[label])
        rule_block = sparse.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(len(texts), len(self.labels))
        )
        return sparse.hstack([words, rule_block]).tocsr()

    def _fit_models(self, texts, labels, rule_hits):  # type: ignore[no-untyped-def]
        from sklearn.linear_model import LogisticRegression

        vectorizer = self._vectorizer().fit(texts)
        x = self._features(vectorizer, texts, rule_hits)
        models = {}
        for label in self.labels:
            y = np.array([label in gold for gold in labels])
            if y.sum() < self.min_positives or y.all():
                continue
            models[label] = LogisticRegression(
                C=self.c, class_weight="balanced", max_iter=2000
            ).fit(x, y)
        return vectorizer, models

    def _probabilities(self, vectorizer, models, texts, rule_hits):  # type: ignore[no-untyped-def]
        x = self._features(vectorizer, texts, rule_hits)
        return {label: m.predict_proba(x)[:, 1] for label, m in models.items()}

    @staticmethod
    def _decide(kind: str, threshold: float, rule: bool, prob: float | None) -> bool:
        model = prob is not None and prob >= threshold
        if kind == "rules" or prob is None:
            return rule
        if kind == "model":
            return model
        if kind == "or":
            return rule or model
        return rule and model

    # --- fit / predict ---------------------------------------------------------------------
    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[set[Hashable]],
        folds: Sequence[Hashable] | None = None,
    ) -> RuleBackedModel:
        texts = list(texts)
        labels = [set(g) for g in labels]
        rule_hits = [self.rules(t) for t in texts]
        seen = {label for gold in labels for label in gold} | {
            label for hits in rule_hits for label in hits
        }
        self.labels = sorted(seen, key=str)
        if folds is None or len(set(folds)) < 2:
            folds = [i % 3 for i in range(len(texts))]
        fold_ids = sorted(set(folds), key=str)
        # Counts per label and candidate, summed over the inner folds.
        candidates = [("rules", 0.0)] + [
            (kind, t) for kind in ("model", "or", "and") for t in THRESHOLDS
        ]
        counts: dict[Hashable, dict[tuple[str, float], list[int]]] = {
            label: {cand: [0, 0, 0] for cand in candidates} for label in self.labels
        }
        for fold in fold_ids:
            train = [i for i, f in enumerate(folds) if f != fold]
            test = [i for i, f in enumerate(folds) if f == fold]
            vectorizer, models = self._fit_models(
                [texts[i] for i in train], [labels[i] for i in train], [rule_hits[i] for i in train]
            )
            probs = self._probabilities(
                vectorizer, models, [texts[i] for i in test], [rule_hits[i] for i in test]
            )
            for label in self.labels:
                p = probs.get(label)
                for cand in candidates:
                    c = counts[label][cand]
                    for k, i in enumerate(test):
                        pred = self._decide(
                            cand[0], cand[1], label in rule_hits[i], None if p is None else p[k]
                        )
                        gold = label in labels[i]
                        c[0] += pred and gold
                        c[1] += pred and not gold
                        c[2] += gold and not pred

        def f1(c: list[int]) -> float:
            return 2 * c[0] / (2 * c[0] + c[1] + c[2]) if c[0] else 0.0

        self.choice = {}
        for label in self.labels:
            best = max(
                candidates, key=lambda cand: (f1(counts[label][cand]), cand == ("rules", 0.0))
            )
            self.choice[label] = best
        self._vectorizer_fitted, self._models = self._fit_models(texts, labels, rule_hits)
        return self

    def predict(self, texts: Sequence[str]) -> list[set[Hashable]]:
        texts = list(texts)
        rule_hits = [self.rules(t) for t in texts]
        probs = self._probabilities(self._vectorizer_fitted, self._models, texts, rule_hits)
        out: list[set[Hashable]] = []
        for k, hits in enumerate(rule_hits):
            found = {label for label in hits if label not in self.choice}
            for label, (kind, threshold) in self.choice.items():
                p = probs.get(label)
                if self._decide(kind, threshold, label in hits, None if p is None else p[k]):
                    found.add(label)
            out.append(found)
        return out
