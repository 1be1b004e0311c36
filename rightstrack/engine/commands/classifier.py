"""Train a text classifier for any taxonomy, or apply one.

  rightstrack classifier train TRAIN -o MODEL --label-column NAME [--label-separator ","]
  rightstrack classifier predict MODEL INPUT -o OUTPUT.csv

Training prints the cross-validated micro and macro F1 on TRAIN; prediction adds
predicted_labels (joined with "; ") and predicted_confidences to every input row.
"""

from __future__ import annotations

import argparse
import sys

from rightstrack.engine.commands.group import text_column
from rightstrack.engine.progress import add_progress_arguments, progress_bar
from rightstrack.formats.tables import read_table, write_table

PREDICTION_COLUMNS = ("predicted_labels", "predicted_confidences")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="{train,predict}")
    train = actions.add_parser("train", help="train a classifier and save it to MODEL")
    train.add_argument("train", help="labelled table: .csv, .xlsx or .jsonl")
    train.add_argument("-o", "--output", required=True, help="model file to write")
    train.add_argument("--label-column", required=True, help="column holding the label(s)")
    train.add_argument("--text-column", default="Text", help="column holding the text (Text)")
    train.add_argument(
        "--label-separator",
        default=None,
        help="separator of several labels in one cell; makes the classifier multi-label",
    )
    train.add_argument("--encoding", default="utf-8", help="encoding of a CSV input (utf-8)")
    train.add_argument("--seed", type=int, default=0, help="seed of the cross-validation folds")
    train.add_argument(
        "--folds",
        type=int,
        default=None,
        help="cross-validation folds (default 2, or 5 under 5,000 texts; 3 gains a little F1 "
        "for 1.6 times the training time; 0 skips it: no figures, tuned thresholds or "
        "calibrated confidences)",
    )
    add_progress_arguments(train)

    predict = actions.add_parser("predict", help="add predicted_labels to every row of INPUT")
    predict.add_argument("model", help="model file written by classifier train")
    predict.add_argument("input", help="table of texts: .csv, .xlsx or .jsonl")
    predict.add_argument("-o", "--output", required=True, help="output table")
    predict.add_argument("--text-column", default="Text", help="column holding the text (Text)")
    predict.add_argument("--encoding", default="utf-8", help="encoding of a CSV input (utf-8)")


def run(args: argparse.Namespace) -> int:
    if args.action == "train":
        return train(args)
    return predict(args)


def train(args: argparse.Namespace) -> int:
    from rightstrack.engine.classify.tfidf_linear import TfidfLinearClassifier
    from rightstrack.formats.exceptions import InputError

    table = read_table(args.train, encoding=args.encoding)
    text = text_column(table.columns, args.text_column, args.train)
    label = text_column(table.columns, args.label_column, args.train, "--label-column")
    separator = args.label_separator
    texts, labels = [], []
    for row in table.rows:
        cell = row[label]
        values = cell.split(separator) if separator else [cell]
        texts.append(row[text])
        labels.append([v.strip() for v in values if v.strip()])
    folds = args.folds
    if folds is not None and (folds == 1 or folds < 0):
        raise InputError(f"--folds: give 0 (no cross-validation) or at least 2, not {folds}")
    model = TfidfLinearClassifier(multi_label=bool(separator), seed=args.seed, folds=folds)
    # One step per (cross-validation fold, label) fitted; the model kept is their mean.
    with progress_bar(args.progress, f"training on {args.train} (label models)") as progress:
        cv = model.fit(texts, labels, progress=progress)
    model.save(args.output)
    kind = "multi-label" if separator else "multi-class"
    print(
        f"trained a {kind} classifier on {model.rows} texts, {len(model.labels)} labels; "
        f"saved to {args.output}"
    )
    if cv.folds:
        print(
            f"cross-validated ({cv.folds}-fold) micro-F1 {cv.micro_f1:.3f} "
            f"macro-F1 {cv.macro_f1:.3f}"
        )
    else:
        print("no cross-validation (--folds 0): no figures, thresholds at the SVM's zero")
    return 0


def predict(args: argparse.Namespace) -> int:
    from rightstrack.engine.classify.tfidf_linear import load_model

    model = load_model(args.model)
    table = read_table(args.input, encoding=args.encoding)
    text = text_column(table.columns, args.text_column, args.input)
    predictions = model.predict([row[text] for row in table.rows])
    columns = [*table.columns, *(c for c in PREDICTION_COLUMNS if c not in table.columns)]
    rows = (
        {
            **row,
            "predicted_labels": list(p.labels),
            "predicted_confidences": [f"{c:.3f}" for c in p.confidences],
        }
        for row, p in zip(table.rows, predictions, strict=True)
    )
    count = write_table(args.output, columns, rows)
    print(f"predicted labels for {count} rows in {args.output}", file=sys.stderr)
    return 0
