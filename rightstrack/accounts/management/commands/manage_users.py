from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rightstrack.accounts import services
from rightstrack.accounts.models import Institution, Membership
from rightstrack.formats.exceptions import InputError


class Command(BaseCommand):
    help = """Add people and their role in an institution, list them, remove roles, deactivate.

    "add EMAIL --institution NAME --role ROLE [--country NAME]" creates the person (username
    = e-mail) and the institution when absent, and sets the role; running it again changes
    the role. "roles EMAIL" prints the person's roles ("--remove INSTITUTION" removes one).
    "deactivate EMAIL" stops them logging in and voids their tokens; their history stays.
    "list" prints one line per membership: e-mail, role, institution (State).
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
        roles = sub.add_parser("roles", help="show a person's roles, or remove one")
        roles.add_argument("email")
        roles.add_argument("--remove", metavar="INSTITUTION", help="remove their role there")
        roles.add_argument("--country", help="the institution's State, with --remove")
        deactivate = sub.add_parser("deactivate", help="stop a person logging in")
        deactivate.add_argument("email")
        sub.add_parser("list", help="list people, institutions and roles")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"do_{options['action']}")(options)
        except InputError as exc:
            raise CommandError(str(exc), returncode=2) from None

    def _line(self, m: Membership) -> str:
        country = f" ({m.country.name})" if m.country else ""
        return f"{m.user.email or m.user.username}\t{m.role}\t{m.institution.name}{country}"

    def do_list(self, options: dict[str, Any]) -> None:
        for m in services.list_memberships():
            inactive = "" if m.user.is_active else "\t(deactivated)"
            self.stdout.write(self._line(m) + inactive)

    def do_add(self, options: dict[str, Any]) -> None:
        membership = services.add_user(
            options["email"],
            institution=options["institution"],
            role=options["role"],
            country=options["country"],
            institution_kind=options["kind"],
        )
        self.stdout.write(
            f"{membership.user.email} is {membership.role} at {membership.institution.name}"
        )

    def do_roles(self, options: dict[str, Any]) -> None:
        if options["remove"]:
            country = services.find_country(options["country"]) if options["country"] else None
            removed = services.remove_role(options["email"], options["remove"], country=country)
            self.stdout.write(
                f"{options['email']} is no longer {removed.role} at {removed.institution.name}"
            )
            return
        user = services.find_person(options["email"])
        memberships = [m for m in services.list_memberships() if m.user_id == user.pk]
        if not memberships:
            self.stdout.write(f"{options['email']} has no role")
        for m in memberships:
            self.stdout.write(self._line(m))

    def do_deactivate(self, options: dict[str, Any]) -> None:
        user = services.deactivate(options["email"])
        self.stdout.write(f"{user.email or user.username} is deactivated")
