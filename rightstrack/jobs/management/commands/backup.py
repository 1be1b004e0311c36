from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rightstrack.jobs.backup import BackupError, write_backup


class Command(BaseCommand):
    help = """Write everything to FILE (a zip): every table, the history included, and every
    uploaded file (documents, evidence). Restore it with `rightstrack restore FILE`."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the backup file to write (a zip)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = write_backup(options["file"])
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        rows = sum(sum(db["rows"].values()) for db in manifest["databases"].values())
        self.stdout.write(f"{options['file']}: {rows} rows, {len(manifest['files'])} files")
