"""A TF-IDF + linear SVM classifier for any taxonomy, multi-label or multi-class.

Two linear SVMs per label (one-vs-rest, classes weighted so rare labels are not drowned) on word
and character n-grams: a plain one, and one on features scaled by their naive Bayes log-count
ratio for that label (NB-SVM, Wang & Manning 2012), which favours the words that tell the label
apart. Their scores, each divided by its spread on the training rows, are averaged; since both
are linear in the same features, the average is itself one weight vector per label.

Out-of-fold scores from a seeded k-fold cross-validation (every copy of a text in the same
fold) serve three purposes: the figures printed after training, a per-label decision threshold
(chosen to maximise that label's F1, then moved where the F1 over all labels is higher), and a
sigmoid per label that turns scores into calibrated confidences. The model kept is the mean of
the fold models (no last fit on all rows); one TF-IDF fit serves every fold, and every (fold,
label) pair is one task for the processes, reported to *progress* as it ends.
"""

from __future__ import annotations

import math
import os
import pickle
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rightstrack import __version__
from rightstrack.engine.classify.base import CrossValidation, Prediction, TextClassifier
from rightstrack.engine.classify.features import make_vectoriser
from rightstrack.engine.progress import Progress
from rightstrack.formats.exceptions import InputError
from rightstrack.formats.records import normalise_for_key

MODEL_FORMAT = "rightstrack-classifier"
MODEL_FORMAT_VERSION = 1
#: Regularisation of each SVM; chosen on UPR Info sessions 1-8 against sessions 9-10.
SVM_C = 0.5
#: Folds of the cross-validation (five before 2026-12-01). On UPR Info issues, trained on
#: sessions 1-10 and measured on 11-13: two folds 0.896 / 0.839 micro / macro-F1, three 0.899 /
#: 0.846; on the 22,777 texts of sessions 1-13 two folds take 85 s of CPU, three 139 s (same
#: run conditions), so two keep training within a minute on 2 cores; `--folds 3` for the rest.
MAX_FOLDS = 2
#: Below this many different texts, training is cheap and each fold model needs more of them:
#: SMALL_FOLDS folds (on 34 texts, two folds' models saw 17 each and scored micro-F1 0.37).
SMALL_ROWS, SMALL_FOLDS = 5000, 5
#: Weight of the NB-SVM in the average of the two SVMs per label. 0.5 was chosen on UPR Info
#: sessions 1-10 by 5-fold cross-validation when the kept model was fitted on all rows; with the
#: kept model the mean of three fold models, the NB-SVM alone gives the same held-out F1 (0.899 /
#: 0.846 against 0.899 / 0.848 with 0.5) for one fit per label instead of two, so 1.0 (measured
#: with three folds).
NB_SHARE = 1.0
#: Some labels' problems are slow to converge: with liblinear's default 1000 iterations, the
#: NB-SVM warned on 21 of 648 fits on UPR Info issues, and the plain SVM on 11 when trained on
#: the raw export (each joint recommendation repeated once per co-sponsor).
MAX_ITER = 5000
#: Stopping tolerance of liblinear's dual solver (scikit-learn's default 1e-4, liblinear's own
#: 0.1): 1e-2 fits a label in three quarters of the time, with scores correlated above 0.99999
#: with those at 1e-4 on UPR Info issues.
SVM_TOL = 1e-2
#: Most labels fitted at once (processes), and the least rows x labels worth starting them for.
MAX_JOBS = 4
PARALLEL_WORK = 200_000
#: Below this many rows no cross-validation is attempted.
MIN_ROWS_FOR_CV = 4
#: A label needs this many positives in the out-of-fold scores before its threshold is tuned;
#: with fewer, the SVM's own zero is kept.
MIN_POSITIVES_TO_TUNE = 3
#: When no label passes its threshold, the best one is still given if its confidence reaches this.
FALLBACK_CONFIDENCE = 0.25
#: Scores used for a label that the training fold never (or always) showed.
ABSENT_SCORE, CONSTANT_SCORE = -10.0, 10.0
#: Sigmoid (slope, intercept) used when training skipped cross-validation (folds=0).
UNCALIBRATED = (2.0, 0.0)


class TfidfLinearClassifier(TextClassifier):
    kind = "tfidf_linear"
    label = "TF-IDF word and character n-grams + linear SVM per label"

    def __init__(
        self, *, multi_label: bool = True, seed: int = 0, folds: int | None = None
    ) -> None:
        """*folds*: None chooses (MAX_FOLDS, or SMALL_FOLDS under SMALL_ROWS different texts);
        0 skips cross-validation: faster, but no figures, tuned thresholds or
        calibrated confidences."""
        self.multi_label = multi_label
        self.seed = seed
        self.max_folds = folds
        self.labels: list[str] = []
        self.vectoriser: Any = None
        self.weights: Any = None  # features x labels
        self.intercepts: Any = None
        self.thresholds: Any = None
        self.calibration: Any = None  # labels x 2: slope, intercept of the sigmoid
        self.fallback = True
        self.cross_validation: CrossValidation | None = None
        self.trained = ""
        self.rows = 0

    # -- training ---------------------------------------------------------------------------

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[Sequence[str]],
        progress: Progress | None = None,
    ) -> CrossValidation:
        """Train on *texts* and *labels*; return the cross-validated figures. *progress* is
        called after each of the models trained (one per fold, then the final one).

        Raises InputError when there is too little to learn from (fewer than two distinct labels
        or fewer than MIN_ROWS_FOR_CV different labelled texts).
        """
        import numpy as np

        pairs = [(t, sorted(set(ls))) for t, ls in zip(texts, labels, strict=True) if t.strip()]
        if self.multi_label:
            pairs = [(t, ls) for t, ls in pairs if ls] or pairs
        else:
            pairs = [(t, ls[:1]) for t, ls in pairs if ls]
        self.labels = sorted({label for _, ls in pairs for label in ls})
        # A text's words, ignoring case, punctuation and spacing: what makes two rows copies.
        keys = [normalise_for_key(t) for t, _ in pairs]
        distinct = len(set(keys))
        if len(self.labels) < 2 or distinct < MIN_ROWS_FOR_CV:
            raise InputError(
                f"need at least {MIN_ROWS_FOR_CV} different labelled texts and 2 distinct labels "
                f"to train (got {distinct} texts, {len(self.labels)} labels)"
            )
        x = [t for t, _ in pairs]
        y = self._binarise([ls for _, ls in pairs])
        self.rows = len(x)

        self.fallback = bool((y.sum(axis=1) > 0).mean() > 0.99)
        splits = self._splits(keys, y) if self.max_folds != 0 else []
        # One TF-IDF fit on every training text serves all folds (it sees no label); the
        # held-out fold's texts only shape which n-grams are kept and their IDF.
        self.vectoriser = make_vectoriser(rows=len(x))
        features = self.vectoriser.fit_transform(x).tocsr()
        if splits:
            fitted = self._train(features, y, [train for train, _ in splits], progress)
            scores = np.zeros(y.shape, dtype=np.float32)
            for (_, test_rows), (weights, intercepts) in zip(splits, fitted, strict=True):
                scores[test_rows] = features[test_rows] @ weights + intercepts
            folds = self._fold_thresholds(scores, y, splits)
            self.thresholds = self._tune_thresholds(scores, y)
            self.calibration = _fit_sigmoids(scores, y)
            predicted = np.vstack(
                [self._decide(scores[rows], fold_thresholds) for rows, fold_thresholds in folds]
            )
            order = np.concatenate([rows for rows, _ in folds])
            self.cross_validation = _figures(y[order], predicted, self.labels, len(folds))
            # The model kept is the mean of the fold models: one weight vector per label, whose
            # scores match the out-of-fold ones the thresholds and sigmoids were fitted on, and
            # no further training on all rows (which took a sixth of the time with five folds).
            self.weights = np.mean([w for w, _ in fitted], axis=0, dtype=np.float32)
            self.intercepts = np.mean([b for _, b in fitted], axis=0, dtype=np.float32)
        else:
            # No cross-validation: the SVM's own zero as threshold, a generic sigmoid.
            self.thresholds = np.zeros(len(self.labels), dtype=np.float32)
            self.calibration = np.tile(
                np.array(UNCALIBRATED, dtype=np.float32), (len(self.labels), 1)
            )
            self.cross_validation = CrossValidation(0, math.nan, math.nan)
            [(self.weights, self.intercepts)] = self._train(
                features, y, [np.arange(len(x))], progress
            )
        self.trained = datetime.now(UTC).isoformat(timespec="seconds")
        return self.cross_validation

    def _binarise(self, labels: Sequence[Sequence[str]]) -> Any:
        import numpy as np

        index = {label: i for i, label in enumerate(self.labels)}
        y = np.zeros((len(labels), len(self.labels)), dtype=np.int8)
        for row, ls in enumerate(labels):
            for label in ls:
                if label in index:
                    y[row, index[label]] = 1
        return y

    def _train(
        self, features: Any, y: Any, trainings: list[Any], progress: Progress | None
    ) -> list[tuple[Any, Any]]:
        """Return (weights: features x labels, intercepts) of one model per array of training
        rows in *trainings*; every (model, label) pair is one task over the processes, and
        *progress* is called as each ends."""
        import numpy as np
        from joblib import Parallel, delayed

        subsets = []
        for rows in trainings:
            # Copies of one text with the same labels become one row that counts as many: the
            # same model, but liblinear converges on it (exports repeat a joint recommendation
            # once per co-sponsor, and the copies slowed it past its iteration limit).
            distinct, counts = _distinct_rows(rows, features, y)
            subset = features[distinct]
            subsets.append(
                (subset, _log_count_ratios(subset, y[distinct], counts), y[distinct], counts)
            )
        tasks = [(m, j) for m in range(len(trainings)) for j in range(y.shape[1])]
        # Processes, not threads: liblinear draws from one random generator per process, so
        # labels fitted side by side in threads would not give the same model twice.
        work = sum(s[0].shape[0] for s in subsets) * y.shape[1] // len(subsets)
        results = Parallel(n_jobs=_jobs(work), return_as="generator")(
            delayed(self._fit_label)(
                subsets[m][0], subsets[m][1][:, j], subsets[m][2][:, j], subsets[m][3]
            )
            for m, j in tasks
        )
        models = [
            (
                np.zeros((features.shape[1], y.shape[1]), dtype=np.float32),
                np.zeros(y.shape[1], dtype=np.float32),
            )
            for _ in trainings
        ]
        for done, ((m, j), (label_weights, intercept)) in enumerate(
            zip(tasks, results, strict=True), start=1
        ):
            if label_weights is not None:
                models[m][0][:, j] = label_weights
            models[m][1][j] = intercept
            if progress:
                progress(done, len(tasks))
        return models

    def _fit_label(self, features: Any, ratio: Any, column: Any, counts: Any) -> tuple[Any, float]:
        """Return one label's weights (None when it is constant) and intercept; row i of
        *features* stands for counts[i] training texts, *ratio* is the label's NB scaling."""
        if column.min() == column.max():
            return None, CONSTANT_SCORE if column[0] else ABSENT_SCORE
        if NB_SHARE < 1:
            plain_w, plain_b = self._svm(features, column, counts)
        # Each column scaled by its ratio, in place of a product with a diagonal matrix (which
        # took a third of the time of a label).
        scaled = features.copy()
        scaled.data *= ratio[scaled.indices].astype(scaled.dtype)
        nb_w, nb_b = self._svm(scaled, column, counts)
        nb_w = nb_w * ratio  # back to the unscaled features
        nb_spread = _spread(features @ nb_w + nb_b, counts)
        if NB_SHARE >= 1:
            return nb_w / nb_spread, nb_b / nb_spread
        plain_spread = _spread(features @ plain_w + plain_b, counts)
        return (
            NB_SHARE * nb_w / nb_spread + (1 - NB_SHARE) * plain_w / plain_spread,
            NB_SHARE * nb_b / nb_spread + (1 - NB_SHARE) * plain_b / plain_spread,
        )

    def _svm(self, features: Any, column: Any, counts: Any) -> tuple[Any, float]:
        from sklearn.svm import LinearSVC

        # "balanced" class weights, counted over the texts rather than the distinct rows.
        positives = float(counts[column == 1].sum())
        total = float(counts.sum())
        balanced = {1: total / (2 * positives), 0: total / (2 * (total - positives))}
        svm = LinearSVC(
            C=SVM_C,
            class_weight=balanced,
            random_state=self.seed,
            max_iter=MAX_ITER,
            tol=SVM_TOL,
        )
        svm.fit(features, column, sample_weight=counts)
        return svm.coef_[0], float(svm.intercept_[0])

    def _splits(self, keys: Sequence[str], y: Any) -> list[tuple[Any, Any]]:
        """Return the cross-validation folds, (training rows, held-out rows) per fold, for rows
        whose texts normalise to *keys*."""
        import numpy as np
        from sklearn.model_selection import KFold, StratifiedGroupKFold

        # Copies of one text (a joint recommendation exported once per co-sponsor, the same
        # words from another cycle) stay in one fold: a copy on both sides flatters the figures
        # and skews the thresholds tuned on them.
        groups = np.unique(keys, return_inverse=True)[1]
        n_groups = int(groups.max()) + 1
        wanted = self.max_folds
        if wanted is None:
            wanted = SMALL_FOLDS if n_groups < SMALL_ROWS else MAX_FOLDS
        n_folds = max(2, min(wanted, n_groups // 2))
        if not self.multi_label and y.sum(axis=0).min() >= n_folds:
            splitter: Any = StratifiedGroupKFold(n_folds, shuffle=True, random_state=self.seed)
            return list(splitter.split(keys, y.argmax(axis=1), groups))
        return [
            (np.flatnonzero(~held), np.flatnonzero(held))
            for _, held_groups in KFold(n_folds, shuffle=True, random_state=self.seed).split(
                np.arange(n_groups)
            )
            for held in [np.isin(groups, held_groups)]
        ]

    def _fold_thresholds(
        self, scores: Any, y: Any, splits: list[tuple[Any, Any]]
    ) -> list[tuple[Any, Any]]:
        """Return, per fold, its held-out rows and thresholds tuned on the other folds' scores
        only, so the printed F1 is not flattered by tuning on the rows it is measured on."""
        import numpy as np

        folds = []
        for i, (_, test_rows) in enumerate(splits):
            others = np.concatenate([rows for k, (_, rows) in enumerate(splits) if k != i])
            folds.append((test_rows, self._tune_thresholds(scores[others], y[others])))
        return folds

    def _tune_thresholds(self, scores: Any, y: Any) -> Any:
        import numpy as np

        thresholds = np.zeros(y.shape[1], dtype=np.float32)
        if not self.multi_label:
            return thresholds
        tuned = [j for j in range(y.shape[1]) if y[:, j].sum() >= MIN_POSITIVES_TO_TUNE]
        for j in tuned:
            thresholds[j] = _best_threshold(scores[:, j], y[:, j])
        return _raise_micro_f1(scores, y, thresholds, tuned)

    # -- prediction -------------------------------------------------------------------------

    def _decide(self, scores: Any, thresholds: Any) -> Any:
        """Return the 0/1 decisions for *scores* (rows x labels)."""
        import numpy as np

        decided = np.zeros(scores.shape, dtype=np.int8)
        best = scores.argmax(axis=1)
        if not self.multi_label:
            decided[np.arange(len(best)), best] = 1
            return decided
        decided[scores > thresholds] = 1
        if self.fallback:
            confidence = self._confidences(scores)
            empty = (decided.sum(axis=1) == 0) & (
                confidence[np.arange(len(best)), best] >= FALLBACK_CONFIDENCE
            )
            decided[np.flatnonzero(empty), best[empty]] = 1
        return decided

    def _confidences(self, scores: Any) -> Any:
        import numpy as np

        z = scores * self.calibration[:, 0] + self.calibration[:, 1]
        probabilities = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        if not self.multi_label:
            probabilities = probabilities / probabilities.sum(axis=1, keepdims=True)
        return probabilities

    def scores(self, texts: Sequence[str]) -> Any:
        """Return the raw decision scores (rows x labels) for *texts*."""
        self._require_trained()
        return self.vectoriser.transform(list(texts)) @ self.weights + self.intercepts

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        import numpy as np

        scores = self.scores(texts)
        decided = self._decide(scores, self.thresholds)
        confidences = self._confidences(scores)
        predictions = []
        for row in range(len(texts)):
            chosen = np.flatnonzero(decided[row])
            chosen = chosen[np.argsort(-confidences[row, chosen], kind="stable")]
            predictions.append(
                Prediction(
                    tuple(self.labels[j] for j in chosen),
                    tuple(round(float(confidences[row, j]), 3) for j in chosen),
                )
            )
        return predictions

    def _require_trained(self) -> None:
        if self.vectoriser is None:
            raise InputError("the classifier has not been trained")

    # -- persistence ------------------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        from rightstrack.formats.tables import atomic_output

        self._require_trained()
        payload = {
            "format": MODEL_FORMAT,
            "format_version": MODEL_FORMAT_VERSION,
            "kind": self.kind,
            "rightstrack_version": __version__,
            "trained": self.trained,
            "rows": self.rows,
            "multi_label": self.multi_label,
            "seed": self.seed,
            "labels": self.labels,
            "cross_validation": asdict(self.cross_validation) if self.cross_validation else None,
            "fallback": self.fallback,
            "vectoriser": self.vectoriser,
            "weights": self.weights,
            "intercepts": self.intercepts,
            "thresholds": self.thresholds,
            "calibration": self.calibration,
        }
        with atomic_output(path, "wb") as fp:
            pickle.dump(payload, fp, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> TfidfLinearClassifier:
        model = cls(multi_label=payload["multi_label"], seed=payload["seed"])
        for name in (
            "labels",
            "vectoriser",
            "weights",
            "intercepts",
            "thresholds",
            "calibration",
            "fallback",
            "trained",
            "rows",
        ):
            setattr(model, name, payload[name])
        if payload.get("cross_validation"):
            model.cross_validation = CrossValidation(**payload["cross_validation"])
        return model


def load_model(path: str | Path) -> TfidfLinearClassifier:
    """Read a model written by `save`.

    Raises InputError naming the file when it is missing, not a rightstrack model, or from an
    incompatible version. Only load model files you trust: the format is a Python pickle.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such model file")
    try:
        with path.open("rb") as fp:
            payload = pickle.load(fp)
    except (
        pickle.UnpicklingError,
        EOFError,
        AttributeError,
        ImportError,
        IndexError,
        TypeError,
        ValueError,
        MemoryError,
    ) as exc:
        raise InputError(
            f"{path}: not a rightstrack classifier model ({exc.__class__.__name__})"
        ) from exc
    if not isinstance(payload, dict) or payload.get("format") != MODEL_FORMAT:
        raise InputError(f"{path}: not a rightstrack classifier model")
    if payload.get("format_version") != MODEL_FORMAT_VERSION:
        raise InputError(
            f"{path}: model format version {payload.get('format_version')} is not supported "
            f"(expected {MODEL_FORMAT_VERSION}); retrain it with this version of rightstrack"
        )
    return TfidfLinearClassifier.from_payload(payload)


def _jobs(work: int) -> int:
    """Return how many processes fit labels at once: the cores, up to MAX_JOBS (each holds a
    copy of the scaled features), and one for small work (rows x labels), where starting
    processes would cost more than it saves."""
    if work < PARALLEL_WORK:
        return 1
    return max(1, min(MAX_JOBS, os.cpu_count() or 1))


def _distinct_rows(rows: Any, features: Any, y: Any) -> tuple[Any, Any]:
    """Return, among *rows*, the first of each distinct (features, labels) pair and how many
    of *rows* share it."""
    import numpy as np

    first: dict[tuple[bytes, bytes, bytes], int] = {}
    counts: list[int] = []
    kept: list[int] = []
    for i in rows:
        start, end = features.indptr[i], features.indptr[i + 1]
        key = (
            features.indices[start:end].tobytes(),
            features.data[start:end].tobytes(),
            y[i].tobytes(),
        )
        if key in first:
            counts[first[key]] += 1
        else:
            first[key] = len(kept)
            kept.append(int(i))
            counts.append(1)
    return np.asarray(kept, dtype=np.int64), np.asarray(counts, dtype=np.float64)


def _log_count_ratios(features: Any, y: Any, counts: Any) -> Any:
    """Return, per feature and label, log(share of positives with it / share of negatives
    with it) with add-one smoothing: NB-SVM's scaling (features x labels), row i of *features*
    counted counts[i] times."""
    import numpy as np

    present = features.copy()
    present.data[:] = 1.0
    positives = np.asarray(present.T @ (counts[:, None] * (y == 1))) + 1.0
    negatives = np.asarray(present.T @ (counts[:, None] * (y == 0))) + 1.0
    return np.log((positives / positives.sum(axis=0)) / (negatives / negatives.sum(axis=0)))


def _spread(scores: Any, counts: Any) -> float:
    """Return the standard deviation of *scores*, row i counted counts[i] times (1 when they
    do not vary)."""
    import numpy as np

    mean = np.average(scores, weights=counts)
    spread = float(np.sqrt(np.average((scores - mean) ** 2, weights=counts)))
    return spread if spread > 1e-9 else 1.0


def _best_threshold(scores: Any, truth: Any) -> float:
    """Return the score threshold that maximises F1 for one label (midpoint between scores)."""
    import numpy as np

    order = np.argsort(-scores, kind="stable")
    s, t = scores[order], truth[order].astype(np.int64)
    true_positives = np.cumsum(t)
    predicted = np.arange(1, len(s) + 1)
    f1 = 2 * true_positives / (predicted + t.sum())
    # Only cut between distinct scores.
    distinct = np.append(s[1:] < s[:-1], True)
    f1 = np.where(distinct, f1, -1)
    k = int(np.argmax(f1))
    below = s[k + 1] if k + 1 < len(s) else s[k] - 1.0
    return float((s[k] + below) / 2)


def _raise_micro_f1(scores: Any, y: Any, thresholds: Any, tuned: Sequence[int]) -> Any:
    """Return *thresholds* moved, one label at a time, to where the F1 over all labels together
    (micro-F1) is highest, given the other labels' thresholds.

    Each label's own best F1 treats a rare label's errors as weighing as much as a common
    one's; the micro optimum keeps that start wherever it is as good. One pass suffices: on UPR
    Info issues a second pass moved nothing.
    """
    import numpy as np

    thresholds = thresholds.copy()
    decided = scores > thresholds
    truth = y.astype(bool)
    true_pos = int((decided & truth).sum())
    false_pos = int((decided & ~truth).sum())
    false_neg = int((~decided & truth).sum())
    for j in tuned:
        # Counts from every other label, then each cut of this label's sorted scores.
        column, label_truth = decided[:, j], truth[:, j]
        true_pos -= int((column & label_truth).sum())
        false_pos -= int((column & ~label_truth).sum())
        false_neg -= int((~column & label_truth).sum())
        order = np.argsort(-scores[:, j], kind="stable")
        s, t = scores[order, j], label_truth[order].astype(np.int64)
        hits = np.concatenate([[0], np.cumsum(t)])
        misses = np.concatenate([[0], np.cumsum(1 - t)])
        f1 = (2 * (true_pos + hits)) / (
            2 * (true_pos + hits) + false_pos + misses + false_neg + (t.sum() - hits)
        )
        # Cut k keeps the k highest scores; only cut between distinct scores.
        distinct = np.ones(len(f1), dtype=bool)
        distinct[1:-1] = s[1:] < s[:-1]
        current = int((scores[:, j] > thresholds[j]).sum())
        k = int(np.argmax(np.where(distinct, f1, -1.0)))
        if f1[k] > f1[current] + 1e-12:
            above = s[k - 1] if k > 0 else s[0] + 1.0
            below = s[k] if k < len(s) else s[-1] - 1.0
            thresholds[j] = (above + below) / 2
        column = scores[:, j] > thresholds[j]
        decided[:, j] = column
        true_pos += int((column & label_truth).sum())
        false_pos += int((column & ~label_truth).sum())
        false_neg += int((~column & label_truth).sum())
    return thresholds


def _fit_sigmoids(scores: Any, y: Any) -> Any:
    """Fit one sigmoid per label (Platt scaling) on out-of-fold scores."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    calibration = np.tile(np.array([1.0, 0.0], dtype=np.float32), (y.shape[1], 1))
    for j in range(y.shape[1]):
        if y[:, j].min() == y[:, j].max():
            continue
        fitted = LogisticRegression(C=1.0).fit(scores[:, j : j + 1].astype(np.float64), y[:, j])
        calibration[j] = (fitted.coef_[0, 0], fitted.intercept_[0])
    return calibration


def _figures(y: Any, predicted: Any, labels: list[str], folds: int) -> CrossValidation:
    from sklearn.metrics import f1_score

    present = [j for j in range(y.shape[1]) if y[:, j].any()]
    micro = f1_score(y, predicted, average="micro", zero_division=0)
    per_label = f1_score(y[:, present], predicted[:, present], average=None, zero_division=0)
    return CrossValidation(
        folds=folds,
        micro_f1=round(float(micro), 4),
        macro_f1=round(float(per_label.mean()) if len(present) else math.nan, 4),
        per_label_f1={
            labels[j]: round(float(f), 4) for j, f in zip(present, per_label, strict=True)
        },
    )
