"""The one django-tasks task: run a Job row. The queue carries job ids; the row carries the rest."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskContext, task

from rightstrack.formats.exceptions import InputError
from rightstrack.jobs.models import Job
from rightstrack.jobs.registry import UnknownJobKind, get_kind
from rightstrack.jobs.routers import JOBS_DB
from rightstrack.jobs.services import JobContext, JobFailed, finish

logger = logging.getLogger(__name__)


def _claim(job_id: int, worker_id: str) -> Job | None:
    with transaction.atomic(using=JOBS_DB):
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return None
        job.state = Job.State.RUNNING
        job.worker_id = worker_id[:64]
        job.attempts += 1
        now = timezone.now()
        job.started_at = job.started_at or now
        job.heartbeat_at = now
        job.save(update_fields=["state", "worker_id", "attempts", "started_at", "heartbeat_at"])
    return job


@task(takes_context=True)
def run_job(context: TaskContext, job_id: int) -> str:
    worker_ids = context.task_result.worker_ids
    worker_id = worker_ids[-1] if worker_ids else "inline"
    job = _claim(job_id, worker_id)
    if job is None:
        return "skipped"
    run_claimed(job)
    return job.state


def run_claimed(job: Job) -> None:
    """Run a claimed job's kind and record how it ended (never raises for the job's errors)."""
    ctx = JobContext(job)
    try:
        function = get_kind(job.kind).function()
        result = function(ctx, **job.params)
    except (InputError, JobFailed, UnknownJobKind) as exc:
        finish(job, error=str(exc) or type(exc).__name__)
    except Exception as exc:
        logger.exception("job %s (%s) failed", job.code, job.kind)
        finish(job, error=f"internal error: {type(exc).__name__}: {exc}")
    else:
        finish(job, result=result)
