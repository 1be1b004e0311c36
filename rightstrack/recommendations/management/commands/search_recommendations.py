"""rightstrack search [QUERY] [--country NAME] [--body BODY] [--mechanism M] [--action N]
[--protection-relevant] [--limit N] [--format table|csv|json] [--count]"""

from __future__ import annotations

import csv
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rightstrack.engine.countries import resolve
from rightstrack.formats.records import Mechanism
from rightstrack.formats.tables import safe_cell
from rightstrack.recommendations import search
from rightstrack.recommendations.models import Recommendation

#: The columns of --format csv, in order (docs/cli-contract: add, never rename or remove).
CSV_COLUMNS = (
    "id",
    "country",
    "mechanism",
    "body",
    "document_symbol",
    "paragraph",
    "position",
    "text",
)
TABLE_TEXT_WIDTH = 70


class Command(BaseCommand):
    help = """Search the recommendations in the database (full text, with filters).

    QUERY takes words (all must appear), "a phrase", OR, -word to leave out, and prefix*.
    With no QUERY, the filters alone select. Best matches come first; without a query,
    newest first. --format csv writes the columns id, country, mechanism, body,
    document_symbol, paragraph, position, text (id is the recommendation's code, a UUID).
    --count prints only the number of matching recommendations. Reads only."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", nargs="?", default="", help="words to search for")
        parser.add_argument(
            "--country",
            action="append",
            default=[],
            help="State concerned: name or ISO code (repeatable)",
        )
        parser.add_argument(
            "--body", action="append", default=[], help="body code: UPR, CRPD, ... (repeatable)"
        )
        parser.add_argument("--mechanism", action="append", default=[], choices=Mechanism.ALL)
        parser.add_argument(
            "--action",
            action="append",
            type=int,
            default=[],
            choices=range(1, 6),
            metavar="N",
            help="action category as analysed, 1 (minimal) to 5 (specific) (repeatable)",
        )
        parser.add_argument(
            "--protection-relevant",
            action="store_true",
            help="only recommendations relevant to displacement, conflict or disaster",
        )
        parser.add_argument(
            "--follow-up",
            action="store_true",
            help="only recommendations a treaty body selected for its follow-up procedure",
        )
        parser.add_argument(
            "--limit", type=int, default=20, help="at most N rows (0: all; default 20)"
        )
        parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
        parser.add_argument("--count", action="store_true", help="print only the number of matches")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["limit"] < 0:
            raise CommandError("--limit must be 0 (all) or more", returncode=2)
        countries = []
        for name in options["country"]:
            found = resolve(name)
            if found is None:
                raise CommandError(f"--country {name!r}: unknown country", returncode=2)
            countries.append(found.code)
        try:
            qs = search.filter_recommendations(
                Recommendation.objects.all(),
                query=options["query"],
                country=countries,
                body=options["body"],
                mechanism=options["mechanism"],
                action=options["action"],
                protection=search.YES if options["protection_relevant"] else None,
                follow_up=True if options["follow_up"] else None,
            )
        except search.InvalidFilter as exc:
            raise CommandError(str(exc), returncode=2) from None
        if options["count"]:
            self.stdout.write(str(qs.count()))
            return
        qs = qs.select_related("country", "body")
        if options["limit"]:
            qs = qs[: options["limit"]]
        rows = [_row(rec) for rec in qs.iterator(chunk_size=2000)]
        if options["format"] == "csv":
            _write_csv(self.stdout, rows)
        elif options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
        else:
            _write_table(self.stdout, rows)


def _row(rec: Recommendation) -> dict[str, str]:
    return {
        "id": str(rec.code),
        "country": rec.country.name,
        "mechanism": rec.mechanism,
        "body": rec.body.code,
        "document_symbol": rec.document_symbol,
        "paragraph": rec.paragraph,
        "position": rec.position,
        "text": rec.text,
    }


def _write_csv(out: Any, rows: list[dict[str, str]]) -> None:
    # The command's stdout wrapper adds its own line endings; write through a plain stream.
    stream = getattr(out, "_out", sys.stdout)
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(row[c]) for c in CSV_COLUMNS])
    stream.flush()


def _write_table(out: Any, rows: list[dict[str, str]]) -> None:
    if not rows:
        out.write("no recommendation matches")
        return
    for row in rows:
        where = " ".join(p for p in (row["body"], row["document_symbol"], row["paragraph"]) if p)
        position = f" [{row['position']}]" if row["position"] else ""
        text = row["text"].replace("\n", " ")
        if len(text) > TABLE_TEXT_WIDTH:
            text = text[: TABLE_TEXT_WIDTH - 1].rsplit(" ", 1)[0] + "…"
        out.write(f"{row['country']} | {where}{position} | {text}")
    out.write(f"{len(rows)} shown")
