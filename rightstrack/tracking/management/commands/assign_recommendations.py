from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from rightstrack.formats.exceptions import InputError
from rightstrack.tracking.bulk import assign_file


class Command(BaseCommand):
    help = """Assign recommendations to institutions from a table (CSV, XLSX or JSON Lines).

    Columns: "recommendation" (its code), or "document_symbol" and "paragraph" (12, 118.5, or
    12(a) for a sub-item); "institution" (its name, in the recommendation's State); and
    optionally "role" (lead or supporting; lead when empty), "due" (YYYY-MM-DD), "country"
    (when a symbol and paragraph are not enough), "sub_item" (a, b, ...) and "note". Every row
    is checked first: a bad one ends with an error naming its row and column, exit status 2,
    and nothing assigned. Assigning again what is assigned changes nothing. Prints one line:
    "assigned N new, M already assigned, from K rows of FILE".
    """

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV, XLSX or JSON Lines file of assignments")
        parser.add_argument("--encoding", default="utf-8", help="text encoding of a CSV file")
        parser.add_argument(
            "--by",
            metavar="EMAIL",
            help="the coordinator recorded as assigning (checked against their roles); "
            "without it the history names the system",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        if options["by"]:
            user = User.objects.filter(email__iexact=options["by"], is_active=True).first()
            if user is None:
                raise CommandError(f"--by: no active person {options['by']!r}", returncode=2)
        try:
            result = assign_file(options["file"], user=user, encoding=options["encoding"])
        except InputError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(result.summary(options["file"]))
