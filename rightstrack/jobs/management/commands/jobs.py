from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rightstrack.jobs.models import Job
from rightstrack.jobs.registry import KINDS, UnknownJobKind
from rightstrack.jobs.services import start_job


def _param(text: str) -> tuple[str, Any]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise CommandError(f"--param {text!r}: give NAME=VALUE", returncode=2)
    try:
        return name, json.loads(value)
    except ValueError:
        return name, value


class Command(BaseCommand):
    help = """Start, list and show background jobs (a worker runs them: rightstrack worker).

    rightstrack jobs start send-reminders          (the cron line of docs/jobs.md)
    rightstrack jobs start selftest --param steps=3
    rightstrack jobs list
    rightstrack jobs show CODE
    """

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        start = sub.add_parser("start", help="queue a job of a kind")
        start.add_argument("kind", help="job kind (rightstrack jobs kinds)")
        start.add_argument(
            "--param", action="append", default=[], help="NAME=VALUE (VALUE as JSON or text)"
        )
        start.add_argument("--owner", default="", help="user name of the job's owner")
        listing = sub.add_parser("list", help="the latest jobs")
        listing.add_argument("--limit", type=int, default=20)
        show = sub.add_parser("show", help="one job, as JSON")
        show.add_argument("code")
        sub.add_parser("kinds", help="the registered job kinds")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _start(self, options: dict[str, Any]) -> None:
        from django.contrib.auth import get_user_model

        owner = None
        if options["owner"]:
            owner = get_user_model().objects.filter(username=options["owner"]).first()
            if owner is None:
                raise CommandError(f"--owner: no user {options['owner']!r}", returncode=2)
        params = dict(_param(p) for p in options["param"])
        try:
            job = start_job(options["kind"], owner=owner, params=params)
        except UnknownJobKind as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(job.code)

    def _list(self, options: dict[str, Any]) -> None:
        for job in Job.objects.all()[: options["limit"]]:
            progress = f"{job.done}/{job.total}" if job.total else ""
            self.stdout.write(
                f"{job.code}  {job.kind:24} {job.state:8} {progress:>11}  "
                f"{job.created_at:%Y-%m-%d %H:%M}  {job.error or job.message}"
            )

    def _show(self, options: dict[str, Any]) -> None:
        job = Job.objects.filter(code=options["code"]).first()
        if job is None:
            raise CommandError(f"no job {options['code']!r}", returncode=2)
        self.stdout.write(json.dumps(job.as_dict(), default=str, indent=2))

    def _kinds(self, options: dict[str, Any]) -> None:
        for name, kind in sorted(KINDS.items()):
            self.stdout.write(f"{name:24} {kind.description}")
