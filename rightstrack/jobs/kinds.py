"""The built-in job kinds (docs/jobs.md lists them)."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.utils import timezone

from rightstrack.jobs.registry import job_kind, register
from rightstrack.jobs.services import JobContext, JobFailed

#: Where uploads wait for their job, in the default storage (shared by every host).
UPLOADS = "job-uploads"


def store_upload(upload: Any, code_hint: str = "") -> str:
    """Save an uploaded file through Django's storage API; return its storage name."""
    from django.utils.crypto import get_random_string

    name = Path(getattr(upload, "name", "") or "upload").name
    return default_storage.save(f"{UPLOADS}/{code_hint or get_random_string(16)}/{name}", upload)


@contextmanager
def local_copy(storage_name: str) -> Iterator[Path]:
    """A local path for a stored file (importers go by the path and its extension)."""
    if not default_storage.exists(storage_name):
        raise JobFailed(f"{Path(storage_name).name}: the uploaded file is gone")
    try:
        yield Path(default_storage.path(storage_name))
        return
    except NotImplementedError:
        pass
    folder = Path(tempfile.mkdtemp(prefix="rightstrack-job-"))
    try:
        path = folder / Path(storage_name).name
        with default_storage.open(storage_name, "rb") as source, path.open("wb") as target:
            shutil.copyfileobj(source, target)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _owner(ctx: JobContext) -> Any:
    from django.contrib.auth import get_user_model

    if ctx.job.owner_id is None:
        return None
    return get_user_model().objects.filter(pk=ctx.job.owner_id).first()


def _line_count(path: Path) -> int:
    """Lines in *path* after its header (an estimate of its rows: a cell may hold a newline)."""
    lines = 0
    with path.open("rb") as fp:
        for block in iter(lambda: fp.read(1 << 20), b""):
            lines += block.count(b"\n")
    return max(0, lines - 1)


@job_kind("import", "import a file of recommendations (the web page's and the API's uploads)")
def import_upload(
    ctx: JobContext, *, storage_name: str, file_name: str = "", kind: str = ""
) -> dict[str, Any]:
    from rightstrack.formats.exceptions import InputError
    from rightstrack.recommendations.services import import_file

    file_name = file_name or Path(storage_name).name
    try:
        with local_copy(storage_name) as path:
            # The import streams its records and reports how many it has read (done = total):
            # for a text table, the file's line count is the total to show progress against.
            expected = _line_count(path) if path.suffix.lower() in (".csv", ".tsv", ".txt") else 0

            def progress(done: int, total: int) -> None:
                ctx.progress(done, max(total, expected))

            try:
                result = import_file(
                    path,
                    kind=kind or None,
                    user=_owner(ctx),
                    progress=progress,
                    file_name=file_name,
                )
            except InputError as exc:
                # Name the file as the person uploaded it, not where it waited.
                raise JobFailed(str(exc).replace(str(path), file_name)) from None
    except JobFailed:
        default_storage.delete(storage_name)
        raise
    default_storage.delete(storage_name)
    return {
        "file_name": file_name,
        "kind": getattr(result, "kind", kind),
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }


#: Where finished export files wait for their owner, in the default storage.
EXPORTS = "job-exports"


@job_kind("export", "write an export (a report, a large list or matrix) for the person who asked")
def export_file(
    ctx: JobContext,
    *,
    kind: str,
    format: str,
    filters: dict[str, Any] | None = None,
    plan: str = "",
    via: str = "web",
) -> dict[str, Any]:
    """Run the exporter as the web export would (plans.exports.export, recorded in ExportLog)
    and keep the file in Django's storage under the job's code, for its owner to download."""
    from django.core.files import File

    from rightstrack.formats.exporters.base import ExportError
    from rightstrack.plans import exports
    from rightstrack.plans.models import ActionPlan

    owner = _owner(ctx)
    if owner is None:
        raise JobFailed("export: the person who asked for it is gone")
    found = None
    if plan:
        found = ActionPlan.objects.visible_to(owner).filter(code=plan).first()
        if found is None:
            raise JobFailed("export: no such action plan")
    ctx.progress(0, 1, f"writing the {kind} as {format.upper()}")
    folder = Path(tempfile.mkdtemp(prefix="rightstrack-export-"))
    try:
        path = folder / f"export.{format}"
        try:
            result = exports.export(
                kind, owner, fmt=format, filters=filters or {}, plan=found, via=via, path=path
            )
        except ExportError as exc:
            raise JobFailed(str(exc)) from None
        with path.open("rb") as fp:
            name = default_storage.save(f"{EXPORTS}/{ctx.job.code}/{result.filename}", File(fp))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    ctx.progress(result.rows, result.rows, f"{result.rows} rows written")
    return {
        "storage_name": name,
        "filename": result.filename,
        "content_type": result.content_type,
        "rows": result.rows,
        "kind": kind,
        "format": result.format,
        "log": str(result.log.code),
    }


@job_kind("purge-exports", "delete the files of export jobs finished more than `days` ago")
def purge_exports(ctx: JobContext, *, days: int | None = None) -> dict[str, Any]:
    """Delete job-exports/CODE/ files of export jobs that finished more than *days* (default
    EXPORT_KEEP_DAYS, 7) days ago; their download then answers 404."""
    from django.conf import settings

    from rightstrack.jobs.models import Job

    keep = int(days if days is not None else getattr(settings, "EXPORT_KEEP_DAYS", 7))
    before = timezone.now() - dt.timedelta(days=keep)
    deleted = 0
    old = Job.objects.filter(kind="export", finished_at__lt=before)
    for code, result in old.values_list("code", "result").iterator():
        name = (result or {}).get("storage_name")
        if name and name.startswith(f"{EXPORTS}/{code}/") and default_storage.exists(name):
            default_storage.delete(name)
            deleted += 1
    return {"deleted": deleted, "older_than_days": keep}


#: The deadlines app's daily reminders, resolved when the job runs (it may not be installed).
SEND_REMINDERS_PATH = "rightstrack.deadlines.reminders.send_reminders"


@job_kind("send-reminders", "send the day's deadline reminders (daily, from the scheduler)")
def send_reminders(ctx: JobContext, *, day: str = "") -> Any:
    from django.utils.module_loading import import_string

    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    try:
        function = import_string(SEND_REMINDERS_PATH)
    except ImportError as exc:
        raise JobFailed(f"send-reminders: {SEND_REMINDERS_PATH} is not available ({exc})") from None
    ctx.progress(0, 1, f"reminders for {today.isoformat()}")
    return function(today)


@job_kind("compact-search-version", "keep the PostgreSQL facet-cache version log to one row")
def compact_search_version(ctx: JobContext) -> dict[str, Any]:
    from rightstrack.jobs.maintenance import compact_search_version as compact

    return {"deleted": compact()}


@job_kind("selftest", "count to N with a pause at each step (checks that workers run jobs)")
def selftest(
    ctx: JobContext, *, steps: int = 5, pause: float = 0.2, fail: str = ""
) -> dict[str, Any]:
    for n in range(1, int(steps) + 1):
        time.sleep(float(pause))
        ctx.progress(n, int(steps), f"step {n} of {steps}")
    if fail:
        raise JobFailed(fail)
    return {"steps": int(steps), "worker": ctx.job.worker_id}


__all__ = ["EXPORTS", "SEND_REMINDERS_PATH", "register", "store_upload"]
