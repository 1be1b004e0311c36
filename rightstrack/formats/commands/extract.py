"""Find the individual recommendations in a UN document (PDF, DOCX, TXT or HTML): treaty body
concluding observations, a UPR Working Group report, an OHCHR UPR matrix or a special
procedures report. Writes one row per recommendation (docs/extraction.md)."""

from __future__ import annotations

import argparse
import sys

from rightstrack.formats.exceptions import InputError
from rightstrack.formats.extract import COLUMNS, extract_document, records_to_rows
from rightstrack.formats.tables import write_table


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("document", help="the UN document: PDF, DOCX, TXT or HTML")
    parser.add_argument("-o", "--output", required=True, help="output table: .csv, .xlsx or .jsonl")
    parser.add_argument(
        "--positions",
        metavar="ADDENDUM",
        help="a UPR report's addendum (Add.1) with the State's positions",
    )


def run(args: argparse.Namespace) -> int:
    records = extract_document(args.document, positions=args.positions)
    if not records:
        raise InputError(f"{args.document}: no recommendations found")
    count = write_table(args.output, COLUMNS, records_to_rows(records))
    print(
        f"extracted {count} recommendations from {args.document} to {args.output}", file=sys.stderr
    )
    return 0
