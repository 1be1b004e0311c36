"""Start jobs and report their progress. Everything goes through the `jobs` alias's row."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from rightstrack.jobs.models import Job
from rightstrack.jobs.registry import get_kind
from rightstrack.jobs.routers import JOBS_DB

logger = logging.getLogger(__name__)


class JobFailed(Exception):
    """Raise from a job kind to fail the job with a message meant for the person (no retry)."""


def lease_seconds() -> float:
    return float(getattr(settings, "JOBS_LEASE_SECONDS", 60))


def heartbeat_seconds() -> float:
    return float(getattr(settings, "JOBS_HEARTBEAT_SECONDS", 5))


def start_job(
    kind: str,
    *,
    owner: Any = None,
    params: dict[str, Any] | None = None,
    message: str = "",
    schedule_key: str | None = None,
) -> Job:
    """Queue a job of *kind* and return its row; a worker (any host) will run it.

    With *schedule_key*, at most one job is ever created per key: a second call (another
    worker's scheduler, the same day) returns the existing job.
    """
    get_kind(kind)  # fail now, in the caller, for an unknown kind
    owner_id = getattr(owner, "pk", owner)
    try:
        with transaction.atomic(using=JOBS_DB):
            job = Job.objects.create(
                kind=kind,
                owner_id=owner_id,
                params=params or {},
                message=message,
                schedule_key=schedule_key,
            )
            _enqueue(job)
    except IntegrityError:
        if schedule_key is None:
            raise
        return Job.objects.get(schedule_key=schedule_key)
    return job


def _enqueue(job: Job) -> None:
    from rightstrack.jobs.tasks import run_job

    result = run_job.enqueue(job.pk)
    job.task_id = str(result.id)
    job.save(update_fields=["task_id"])


@dataclass
class JobContext:
    """What a running job kind gets: its row, and progress() to report how far it is."""

    job: Job
    min_interval: float = 0.5
    _last: float = field(default=0.0, repr=False)

    @property
    def params(self) -> dict[str, Any]:
        return self.job.params

    def progress(self, done: int, total: int, message: str | None = None) -> None:
        """Record progress (throttled; the last call before the end is always written).

        Written through the `jobs` connection, which commits at once even while the job's own
        writes on `default` are inside a transaction.
        """
        self.job.done, self.job.total = max(0, int(done)), max(0, int(total))
        if message is not None:
            self.job.message = message[:500]
        now = time.monotonic()
        if now - self._last < self.min_interval and done < total:
            return
        self._last = now
        self.flush()

    def flush(self) -> None:
        fields = {
            "done": self.job.done,
            "total": self.job.total,
            "message": self.job.message,
            "heartbeat_at": timezone.now(),
        }
        Job.objects.filter(pk=self.job.pk, state=Job.State.RUNNING).update(**fields)

    def __call__(self, done: int, total: int) -> None:
        """A Progress callback (engine.progress.Progress) for services that take one."""
        self.progress(done, total)


def finish(job: Job, *, result: Any = None, error: str = "") -> None:
    job.state = Job.State.FAILED if error else Job.State.DONE
    job.result = jsonable(result) if not error else {}
    job.error = error
    job.finished_at = timezone.now()
    if not error and job.total and job.done < job.total:
        job.done = job.total
    job.save(update_fields=["state", "result", "error", "finished_at", "done"])


def jsonable(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, dict):
        import json

        return json.loads(json.dumps(value, default=str))
    if isinstance(value, int | float | str | bool):
        return {"value": value}
    if isinstance(value, list | tuple):
        return {"count": len(value)}
    return {"value": str(value)}
