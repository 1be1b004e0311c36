from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from rightstrack.jobs.worker import Housekeeper, make_worker, new_worker_id


class Command(BaseCommand):
    help = """Run background jobs (imports, reminders) from the shared queue.

    Run one or more on any host against the same database. A job whose worker is killed is
    run again by another worker once its lease (JOBS_LEASE_SECONDS) has passed. The built-in
    scheduler starts the daily jobs (JOBS_SCHEDULE); give --no-scheduler to leave that to cron.
    """

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between looks at an empty queue"
        )
        parser.add_argument("--worker-id", default="", help="a name unique among the workers")
        parser.add_argument(
            "--no-scheduler",
            dest="scheduler",
            action="store_false",
            help="do not start scheduled jobs",
        )
        parser.add_argument("--batch", action="store_true", help="run the queued jobs, then stop")
        parser.add_argument("--max-jobs", type=int, default=None, help="stop after this many jobs")

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = options["worker_id"] or new_worker_id()
        logging.getLogger("rightstrack.jobs").setLevel(logging.INFO)
        keeper = Housekeeper(worker_id, scheduler=options["scheduler"])
        keeper.tick()  # recover stale jobs and schedule before taking the first one
        keeper.start()
        worker = make_worker(
            worker_id,
            interval=options["interval"],
            batch=options["batch"],
            max_tasks=options["max_jobs"],
        )
        self.stdout.write(f"rightstrack worker {worker_id} (Ctrl-C to stop)")
        self.stdout.flush()
        worker.configure_signals()
        try:
            worker.run()
        finally:
            keeper.stop.set()
