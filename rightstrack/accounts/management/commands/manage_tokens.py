from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rightstrack.accounts import services
from rightstrack.formats.exceptions import InputError


def _expiry(value: str) -> Any:
    """A number of days from now, or a date (YYYY-MM-DD: the token works until its end)."""
    if value.isdigit():
        return int(value)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--expires: {value!r} is not a number of days or a date") from None


class Command(BaseCommand):
    help = """Create API tokens.

    "create EMAIL" prints only the new token: it is shown once and stored as a hash. Use it
    as "Authorization: Bearer TOKEN" with the API under /api/v1/. --read-only tokens may only
    read; --expires DAYS (or a date, YYYY-MM-DD) ends it.
    """

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token for a person")
        create.add_argument("email")
        create.add_argument("--name", default="", help="what the token is for")
        create.add_argument("--read-only", action="store_true", help="it may only read (GET)")
        create.add_argument(
            "--expires", metavar="DAYS", help="days until it stops working, or a date YYYY-MM-DD"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            expires = _expiry(options["expires"]) if options["expires"] else None
            token = services.create_token(
                options["email"],
                name=options["name"],
                read_only=options["read_only"],
                expires=expires,
            )
        except InputError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(token)
