from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rightstrack.engine.progress import add_progress_arguments, progress_bar
from rightstrack.formats.exceptions import InputError
from rightstrack.formats.registry import IMPORTERS
from rightstrack.recommendations import services


class Command(BaseCommand):
    help = """Import the recommendations in FILE into the database.

    The kind of file is guessed when --kind is not given (--list names the kinds). The file
    is read and written chunk by chunk in one transaction: a bad file ends with a one-line
    error naming the row and column, exit status 2, and the database unchanged. Re-importing
    a file adds nothing and never removes what another source set. Prints one line:
    "imported N new, M updated, K unchanged recommendations from FILE". As the server's
    operator the command imports anything; with --as EMAIL, only what that person may.
    An import killed after its records were stored is finished (analysed) by the next
    import, or by --resume.
    """

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="CSV, XLSX, DOCX, ... file to import")
        parser.add_argument("--kind", choices=sorted(IMPORTERS), help="importer to use")
        parser.add_argument("--encoding", help="text encoding of a CSV file (default UTF-8)")
        parser.add_argument("--list", action="store_true", help="list the importer kinds and exit")
        parser.add_argument(
            "--no-analyse",
            dest="analyse",
            action="store_false",
            help="do not analyse the imported recommendations (run analyse_recommendations later)",
        )
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="EMAIL",
            help="import as this person: refused (exit 2) unless they may import, and only "
            "into the States they coordinate",
        )
        parser.add_argument(
            "--resume",
            action="store_true",
            help="finish the imports a crash or kill interrupted (analyse what they stored)",
        )
        add_progress_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for kind, (label, _) in IMPORTERS.items():
                self.stdout.write(f"{kind:<14} {label}")
            return
        if options["resume"] and not options["file"]:
            finished = services.resume_imports()
            self.stdout.write(f"finished {len(finished)} interrupted imports")
            return
        if not options["file"]:
            raise CommandError("give the FILE to import (or --list)", returncode=2)
        user = None
        if options["as_user"]:
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.filter(email__iexact=options["as_user"]).first()
            if user is None:
                raise CommandError(f"--as {options['as_user']}: no such person", returncode=2)
        try:
            with progress_bar(options["progress"], f"importing {options['file']}") as progress:
                result = services.import_file(
                    options["file"],
                    kind=options["kind"],
                    encoding=options["encoding"],
                    progress=progress,
                    analyse=options["analyse"],
                    user=user,
                )
        except InputError as exc:
            raise CommandError(str(exc), returncode=2) from None
        except services.ImportNotAllowed as exc:
            raise CommandError(f"{options['as_user']}: {exc}", returncode=2) from None
        if result.skipped:
            self.stderr.write(
                f"skipped {result.skipped} records with no State concerned (thematic reports)"
            )
        self.stdout.write(result.summary())
