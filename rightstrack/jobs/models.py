"""A job: one run of a registered kind, with its progress, in the `jobs` database alias.

Every process reads the same row, so any server process (any host) shows a job's progress,
and a worker's heartbeat on the row tells the others when it has died (docs/jobs.md).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_code() -> str:
    return secrets.token_hex(12)


class JobQuerySet(models.QuerySet["Job"]):
    def visible_to(self, user: Any) -> JobQuerySet:
        """Jobs *user* may follow: their own; an administrator sees all."""
        from rightstrack.accounts.permissions import scope_for

        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        if scope_for(user).admin:
            return self
        return self.filter(owner_id=user.pk)


class Job(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    FINISHED = (State.DONE, State.FAILED)

    code = models.CharField(max_length=32, unique=True, default=new_code, editable=False)
    kind = models.CharField(max_length=64, db_index=True)
    # A plain id, not a foreign key: on SQLite the jobs live in a file of their own.
    owner_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(
        max_length=16, choices=State.choices, default=State.QUEUED, db_index=True
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    worker_id = models.CharField(max_length=64, blank=True)
    #: The django-tasks result row that carries this job through the queue.
    task_id = models.CharField(max_length=64, blank=True, db_index=True)
    #: Set for scheduled runs ("send-reminders:2026-12-01"): one run per key, whoever starts it.
    schedule_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self) -> str:
        return f"{self.kind} {self.code} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in self.FINISHED

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(100, int(100 * self.done / self.total)) if self.total else 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "kind": self.kind,
            "state": self.state,
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
            "message": self.message,
            "result": self.result or None,
            "error": self.error or None,
            "attempts": self.attempts,
            "created_at": self.created_at,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "heartbeat_at": self.heartbeat_at,
        }
