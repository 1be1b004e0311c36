"""Backup and restore: every table (history included) and every stored file, in one zip.

The zip holds `manifest.json` (format, version, migrations, row counts), one Django
`dumpdata` file per database alias (`data/default.jsonl`, and `data/jobs.jsonl` when the job
queue is a file of its own) and the files of Django's default storage under `media/`.
Restoring loads them with `loaddata` inside one transaction per database, so a bad backup
leaves the database as it was. See docs/deployment.md and docs/decisions/0141-backup-format.md.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.db import connections, router, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from rightstrack import __version__
from rightstrack.jobs.routers import JOBS_DB, separate

FORMAT = "rightstrack-backup"
VERSION = 1
#: Rows `migrate` itself creates: a freshly migrated database has them and is still empty.
#: Rows that `migrate` itself writes (a restore replaces them with the backup's).
CREATED_BY_MIGRATE = {
    "contenttypes.contenttype",
    "auth.permission",
    "deadlines.followuprule",
    "deadlines.uprrule",
    "plans.fund",
}


class BackupError(Exception):
    """A one-line reason a backup or a restore cannot be done."""


def aliases() -> list[str]:
    return ["default", JOBS_DB] if separate() else ["default"]


def models_of(alias: str) -> list[Any]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if router.allow_migrate_model(alias, model)
        and not model._meta.proxy
        and model._meta.managed
    ]


def row_counts(alias: str) -> dict[str, int]:
    return {
        model._meta.label_lower: model._base_manager.using(alias).count()
        for model in models_of(alias)
    }


def stored_files(folder: str = "") -> Iterator[str]:
    """Every file name in the default storage (recursively)."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from stored_files(f"{folder}/{sub}" if folder else sub)


def applied_migrations(alias: str) -> list[str]:
    recorder = MigrationRecorder(connections[alias])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def write_backup(target: str | Path) -> dict[str, Any]:
    """Write everything to *target* (a zip); return the manifest."""
    target = Path(target)
    if target.is_dir():
        raise BackupError(f"{target}: is a folder; give a file name")
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent}: no such folder")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "rightstrack": __version__,
        "created": timezone.now().isoformat(),
        "databases": {},
        "files": [],
    }
    partial = target.with_name(f".{target.name}.partial")
    try:
        with (
            tempfile.TemporaryDirectory(prefix="rightstrack-backup-") as tmp,
            zipfile.ZipFile(
                partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True
            ) as archive,
        ):
            for alias in aliases():
                dump = Path(tmp) / f"{alias}.jsonl"
                # One snapshot per database: the counts and the dump agree.
                with transaction.atomic(using=alias):
                    call_command(
                        "dumpdata",
                        database=alias,
                        format="jsonl",
                        output=str(dump),
                        all=True,
                        verbosity=0,
                    )
                    counts = row_counts(alias)
                archive.write(dump, f"data/{alias}.jsonl")
                manifest["databases"][alias] = {
                    "vendor": connections[alias].vendor,
                    "migrations": applied_migrations(alias),
                    "rows": counts,
                }
            for name in stored_files():
                with (
                    default_storage.open(name, "rb") as source,
                    archive.open(f"media/{name}", "w", force_zip64=True) as out,
                ):
                    for chunk in iter(lambda: source.read(1 << 20), b""):
                        out.write(chunk)
                manifest["files"].append(name)
            archive.writestr("manifest.json", json.dumps(manifest, indent=2, sort_keys=True))
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def read_manifest(archive: zipfile.ZipFile, source: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError):
        raise BackupError(f"{source}: not a rightstrack backup (no manifest.json)") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source}: not a rightstrack backup")
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"{source}: backup format {manifest.get('version')} is not {VERSION}; "
            "restore it with the rightstrack version that wrote it"
        )
    return manifest


def not_empty(alias: str) -> dict[str, int]:
    return {
        label: n for label, n in row_counts(alias).items() if n and label not in CREATED_BY_MIGRATE
    }


def restore_backup(source: str | Path, *, force: bool = False) -> dict[str, Any]:
    """Load the backup at *source* into this (empty, or with *force* emptied) database."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile:
        raise BackupError(f"{source}: not a rightstrack backup (not a zip file)") from None
    with archive:
        manifest = read_manifest(archive, source)
        for alias in aliases():
            call_command("migrate", database=alias, verbosity=0, interactive=False)
        known = set()
        for alias in aliases():
            known.update(applied_migrations(alias))
        wanted = set()
        for entry in manifest["databases"].values():
            wanted.update(entry["migrations"])
        missing = sorted(wanted - known)
        if missing:
            raise BackupError(
                f"{source}: written by a newer rightstrack ({len(missing)} migrations unknown "
                f"here, e.g. {missing[0]}); upgrade first"
            )
        if not force:
            for alias in aliases():
                found = not_empty(alias)
                if found:
                    some = ", ".join(f"{n} {label}" for label, n in sorted(found.items())[:3])
                    raise BackupError(
                        f"the database is not empty ({some}, ...); restore into an empty "
                        "database, or give --force to replace everything in it"
                    )
        dumps = _dumps_for(manifest, archive, source)
        with tempfile.TemporaryDirectory(prefix="rightstrack-restore-") as tmp:
            flushed: set[str] = set()
            for alias, member in dumps:
                path = Path(tmp) / Path(member).name
                with archive.open(member) as data, path.open("wb") as out:
                    shutil.copyfileobj(data, out, 1 << 20)
                _load(alias, path, source, flush=alias not in flushed)
                flushed.add(alias)
        cache.clear()  # counts cached from the data that was here
        for alias, entry in manifest["databases"].items():
            if alias not in aliases():
                continue
            now = row_counts(alias)
            wrong = {k: (n, now.get(k)) for k, n in entry["rows"].items() if now.get(k) != n}
            if wrong:
                label, (expected, got) = next(iter(wrong.items()))
                raise BackupError(f"{source}: {label} has {got} rows after restore, not {expected}")
        if force:
            for name in list(stored_files()):
                default_storage.delete(name)
        for name in manifest["files"]:
            with archive.open(f"media/{name}") as data:
                saved = default_storage.save(name, File(data, name=name))
            if saved != name:
                raise BackupError(f"media/{name}: stored as {saved}; the storage is not empty")
    return manifest


def _dumps_for(
    manifest: dict[str, Any], archive: zipfile.ZipFile, source: Path
) -> list[tuple[str, str]]:
    """(alias here, member) for each dump: a SQLite backup's queue file goes to the main
    database on PostgreSQL, where the queue lives in it."""
    names = set(archive.namelist())
    here = aliases()
    dumps = []
    for alias in manifest["databases"]:
        member = f"data/{alias}.jsonl"
        if member not in names:
            raise BackupError(f"{source}: {member} is missing")
        dumps.append((alias if alias in here else "default", member))
    return dumps


def _load(alias: str, path: Path, source: Path, *, flush: bool = True) -> None:
    connection = connections[alias]
    try:
        with transaction.atomic(using=alias):
            tables = connection.introspection.django_table_names(
                only_existing=True, include_views=False
            )
            if flush:
                connection.ops.execute_sql_flush(
                    sql_flush(no_style(), connection, reset_sequences=True, allow_cascade=True)
                )
            if tables and path.stat().st_size:
                call_command("loaddata", str(path), database=alias, verbosity=0)
    except BackupError:
        raise
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BackupError(f"{source}: cannot load data/{alias}.jsonl: {first}") from exc
