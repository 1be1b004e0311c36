"""The interface every trainable classifier follows, and the result shapes it returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rightstrack.engine.progress import Progress


@dataclass(frozen=True)
class Prediction:
    """The labels predicted for one text, best first, each with a calibrated confidence 0-1."""

    labels: tuple[str, ...]
    confidences: tuple[float, ...]


@dataclass(frozen=True)
class CrossValidation:
    """Cross-validated figures on the training data (out-of-fold predictions)."""

    folds: int
    micro_f1: float
    macro_f1: float
    #: Per-label F1 on the out-of-fold predictions, label -> F1.
    per_label_f1: dict[str, float] = field(default_factory=dict)


class TextClassifier:
    """A classifier that learns a taxonomy from labelled texts.

    Contract: `fit` is deterministic given the same texts, labels and `seed`; `predict` never
    returns a label that was not in the training data; `save` writes one file that `load` reads
    back. None of them touches a database or the network.
    """

    kind = ""
    label = ""

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[Sequence[str]],
        progress: Progress | None = None,
    ) -> CrossValidation:
        """Learn from *texts* and their *labels* (one list per text); return CV figures.
        *progress(done, total)*, when given, is called as training advances."""
        raise NotImplementedError

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """Return one Prediction per text, in order."""
        raise NotImplementedError

    def save(self, path: str | Path) -> None:
        """Write the trained model to *path* (one file), atomically."""
        raise NotImplementedError
