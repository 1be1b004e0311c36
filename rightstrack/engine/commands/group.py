"""Find recommendations that ask for the same thing (across mechanisms, bodies and cycles).

Writes every input row with group_id, group_similarity (the row's mean similarity to the other
members of its group; empty for a group of one), group_key_phrases and group_size appended.
"""

from __future__ import annotations

import argparse
import sys

from rightstrack.engine.cluster.grouping import DEFAULT_THRESHOLDS, group_texts
from rightstrack.formats.exceptions import InputError
from rightstrack.formats.tables import read_table, write_table

OUTPUT_COLUMNS = ("group_id", "group_similarity", "group_key_phrases", "group_size")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", help="table of recommendations: .csv, .xlsx or .jsonl")
    parser.add_argument("-o", "--output", required=True, help="output table: .csv, .xlsx or .jsonl")
    parser.add_argument("--text-column", default="Text", help="column holding the text (Text)")
    parser.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="cosine similarity from which two texts are grouped (default: "
        + ", ".join(f"{m} {t}" for m, t in DEFAULT_THRESHOLDS.items())
        + ")",
    )
    parser.add_argument(
        "--method",
        choices=tuple(DEFAULT_THRESHOLDS),
        default="lexical",
        help="lexical (TF-IDF, default) or embeddings (needs rightstrack[embeddings])",
    )
    parser.add_argument("--encoding", default="utf-8", help="encoding of a CSV input (utf-8)")


def run(args: argparse.Namespace) -> int:
    table = read_table(args.input, encoding=args.encoding)
    column = text_column(table.columns, args.text_column, args.input)
    groups = group_texts(
        [(str(i), row[column]) for i, row in enumerate(table.rows)],
        threshold=args.threshold,
        method=args.method,
    )
    cells: dict[int, dict[str, object]] = {}
    for group in groups:
        for member, similarity in zip(group.members, group.member_similarity, strict=True):
            cells[int(member)] = {
                "group_id": group.id,
                "group_similarity": f"{similarity:.3f}" if group.size > 1 else "",
                "group_key_phrases": list(group.key_phrases),
                "group_size": group.size,
            }
    columns = [*table.columns, *(c for c in OUTPUT_COLUMNS if c not in table.columns)]
    rows = ({**row, **cells[i]} for i, row in enumerate(table.rows))
    count = write_table(args.output, columns, rows)
    shared = sum(1 for g in groups if g.size > 1)
    print(
        f"grouped {count} recommendations into {len(groups)} groups "
        f"({shared} of two or more) in {args.output}",
        file=sys.stderr,
    )
    return 0


def text_column(columns: list[str], wanted: str, path: str, option: str = "--text-column") -> str:
    """Return the table's column named *wanted* (case-insensitively); InputError if absent,
    pointing to the *option* that names it."""
    if wanted in columns:
        return wanted
    for column in columns:
        if column.strip().lower() == wanted.strip().lower():
            return column
    raise InputError(f"{path}: no column {wanted!r} (columns: {', '.join(columns)}); use {option}")
