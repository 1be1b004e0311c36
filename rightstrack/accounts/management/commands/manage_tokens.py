from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rightstrack.accounts import services
from rightstrack.formats.exceptions import InputError


class Command(BaseCommand):
    help = """Create API tokens.

    "create EMAIL" prints only the new token: it is shown once and stored as a hash. Use it
    as "Authorization: Bearer TOKEN" with the API under /api/v1/.
    """

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token for a person")
        create.add_argument("email")
        create.add_argument("--name", default="", help="what the token is for")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            token = services.create_token(options["email"], name=options["name"])
        except InputError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(token)
