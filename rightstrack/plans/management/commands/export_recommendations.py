"""rightstrack export KIND -o FILE [--country NAME] [--body BODY] [--mechanism M] [--plan ID]
[--assigned-to CODE] [--awaiting-validation] [--due-after DATE] [--due-before DATE]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from rightstrack.engine.countries import resolve
from rightstrack.formats.exceptions import InputError
from rightstrack.formats.exporters.base import format_for
from rightstrack.formats.records import Mechanism
from rightstrack.formats.registry import EXPORTERS


class Command(BaseCommand):
    help = """Write a matrix, report or list for the recommendations matching the filters.

    The format follows FILE's extension. KIND: matrix (xlsx, docx, csv), midterm-report
    (docx, pdf), followup-report (docx, pdf), cluster-brief (docx, pdf), action-plan (docx,
    pdf, xlsx; --plan), exercise-pack (docx, pdf), list (csv, json, xlsx). An export holds
    what --user may see: without --user, the public recommendations and no follow-up data.
    Every export is recorded (who, when, kind, filters). The file is written whole or not at
    all."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=list(EXPORTERS), help="what to write")
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help="file to write")
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
        parser.add_argument("--cycle", action="append", type=int, default=[], help="UPR cycle")
        parser.add_argument(
            "--plan", metavar="ID", help="action plan's code (UUID), for action-plan"
        )
        parser.add_argument(
            "--per",
            choices=("cluster", "recommendation"),
            help="midterm-report: a section per cluster of recommendations (default) or per "
            "recommendation",
        )
        parser.add_argument(
            "--assigned-to",
            action="append",
            default=[],
            metavar="CODE",
            help="only recommendations assigned to this institution (its code; repeatable), "
            "as --user's work list shows them",
        )
        parser.add_argument(
            "--awaiting-validation",
            action="store_true",
            help="only recommendations with an update waiting for --user's decision",
        )
        parser.add_argument(
            "--due-after", metavar="YYYY-MM-DD", help="only those with a deadline on or after"
        )
        parser.add_argument(
            "--due-before", metavar="YYYY-MM-DD", help="only those with a deadline on or before"
        )
        parser.add_argument(
            "--user",
            metavar="EMAIL",
            help="export what this person may see, follow-up data included",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from rightstrack.plans import exports
        from rightstrack.plans.models import ActionPlan, ExportLog

        path = Path(options["output"])
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent}: no such directory", returncode=2)
        user = None
        if options["user"]:
            email = options["user"].strip()
            user = (
                User.objects.filter(email__iexact=email).first()
                or User.objects.filter(username=email).first()
            )
            if user is None:
                raise CommandError(f"--user {email!r}: no such person", returncode=2)
        filters: dict[str, Any] = {}
        countries = []
        for name in options["country"]:
            found = resolve(name)
            if found is None:
                raise CommandError(f"--country {name!r}: unknown country", returncode=2)
            countries.append(found.code)
        for key, value in (
            ("country", countries),
            ("body", options["body"]),
            ("mechanism", options["mechanism"]),
            ("cycle", options["cycle"]),
        ):
            if value:
                filters[key] = value
        if options["per"]:
            filters["per"] = options["per"]
        if options["assigned_to"]:
            filters["assigned_to"] = options["assigned_to"]
        if options["awaiting_validation"]:
            filters["awaiting_validation"] = "1"
        for key in ("due_after", "due_before"):
            if options[key]:
                filters[key] = options[key]
        plan = None
        if options["plan"]:
            plan = ActionPlan.objects.visible_to(user) if user else ActionPlan.objects.all()
            plan = plan.filter(code=options["plan"]).first() if _is_uuid(options["plan"]) else None
            if plan is None:
                raise CommandError(f"--plan {options['plan']!r}: no such plan", returncode=2)
        try:
            result = exports.export(
                options["kind"],
                user,
                fmt=format_for(path),
                filters=filters,
                plan=plan,
                via=ExportLog.Via.CLI,
                path=path,
            )
        except InputError as exc:
            raise CommandError(f"{path}: {exc}", returncode=2) from None
        self.stdout.write(f"{path}: {options['kind']}, {result.rows} recommendations")


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
