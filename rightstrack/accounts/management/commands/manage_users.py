from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rightstrack.accounts import services
from rightstrack.accounts.models import Institution, Membership
from rightstrack.formats.exceptions import InputError


class Command(BaseCommand):
    help = """Add people and their role in an institution, or list them.

    "add EMAIL --institution NAME --role ROLE [--country NAME]" creates the person (username
    = e-mail) and the institution when absent, and sets the role; running it again changes
    the role. "list" prints one line per membership.
    """

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add a person or change their role")
        add.add_argument("email")
        add.add_argument("--institution", required=True, help="institution name")
        add.add_argument("--role", required=True, choices=Membership.Role.values)
        add.add_argument("--country", help="limit the role to one State")
        add.add_argument(
            "--kind",
            default=Institution.Kind.OTHER,
            choices=Institution.Kind.values,
            help="kind of institution, when it is created",
        )
        sub.add_parser("list", help="list people, institutions and roles")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for m in services.list_memberships():
                country = f" ({m.country.name})" if m.country else ""
                self.stdout.write(
                    f"{m.user.email or m.user.username}\t{m.role}\t{m.institution.name}{country}"
                )
            return
        try:
            membership = services.add_user(
                options["email"],
                institution=options["institution"],
                role=options["role"],
                country=options["country"],
                institution_kind=options["kind"],
            )
        except InputError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(
            f"{membership.user.email} is {membership.role} at {membership.institution.name}"
        )
