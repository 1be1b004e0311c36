"""rightstrack send-reminders [--today YYYY-MM-DD]: e-mail the day's reminders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "E-mail focal points what is due within 30 days or overdue, validators the updates "
        "waiting for them and coordinators a weekly digest; never the same reminder twice."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="Run as of this day (to catch up after an outage); default: today.",
        )
        parser.add_argument(
            "--no-refresh",
            action="store_true",
            help="Do not recompute every deadline first (they are kept current on change).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from rightstrack.deadlines.reminders import send_reminders

        today = timezone.localdate()
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(
                    f"--today: {options['today']!r} is not a date (YYYY-MM-DD)"
                ) from None
        summary = send_reminders(today, refresh=not options["no_refresh"])
        self.stdout.write(str(summary))
