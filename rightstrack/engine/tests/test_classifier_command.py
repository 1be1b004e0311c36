from __future__ import annotations

import csv
from pathlib import Path

import pytest

from rightstrack.cli import main
from rightstrack.engine.classify.tfidf_linear import SMALL_FOLDS
from rightstrack.engine.tests.classifier_corpus import ASSIGNED


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fp:
        csv.writer(fp).writerows([header, *rows])
    return path


@pytest.fixture
def training(tmp_path: Path) -> Path:
    rows = [[text, ",".join(labels)] for text, labels in ASSIGNED]
    return write_csv(tmp_path / "assigned.csv", ["Text", "Ministries"], rows)


def test_it_trains_and_predicts(
    training: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "ministries.model"
    new = write_csv(
        tmp_path / "new.csv",
        ["Paragraph", "Text"],
        [
            ["12", "Investigate police torture and prosecute the officers responsible"],
            ["13", "Hire more teachers for primary schools in rural areas"],
        ],
    )
    output = tmp_path / "predicted.csv"

    trained = main(
        [
            "classifier",
            "train",
            str(training),
            "-o",
            str(model),
            "--label-column",
            "Ministries",
            "--label-separator",
            ",",
        ]
    )
    printed = capsys.readouterr().out
    predicted = main(["classifier", "predict", str(model), str(new), "-o", str(output)])

    assert trained == 0 and predicted == 0
    assert f"cross-validated ({SMALL_FOLDS}-fold) micro-F1" in printed.splitlines()[-1]
    assert "macro-F1" in printed.splitlines()[-1]
    with output.open(encoding="utf-8") as fp:
        rows = list(csv.DictReader(fp))
    assert list(rows[0]) == ["Paragraph", "Text", "predicted_labels", "predicted_confidences"]
    assert rows[0]["predicted_labels"].split("; ")[0] == "Justice"
    assert rows[1]["predicted_labels"].split("; ")[0] == "Education"
    assert len(rows[0]["predicted_confidences"].split("; ")) == len(
        rows[0]["predicted_labels"].split("; ")
    )


def test_it_trains_a_multi_class_model_without_separator(
    training: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    single = write_csv(
        tmp_path / "single.csv",
        ["text", "Ministry"],
        [[text, labels[0]] for text, labels in ASSIGNED],
    )

    status = main(
        [
            "classifier",
            "train",
            str(single),
            "-o",
            str(tmp_path / "m.model"),
            "--label-column",
            "Ministry",
            "--text-column",
            "text",
        ]
    )

    assert status == 0
    assert "multi-class classifier on 34 texts, 4 labels" in capsys.readouterr().out


def test_it_names_a_missing_label_column(
    training: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "m.model"

    status = main(
        ["classifier", "train", str(training), "-o", str(model), "--label-column", "Ministry"]
    )

    assert status == 2
    error = capsys.readouterr().err
    assert "no column 'Ministry'" in error
    assert error.rstrip().endswith("use --label-column")
    assert not model.exists()


def test_it_rejects_a_bad_model_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "bogus.model"
    bogus.write_bytes(b"\x80\x04not really a pickle")
    new = write_csv(tmp_path / "new.csv", ["Text"], [["Ratify the Convention"]])
    output = tmp_path / "out.csv"

    status = main(["classifier", "predict", str(bogus), str(new), "-o", str(output)])

    assert status == 2
    assert "bogus.model: not a rightstrack classifier model" in capsys.readouterr().err
    assert not output.exists()


@pytest.mark.parametrize(("flag", "shown"), [("--progress", True), ("--no-progress", False)])
def test_it_shows_training_progress_when_asked(
    training: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flag: str, shown: bool
) -> None:
    from collections.abc import Iterator
    from contextlib import contextmanager

    from rightstrack.engine.commands import classifier
    from rightstrack.engine.progress import Progress

    bars: list[bool] = []
    reported: list[tuple[int, int]] = []

    @contextmanager
    def progress_bar(show: bool, description: str) -> Iterator[Progress | None]:
        bars.append(show)
        yield (lambda done, total: reported.append((done, total))) if show else None

    monkeypatch.setattr(classifier, "progress_bar", progress_bar)
    argv = ["classifier", "train", str(training), "-o", str(tmp_path / "m.model")]

    assert main([*argv, "--label-column", "Ministries", "--label-separator", ",", flag]) == 0
    assert bars == [shown]
    # One step per (fold model, label): 4 labels in the corpus.
    steps = SMALL_FOLDS * 4
    assert reported == ([(done, steps) for done in range(1, steps + 1)] if shown else [])


def test_the_number_of_folds_can_be_chosen(
    training: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["classifier", "train", str(training), "-o", str(tmp_path / "m.model")]
    argv += ["--label-column", "Ministries", "--label-separator", ","]

    assert main([*argv, "--folds", "3"]) == 0
    assert "cross-validated (3-fold) micro-F1" in capsys.readouterr().out
    assert main([*argv, "--folds", "0"]) == 0
    assert "no cross-validation" in capsys.readouterr().out
    assert main([*argv, "--folds", "1"]) != 0
    assert "--folds: give 0 (no cross-validation) or at least 2, not 1" in capsys.readouterr().err
