"""The worker: django-tasks' database worker, plus heartbeats, lease recovery and a scheduler.

Any number of workers on any number of hosts share the queue in the `jobs` alias. Each one
- runs queued jobs (django_tasks_db's Worker claims a task row with SELECT ... FOR UPDATE
  SKIP LOCKED on PostgreSQL, an exclusive transaction on SQLite);
- writes a heartbeat on the jobs it runs every JOBS_HEARTBEAT_SECONDS;
- puts back in the queue a job whose heartbeat is older than JOBS_LEASE_SECONDS (its worker
  was killed, or its host died), up to JOBS_MAX_ATTEMPTS runs;
- starts the scheduled jobs (JOBS_SCHEDULE) when they are due: one job per schedule key, so
  several workers' schedulers never start the same run twice.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from rightstrack.jobs.models import Job
from rightstrack.jobs.registry import get_kind
from rightstrack.jobs.routers import JOBS_DB
from rightstrack.jobs.services import _enqueue, finish, heartbeat_seconds, lease_seconds, start_job

logger = logging.getLogger(__name__)


def new_worker_id() -> str:
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(6)}"


@dataclass(frozen=True)
class Schedule:
    """Run *kind* every day at *at* (local "HH:MM"), or every *every* seconds."""

    kind: str
    at: str = ""
    every: int = 0
    #: A module that must be importable for the schedule to run (an app not installed yet).
    requires: str = ""

    def available(self) -> bool:
        import importlib.util

        if not self.requires:
            return True
        try:
            return importlib.util.find_spec(self.requires) is not None
        except ModuleNotFoundError:
            return False

    def key(self, now: Any) -> str | None:
        """The schedule key of the run due at *now*, or None when none is due yet."""
        local = timezone.localtime(now)
        if self.at:
            hour, minute = (int(x) for x in self.at.split(":"))
            if (local.hour, local.minute) < (hour, minute):
                return None
            return f"{self.kind}:{local.date().isoformat()}"
        slot = int(now.timestamp()) // max(1, self.every)
        return f"{self.kind}:every{self.every}:{slot}"

    def params(self, now: Any) -> dict[str, Any]:
        return {"day": timezone.localdate(now).isoformat()} if self.kind == "send-reminders" else {}


def schedules() -> list[Schedule]:
    found = [Schedule(**entry) for entry in getattr(settings, "JOBS_SCHEDULE", [])]
    return [schedule for schedule in found if schedule.available()]


def heartbeat(worker_id: str) -> int:
    return Job.objects.filter(state=Job.State.RUNNING, worker_id=worker_id).update(
        heartbeat_at=timezone.now()
    )


def max_attempts() -> int:
    return int(getattr(settings, "JOBS_MAX_ATTEMPTS", 3))


def requeue_stale(now: Any = None) -> list[Job]:
    """Put back in the queue the running jobs whose worker stopped writing heartbeats."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - timedelta(seconds=lease_seconds())
    requeued = []
    with transaction.atomic(using=JOBS_DB):
        stale = list(
            Job.objects.select_for_update(skip_locked=True).filter(
                state=Job.State.RUNNING, heartbeat_at__lt=cutoff
            )
        )
        for job in stale:
            try:
                retry = get_kind(job.kind).retry
            except LookupError:
                retry = False
            if not retry or job.attempts >= max_attempts():
                finish(
                    job,
                    error=f"the worker running this job stopped ({job.attempts} attempts)",
                )
                continue
            logger.warning("job %s: worker %s stopped; queued again", job.code, job.worker_id)
            job.state = Job.State.QUEUED
            job.message = "queued again: the worker running it stopped"
            job.worker_id = ""
            job.save(update_fields=["state", "message", "worker_id"])
            back = DBTaskResult.objects.filter(
                id=job.task_id, status=TaskResultStatus.RUNNING
            ).update(status=TaskResultStatus.READY, started_at=None)
            if not back:
                _enqueue(job)
            requeued.append(job)
    return requeued


class Housekeeper:
    """The worker's second thread: heartbeats, lease recovery and the scheduler."""

    def __init__(self, worker_id: str, *, scheduler: bool = True) -> None:
        self.worker_id = worker_id
        self.scheduler = scheduler
        self.stop = threading.Event()
        self._started: set[str] = set()

    def tick(self) -> None:
        now = timezone.now()
        heartbeat(self.worker_id)
        requeue_stale(now)
        if self.scheduler:
            for schedule in schedules():
                key = schedule.key(now)
                if key and key not in self._started:
                    start_job(schedule.kind, params=schedule.params(now), schedule_key=key)
                    self._started.add(key)

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.tick()
            except Exception:  # a database hiccup must not stop the heartbeats for good
                logger.exception("jobs housekeeping failed; trying again")
            finally:
                close_old_connections()
            self.stop.wait(heartbeat_seconds())
        connections.close_all()

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name="rightstrack-jobs-housekeeper", daemon=True)
        thread.start()
        return thread


def make_worker(
    worker_id: str, *, interval: float = 1.0, batch: bool = False, max_tasks: int | None = None
) -> Any:
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=["default"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def start_embedded_worker(*, scheduler: bool = True) -> tuple[Any, Housekeeper]:
    """Run a worker in daemon threads of this process (`rightstrack serve` for the demo)."""
    worker_id = new_worker_id()
    worker = make_worker(worker_id)
    keeper = Housekeeper(worker_id, scheduler=scheduler)
    keeper.start()

    def run() -> None:
        try:
            worker.run()
        finally:
            connections.close_all()

    threading.Thread(target=run, name="rightstrack-jobs-worker", daemon=True).start()
    return worker, keeper


def run_queued(worker_id: str = "inline") -> int:
    """Run every queued job here and now, one after the other; return how many ran.

    The same claim and run as the worker loop (django_tasks_db's), without its polling and
    connection recycling: for tests, and `rightstrack worker --batch`-like use inside a process.
    """
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    worker = make_worker(worker_id)
    ran = 0
    while True:
        with exclusive_transaction(JOBS_DB):
            task_result = DBTaskResult.objects.ready().get_locked()
            if task_result is not None:
                task_result.claim(worker_id)
        if task_result is None:
            return ran
        worker.run_task(task_result)
        ran += 1
