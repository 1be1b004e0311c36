from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rightstrack.accounts import services
from rightstrack.accounts.models import Institution
from rightstrack.formats.exceptions import InputError
from rightstrack.tracking.exceptions import TrackingError


class Command(BaseCommand):
    help = """Add, list and rename institutions (ministries, the NMRF, the NHRI, partners).

    An institution belongs to a State: "Ministry of Justice" of two States is two institutions,
    so --country says which (alpha-3 code or name). "list" prints one line per institution:
    name, kind, State, code.
    """

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add an institution")
        add.add_argument("name")
        add.add_argument("--country", help="its State (none: an international institution)")
        add.add_argument(
            "--kind", default=Institution.Kind.MINISTRY, choices=Institution.Kind.values
        )
        add.add_argument("--parent", help="name of the institution it is part of")
        add.add_argument(
            "--no-validation",
            dest="requires_validation",
            action="store_false",
            help="its focal points' updates need no validator",
        )
        listing = sub.add_parser("list", help="list institutions")
        listing.add_argument("--country", help="only this State's")
        rename = sub.add_parser("rename", help="rename an institution (its history stays)")
        rename.add_argument("name")
        rename.add_argument("new_name")
        rename.add_argument("--country", help="its State, when several have one of that name")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"do_{options['action']}")(options)
        except (InputError, TrackingError) as exc:
            raise CommandError(str(exc), returncode=2) from None

    def _country(self, options: dict[str, Any]) -> Any:
        return services.find_country(options["country"]) if options.get("country") else None

    def do_add(self, options: dict[str, Any]) -> None:
        country = self._country(options)
        parent = None
        if options["parent"]:
            parent = services.find_institution(options["parent"], country=country)
        inst = services.add_institution(
            None,
            name=options["name"],
            kind=options["kind"],
            country=country,
            parent=parent,
            requires_validation=options["requires_validation"],
        )
        where = f" ({inst.country.name})" if inst.country else ""
        self.stdout.write(f"added {inst.name}{where}, {inst.kind}, code {inst.code}")

    def do_list(self, options: dict[str, Any]) -> None:
        qs = Institution.objects.select_related("country").order_by("country__name", "name")
        country = self._country(options)
        if country is not None:
            qs = qs.filter(country=country)
        for inst in qs:
            state = inst.country.code if inst.country else "-"
            ended = "" if inst.active else "\t(inactive)"
            self.stdout.write(f"{inst.name}\t{inst.kind}\t{state}\t{inst.code}{ended}")

    def do_rename(self, options: dict[str, Any]) -> None:
        inst = services.find_institution(options["name"], country=self._country(options))
        old = inst.name
        services.rename_institution(inst, options["new_name"])
        self.stdout.write(f"renamed {old} to {inst.name}")
