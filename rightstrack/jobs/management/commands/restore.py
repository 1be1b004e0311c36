from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rightstrack.jobs.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = """Load a backup written by `rightstrack backup` into an empty database (it is
    migrated first). Refuses a database that holds data, unless --force: then everything in
    it (rows and stored files) is replaced. One transaction per database: a bad backup
    changes nothing."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the backup file (a zip)")
        parser.add_argument(
            "--force", action="store_true", help="replace the data of a database that has some"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore_backup(options["file"], force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        rows = sum(sum(db["rows"].values()) for db in manifest["databases"].values())
        self.stdout.write(
            f"{options['file']}: restored {rows} rows, {len(manifest['files'])} files "
            f"(backup of {manifest['created']})"
        )
