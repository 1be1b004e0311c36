from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from rightstrack.engine.classify.tfidf_linear import SMALL_FOLDS, TfidfLinearClassifier, load_model
from rightstrack.engine.tests.classifier_corpus import (
    ASSIGNED,
    EDUCATION,
    HEALTH,
    JUSTICE,
    LABOUR,
)
from rightstrack.formats.exceptions import InputError
from rightstrack.formats.records import normalise_for_key

TEXTS = [t for t, _ in ASSIGNED]
LABELS = [ls for _, ls in ASSIGNED]
UNSEEN = [
    "Investigate all cases of police torture and prosecute those responsible",
    "Extend health insurance so that poor families can see a doctor",
    "Provide free textbooks and hire more teachers for primary schools",
    "Enforce the minimum wage and inspect workplaces for unpaid overtime",
]


@pytest.fixture(scope="module")
def trained() -> TfidfLinearClassifier:
    model = TfidfLinearClassifier(multi_label=True)
    model.fit(TEXTS, LABELS)
    return model


def test_it_learns_a_small_multi_label_taxonomy(trained: TfidfLinearClassifier) -> None:
    predictions = trained.predict(UNSEEN)

    assert [p.labels[0] for p in predictions] == [JUSTICE, HEALTH, EDUCATION, LABOUR]
    assert all(0 < c <= 1 for p in predictions for c in p.confidences)
    assert trained.labels == sorted([EDUCATION, HEALTH, JUSTICE, LABOUR])


def test_it_reports_cross_validated_figures(trained: TfidfLinearClassifier) -> None:
    cv = trained.cross_validation

    assert cv is not None
    assert cv.folds == SMALL_FOLDS
    assert 0.4 < cv.micro_f1 <= 1
    assert 0.4 < cv.macro_f1 <= 1
    assert set(cv.per_label_f1) == {EDUCATION, HEALTH, JUSTICE, LABOUR}


def test_it_is_deterministic(trained: TfidfLinearClassifier) -> None:
    again = TfidfLinearClassifier(multi_label=True)

    cv = again.fit(TEXTS, LABELS)

    assert cv == trained.cross_validation
    assert again.predict(UNSEEN) == trained.predict(UNSEEN)


def test_it_gives_the_same_model_when_labels_are_fitted_in_parallel(
    trained: TfidfLinearClassifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numpy as np

    from rightstrack.engine.classify import tfidf_linear

    monkeypatch.setattr(tfidf_linear, "PARALLEL_WORK", 0)
    monkeypatch.setattr(tfidf_linear.os, "cpu_count", lambda: 2)
    again = TfidfLinearClassifier(multi_label=True)

    again.fit(TEXTS, LABELS)

    assert np.array_equal(again.weights, trained.weights)
    assert np.array_equal(again.intercepts, trained.intercepts)


def test_it_saves_and_loads_one_file(trained: TfidfLinearClassifier, tmp_path: Path) -> None:
    path = tmp_path / "ministries.model"

    trained.save(path)
    loaded = load_model(path)

    assert [p.name for p in tmp_path.iterdir()] == ["ministries.model"]
    assert loaded.predict(UNSEEN) == trained.predict(UNSEEN)
    assert loaded.labels == trained.labels
    assert loaded.cross_validation == trained.cross_validation
    assert loaded.trained == trained.trained


def test_thresholds_favour_the_f1_over_all_labels() -> None:
    import numpy as np
    from sklearn.metrics import f1_score

    # A common label the scores separate perfectly, and a rare one whose own best F1 (0.6)
    # keeps all seven rows, four of them wrong; over both labels, keeping only its top row
    # is better (micro-F1 0.955 against 0.920).
    rare = [(0.9, 1), (0.8, 0), (0.7, 0), (0.6, 1), (0.5, 0), (0.4, 0), (0.3, 1)]
    scores = np.array([[1.0, -1.0]] * 20 + [[-1.0, s] for s, _ in rare], dtype=np.float32)
    y = np.array([[1, 0]] * 20 + [[0, t] for _, t in rare], dtype=np.int8)
    model = TfidfLinearClassifier(multi_label=True)

    thresholds = model._tune_thresholds(scores, y)

    assert 0.8 < thresholds[1] < 0.9
    assert thresholds[0] < 1.0
    assert f1_score(y, scores > thresholds, average="micro") == pytest.approx(42 / 44)


@pytest.mark.parametrize("multi_label", [False, True])
def test_copies_of_a_text_do_not_flatter_the_cross_validated_figures(multi_label: bool) -> None:
    import random

    # Labels drawn at random, so nothing can be learnt; each text comes three times, as a joint
    # recommendation does in an export with one row per co-sponsor. With a copy on both sides
    # of a fold the figures came out at 0.95-1.0; kept together, they stay near chance.
    rng = random.Random(0)
    words = sorted({word for text in TEXTS for word in text.lower().split()})
    texts = [" ".join(rng.sample(words, 5)) for _ in range(60)]
    labels = [[rng.choice("AB")] for _ in texts]
    copies = [copy for text in texts for copy in (text, text.upper(), text + ".")]
    copied_labels = [ls for ls in labels for _ in range(3)]
    model = TfidfLinearClassifier(multi_label=multi_label)

    cv = model.fit(copies, copied_labels)
    folds = model._splits([normalise_for_key(c) for c in copies], model._binarise(copied_labels))

    assert cv.micro_f1 < 0.8
    fold_of = {int(row): k for k, (_, rows) in enumerate(folds) for row in rows}
    assert all(fold_of[3 * i] == fold_of[3 * i + 1] == fold_of[3 * i + 2] for i in range(60))


def test_it_reports_progress_after_each_model_it_trains() -> None:
    calls: list[tuple[int, int]] = []

    def record(done: int, total: int) -> None:
        calls.append((done, total))

    TfidfLinearClassifier().fit(TEXTS, LABELS, progress=record)
    TfidfLinearClassifier(folds=0).fit(TEXTS, LABELS, progress=record)

    # One call per (fold model, label) fitted, as each ends: with cross-validation the kept
    # model is the mean of the fold models; without it, one model fitted on all rows.
    per_fold = [(done, SMALL_FOLDS * 4) for done in range(1, SMALL_FOLDS * 4 + 1)]
    assert calls == [*per_fold, (1, 4), (2, 4), (3, 4), (4, 4)]


def test_it_trains_a_multi_class_classifier() -> None:
    model = TfidfLinearClassifier(multi_label=False)

    model.fit(TEXTS, [ls[:1] for ls in LABELS])
    predictions = model.predict(UNSEEN)

    assert [p.labels for p in predictions] == [(JUSTICE,), (HEALTH,), (EDUCATION,), (LABOUR,)]
    assert model.cross_validation is not None and model.cross_validation.folds == SMALL_FOLDS


def test_it_rejects_a_single_label() -> None:
    model = TfidfLinearClassifier()

    with pytest.raises(InputError, match="2 distinct labels"):
        model.fit(TEXTS[:6], [[JUSTICE]] * 6)


def test_it_rejects_a_file_that_is_not_a_model(tmp_path: Path) -> None:
    text_file = tmp_path / "notes.model"
    text_file.write_text("not a model", encoding="utf-8")
    other_pickle = tmp_path / "other.model"
    other_pickle.write_bytes(pickle.dumps({"format": "something else"}))

    with pytest.raises(InputError, match=r"notes\.model: not a rightstrack classifier model"):
        load_model(text_file)
    with pytest.raises(InputError, match=r"other\.model: not a rightstrack classifier model"):
        load_model(other_pickle)
    with pytest.raises(InputError, match="no such model file"):
        load_model(tmp_path / "missing.model")
