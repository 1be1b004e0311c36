from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from rightstrack.formats.exceptions import InputError
from rightstrack.recommendations import services
from rightstrack.recommendations.management.commands.serve import pending_migrations


class Command(BaseCommand):
    help = """Load the demo data and print a demo login.

    Applies pending migrations, loads the reference data, imports about 100 illustrative
    recommendations to the fictional "Republic of Arcadia" (UPR cycles 3 and 4, CRPD and
    CEDAW concluding observations, a visit of the Special Rapporteur on internally displaced
    persons) and creates the demo people alice (administrator), bob and carol. Idempotent;
    each run sets a new password unless --password is given. --with-shared-data also imports
    the real Slovenia matrices and UPR Info exports from ../shared/data when present.
    """

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", help="password for the demo people (default: random)")
        parser.add_argument(
            "--with-shared-data",
            metavar="PATH",
            type=Path,
            help="also import the real files in PATH (../shared/data)",
        )
        parser.add_argument("--host", default="127.0.0.1:8000", help="host:port for the login URL")

    def handle(self, *args: Any, **options: Any) -> None:
        if pending_migrations():
            call_command("migrate", verbosity=0, interactive=False)
        shared = options["with_shared_data"]
        if shared is not None and not shared.is_dir():
            raise CommandError(f"{shared}: no such folder", returncode=2)
        try:
            result = services.load_demo(password=options["password"], shared_data=shared)
        except InputError as exc:
            raise CommandError(str(exc), returncode=2) from None
        for imported in result.imports:
            self.stdout.write(imported.summary())
        self.stdout.write(f"Demo people: {', '.join(result.usernames)} (same password)")
        self.stdout.write(
            f"Demo login: http://{options['host']}/accounts/login/ user alice, "
            f"password {result.password}"
        )
