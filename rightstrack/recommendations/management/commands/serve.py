from __future__ import annotations

import importlib.util
import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.db.migrations.executor import MigrationExecutor


class Command(BaseCommand):
    help = """Run the web app and the API.

    For development and small deployments: applies pending migrations, then serves with
    Django's development server (no auto-reload) and runs a job worker in the same process
    (background imports, reminders), so `make demo` needs nothing else. With --production it
    refuses to start while migrations are pending and serves the WSGI app with gunicorn
    (install rightstrack[server]); run `rightstrack worker` beside it (docs/deployment.md).
    """

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on")
        parser.add_argument("--production", action="store_true", help="serve with gunicorn")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        parser.add_argument(
            "--no-worker",
            dest="job_worker",
            action="store_false",
            help="development server only: do not run a job worker inside (run rightstrack worker)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        pending = pending_migrations()
        if pending and options["production"]:
            raise CommandError(
                f"{len(pending)} migrations are not applied; run: rightstrack manage migrate",
                returncode=2,
            )
        if pending:
            self.stderr.write(f"applying {len(pending)} migrations")
            call_command("migrate", verbosity=0, interactive=False)
            call_command("migrate", database="jobs", verbosity=0, interactive=False)
        if options["production"]:
            self._run_gunicorn(host, port, options["workers"])
            return
        if options["job_worker"]:
            from rightstrack.jobs.worker import start_embedded_worker

            start_embedded_worker()
        self.stdout.write(f"rightstrack on http://{host}:{port}/ (Ctrl-C to stop)")
        self.stdout.flush()
        call_command("runserver", f"{host}:{port}", use_reloader=False)

    def _run_gunicorn(self, host: str, port: int, workers: int) -> None:
        if importlib.util.find_spec("gunicorn") is None:
            raise CommandError(
                "gunicorn is not installed: pip install 'rightstrack[server]'", returncode=2
            )
        connections.close_all()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "rightstrack.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
        ]
        # gunicorn replaces this process, so signals reach it directly.
        os.execv(sys.executable, argv)


def pending_migrations() -> list[str]:
    """Return the names of the migrations not yet applied (default, and the SQLite jobs file)."""
    from rightstrack.jobs.routers import JOBS_DB, separate

    pending = []
    for alias in ("default", JOBS_DB) if separate() else ("default",):
        executor = MigrationExecutor(connections[alias])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        pending += [f"{migration.app_label}.{migration.name}" for migration, _back in plan]
    return pending
