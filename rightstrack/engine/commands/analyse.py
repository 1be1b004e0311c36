"""Analyse each recommendation's text, offline: action category and verb, concrete action,
rights-holders, detail, groups of persons, themes, SDG goals and protection relevance.

OUTPUT holds every input column unchanged, then the analysis columns, then `reasons` and
`confidence` (of the action category). When the input already has an analysis column (extract
output has `themes` and `affected_persons`), its filled cells are kept and its empty ones take
the analysis.
"""

from __future__ import annotations

import argparse

from rightstrack.formats.exceptions import InputError
from rightstrack.formats.tables import read_table, write_table

#: The contract's columns (docs: cli-contract), in order, then our two explanatory ones.
ANALYSIS_COLUMNS = [
    "action_category",
    "action_verb",
    "concrete_action",
    "rights_holders_stated",
    "detail",
    "affected_persons",
    "themes",
    "sdg_goals",
    "protection_relevant",
]
EXTRA_COLUMNS = ["reasons", "confidence"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "input", metavar="INPUT", help="CSV, XLSX or JSON Lines file of recommendations"
    )
    parser.add_argument(
        "-o", "--output", required=True, metavar="OUTPUT", help="file to write (CSV, XLSX or JSONL)"
    )
    parser.add_argument(
        "--text-column", default="Text", help="column holding the text (default: Text)"
    )
    parser.add_argument(
        "--encoding", default="utf-8", help="encoding of a CSV or JSONL input (default: utf-8)"
    )
    parser.add_argument(
        "--no-model", action="store_true", help="rules only, without the action-category model"
    )
    parser.add_argument(
        "--vocabulary",
        metavar="CSV",
        help="a State's own words for groups of persons: rows group,word|word "
        '(e.g. "Stateless persons,erased persons|erasure")',
    )


def run(args: argparse.Namespace) -> int:
    from rightstrack.engine.analyse import analyse_texts
    from rightstrack.engine.analyse.persons import load_vocabulary

    vocabulary = load_vocabulary(args.vocabulary, check=True) if args.vocabulary else None
    table = read_table(args.input, encoding=args.encoding)
    column = _find_column(table.columns, args.text_column)
    if column is None:
        raise InputError(
            f"{args.input}: no column {args.text_column!r} (columns: {', '.join(table.columns)}); "
            f"use --text-column"
        )
    results = analyse_texts(
        [row.get(column, "") for row in table.rows],
        use_model=not args.no_model,
        vocabulary=vocabulary,
    )
    added = [c for c in ANALYSIS_COLUMNS + EXTRA_COLUMNS if c not in table.columns]
    out_rows = []
    for row, result in zip(table.rows, results, strict=True):
        values: dict[str, object] = {
            "action_category": result.action_category,
            "action_verb": result.action_verb,
            "concrete_action": result.concrete_action,
            "rights_holders_stated": result.rights_holders_stated,
            "detail": result.detail,
            "affected_persons": result.affected_persons,
            "themes": result.themes,
            "sdg_goals": result.sdg_goals,
            "protection_relevant": result.protection_relevant,
            "reasons": result.reasons,
            "confidence": f"{result.confidence:.2f}",
        }
        # An input column of the same name (the `themes` and `affected_persons` that `extract`
        # writes) keeps what the document said; only its empty cells take the analysis.
        filled = {
            c: values[c] for c in values if c not in added and not str(row.get(c, "")).strip()
        }
        out_rows.append({**row, **filled, **{c: values[c] for c in added}})
    count = write_table(args.output, table.columns + added, out_rows)
    print(f"analysed {count} recommendations from {args.input} into {args.output}")
    return 0


def _find_column(columns: list[str], wanted: str) -> str | None:
    """Return the column called *wanted*, exactly or else ignoring case."""
    if wanted in columns:
        return wanted
    matches = [c for c in columns if c.lower() == wanted.lower()]
    return matches[0] if len(matches) == 1 else None
