from __future__ import annotations

import datetime as dt
from datetime import timedelta
from unittest import mock

import time_machine
from django.test import TestCase, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from rightstrack.jobs import kinds
from rightstrack.jobs.models import Job
from rightstrack.jobs.registry import KINDS, UnknownJobKind, register
from rightstrack.jobs.services import start_job
from rightstrack.jobs.worker import Housekeeper, heartbeat, requeue_stale, run_queued

REMINDED: list[dt.date] = []


def fake_send_reminders(today: dt.date) -> dict[str, int]:
    """Stands in for rightstrack.deadlines.reminders.send_reminders (another app's)."""
    REMINDED.append(today)
    return {"sent": 2}


class JobsTestCase(TestCase):
    databases = {"default", "jobs"}

    def test_a_queued_job_runs_and_records_its_progress_and_result(self) -> None:
        job = start_job("selftest", params={"steps": 3, "pause": 0})

        ran = run_queued("w1")
        job.refresh_from_db()

        self.assertEqual(ran, 1)
        self.assertEqual((job.state, job.done, job.total, job.percent), ("done", 3, 3, 100))
        self.assertEqual(job.result, {"steps": 3, "worker": "w1"})
        self.assertEqual((job.attempts, job.message), (1, "step 3 of 3"))
        self.assertIsNotNone(job.finished_at)
        self.assertEqual(DBTaskResult.objects.get(id=job.task_id).status, "SUCCESSFUL")

    def test_an_unknown_kind_is_refused_when_started(self) -> None:
        with self.assertRaisesMessage(UnknownJobKind, "unknown job kind 'nope' (known: "):
            start_job("nope")
        self.assertFalse(Job.objects.exists())

    def test_a_kind_registered_by_a_path_that_does_not_import_fails_clearly(self) -> None:
        register("missing-app", "rightstrack.not_there.run")
        self.addCleanup(KINDS.pop, "missing-app")
        job = start_job("missing-app")

        run_queued()
        job.refresh_from_db()

        self.assertEqual(job.state, "failed")
        self.assertIn("job kind 'missing-app': cannot import rightstrack.not_there.run", job.error)

    def test_a_job_whose_worker_stopped_is_queued_again_and_then_done(self) -> None:
        job = start_job("selftest", params={"steps": 2, "pause": 0})
        run_queued_until_claimed(job, "dead-worker")
        # The dead worker's heartbeat is older than the lease.
        Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))
        fresh = start_job("selftest", params={"steps": 1, "pause": 0})
        run_queued_until_claimed(fresh, "live-worker")
        heartbeat("live-worker")

        requeued = requeue_stale()
        job.refresh_from_db()
        queued_state = job.state
        run_queued("rescuer")
        job.refresh_from_db()

        self.assertEqual([j.pk for j in requeued], [job.pk])  # the live worker's job stays
        self.assertEqual(queued_state, "queued")
        self.assertEqual((job.state, job.attempts, job.worker_id), ("done", 2, "rescuer"))
        self.assertEqual(job.result["worker"], "rescuer")

    @override_settings(JOBS_MAX_ATTEMPTS=2)
    def test_a_job_that_keeps_killing_its_worker_fails_after_the_last_attempt(self) -> None:
        job = start_job("selftest", params={"steps": 1, "pause": 0})
        Job.objects.filter(pk=job.pk).update(
            state="running", attempts=2, heartbeat_at=timezone.now() - timedelta(hours=1)
        )

        requeue_stale()
        job.refresh_from_db()

        self.assertEqual(job.state, "failed")
        self.assertEqual(job.error, "the worker running this job stopped (2 attempts)")

    def test_the_scheduler_starts_a_daily_job_once_whatever_the_number_of_workers(self) -> None:
        schedule = [{"kind": "selftest", "at": "06:00"}]
        with override_settings(JOBS_SCHEDULE=schedule, TIME_ZONE="UTC"):
            with time_machine.travel(dt.datetime(2026, 12, 1, 5, 59, tzinfo=dt.UTC), tick=False):
                Housekeeper("a").tick()
                early = Job.objects.count()
            with time_machine.travel(dt.datetime(2026, 12, 1, 6, 1, tzinfo=dt.UTC), tick=False):
                Housekeeper("a").tick()
                Housekeeper("b").tick()
                Housekeeper("b").tick()
            with time_machine.travel(dt.datetime(2026, 12, 2, 7, 0, tzinfo=dt.UTC), tick=False):
                Housekeeper("c").tick()

        self.assertEqual(early, 0)
        self.assertEqual(
            sorted(Job.objects.values_list("schedule_key", flat=True)),
            ["selftest:2026-12-01", "selftest:2026-12-02"],
        )

    def test_a_schedule_whose_app_is_not_installed_starts_nothing(self) -> None:
        schedule = [{"kind": "selftest", "at": "00:00", "requires": "rightstrack.not_there"}]
        with override_settings(JOBS_SCHEDULE=schedule):
            Housekeeper("a").tick()

        self.assertFalse(Job.objects.exists())

    def test_send_reminders_calls_the_deadlines_function_with_the_day(self) -> None:
        REMINDED.clear()
        path = f"{__name__}.fake_send_reminders"
        with mock.patch.object(kinds, "SEND_REMINDERS_PATH", path):
            job = start_job("send-reminders", params={"day": "2026-12-03"})
            run_queued()
        job.refresh_from_db()

        self.assertEqual(REMINDED, [dt.date(2026, 12, 3)])
        self.assertEqual((job.state, job.result), ("done", {"sent": 2}))

    def test_send_reminders_fails_clearly_while_the_deadlines_app_is_missing(self) -> None:
        with mock.patch.object(kinds, "SEND_REMINDERS_PATH", "rightstrack.not_there.send"):
            job = start_job("send-reminders")
            run_queued()
        job.refresh_from_db()

        self.assertEqual(job.state, "failed")
        self.assertIn("rightstrack.not_there.send is not available", job.error)


def run_queued_until_claimed(job: Job, worker_id: str) -> None:
    """Claim *job* for *worker_id* as a worker would, without running it (it 'dies')."""
    from rightstrack.jobs.tasks import _claim

    DBTaskResult.objects.filter(id=job.task_id).first().claim(worker_id)
    _claim(job.pk, worker_id)
