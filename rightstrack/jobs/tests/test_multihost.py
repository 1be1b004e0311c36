"""Several server processes and workers against one database behave as one (issue 12 §6,
issue 15 §5): real subprocesses (gunicorn, `rightstrack worker`) on a file SQLite database and
on PostgreSQL (skipped when no server answers on 127.0.0.1:5432)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
BIN = Path(sys.executable).parent
RIGHTSTRACK = [sys.executable, "-m", "rightstrack"]

SETUP = """
from django.contrib.auth.models import User
from rightstrack.accounts.models import ApiToken
alice = User.objects.create_superuser("alice", "alice@example.org", "password")
bob = User.objects.create_user("bob", "bob@example.org", "password")
print(ApiToken.issue(alice)[1], ApiToken.issue(bob)[1])
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_available() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except Exception:
        return False
    return True


@dataclass
class Site:
    """One database, the processes started against it, and helpers to talk to them."""

    env: dict[str, str]
    tmp: Path
    tokens: dict[str, str] = field(default_factory=dict)
    processes: list[subprocess.Popen] = field(default_factory=list)

    def run(self, *args: str, timeout: float = 120) -> str:
        done = subprocess.run(
            [*RIGHTSTRACK, *args],
            env=self.env,
            cwd=self.tmp,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, f"rightstrack {args[0]}: {done.stderr[-2000:]}"
        return done.stdout

    def start(self, *argv: str, log: str) -> subprocess.Popen:
        out = (self.tmp / log).open("w")
        process = subprocess.Popen(
            argv, env=self.env, cwd=self.tmp, stdout=out, stderr=subprocess.STDOUT
        )
        self.processes.append(process)
        return process

    def server(self) -> str:
        """Start a gunicorn server process of its own; return its base URL once it answers."""
        port = _free_port()
        self.start(
            sys.executable, "-m", "gunicorn", "rightstrack.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60",
            log=f"server-{port}.log",
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: self.get(base, "/api/v1/countries")[0] == 200, 40, "server start")
        return base

    def worker(self, name: str) -> subprocess.Popen:
        return self.start(
            *RIGHTSTRACK, "worker", "--worker-id", name, "--no-scheduler", "--interval", "0.2",
            log=f"worker-{name}.log",
        )  # fmt: skip

    def get(self, base: str, path: str, token: str = "") -> tuple[int, Any]:
        request = urllib.request.Request(base + path)
        if token:
            request.add_header("Authorization", f"Bearer {self.tokens[token]}")
        return _send(request)

    def post_file(
        self, base: str, path: str, name: str, content: bytes, token: str, **fields: str
    ) -> tuple[int, Any]:
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"'
            f"\r\nContent-Type: text/csv\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(base + path, data=body, method="POST")
        request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
        request.add_header("Authorization", f"Bearer {self.tokens[token]}")
        return _send(request)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        self.processes.clear()


def _send(request: urllib.request.Request) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")
    except (urllib.error.URLError, ConnectionError):
        return 0, None


def wait_for(condition: Callable[[], Any], seconds: float, what: str) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared_site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp(f"multihost-{request.param}")
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "DB_NAME", "REDIS_URL", "DJANGO_SETTINGS"))
    }
    env.update(
        RIGHTSTRACK_DATA_DIR=str(tmp),
        DEBUG="True",
        JOBS_HEARTBEAT_SECONDS="0.5",
        JOBS_LEASE_SECONDS="3",
        JOBS_SCHEDULER="False",
        PYTHONUNBUFFERED="1",
    )
    database = None
    if request.param == "postgresql":
        if not _pg_available():
            pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
        import psycopg

        database = f"rt_jobs_multihost_{os.getpid()}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {database}")
            conn.execute(f"CREATE DATABASE {database}")
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    found = Site(env=env, tmp=tmp)
    try:
        found.run("manage", "migrate", "--noinput", "-v", "0", timeout=300)
        admin, other = found.run("manage", "shell", "-c", SETUP).strip().splitlines()[-1].split()
        found.tokens = {"alice": admin, "bob": other}
        yield found
    finally:
        found.stop()
        if database:
            import psycopg

            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


@pytest.fixture
def site(shared_site: Site) -> Iterator[Site]:
    """The module's database; the servers and workers a test starts stop when it ends."""
    try:
        yield shared_site
    finally:
        shared_site.stop()


def _csv(prefix: str, rows: int) -> bytes:
    lines = [
        f"{prefix} number {n} to protect the rights of the child,France,UPR" for n in range(rows)
    ]
    return ("Text,Country,Body\n" + "\n".join(lines) + "\n").encode()


def test_a_job_started_through_one_server_shows_its_progress_through_the_other(site: Site) -> None:
    one, other = site.server(), site.server()

    status, job = site.post_file(
        one, "/api/v1/imports", "big.csv", _csv("Adopt a plan", 2000), "alice",
        kind="generic", background="true",
    )  # fmt: skip
    assert status == 202, job
    code = job["code"]
    # Through the other server, before any worker runs: queued; another person: 404.
    assert site.get(other, f"/api/v1/jobs/{code}", "alice")[1]["state"] == "queued"
    assert site.get(other, f"/api/v1/jobs/{code}", "bob")[0] == 404
    site.worker("w1")
    seen = []

    def finished() -> bool:
        status, body = site.get(other, f"/api/v1/jobs/{code}", "alice")
        assert status == 200, body
        seen.append((body["state"], body["done"], body["total"]))
        return body["state"] in ("done", "failed")

    wait_for(finished, 50, "the import job to finish")
    final = site.get(other, f"/api/v1/jobs/{code}", "alice")[1]

    assert final["state"] == "done", final
    assert final["result"]["created"] == 2000
    # Progress written by the worker while the import's transaction was open was seen here.
    assert any(state == "running" and 0 < done < total for state, done, total in seen), seen
    status, found = site.get(other, "/api/v1/recommendations?q=plan&page_size=1")
    assert (status, found["count"]) == (200, 2000)


def test_an_update_through_one_server_is_seen_through_the_other_at_once(site: Site) -> None:
    one, other = site.server(), site.server()
    path = "/api/v1/recommendations?q=ratify&page_size=1"
    # The other server counts (and caches) the facets before the import.
    status, before = site.get(other, "/api/v1/facets?q=ratify")
    assert status == 200
    assert site.get(other, path)[1]["count"] == 0

    status, done = site.post_file(
        one, "/api/v1/imports", "small.csv", _csv("Ratify the protocol", 7), "alice",
        kind="generic",
    )  # fmt: skip
    after = site.get(other, path)[1]
    facets_after = site.get(other, "/api/v1/facets?q=ratify")[1]

    assert (status, done["created"]) == (200, 7), done
    assert after["count"] == 7
    assert facets_after != before
    assert json.dumps(facets_after).count("FRA") >= 1


def test_a_killed_workers_job_is_picked_up_by_another_worker(site: Site) -> None:
    server = site.server()
    doomed = site.worker("doomed")
    code = site.run(
        "jobs", "start", "selftest", "--param", "steps=15", "--param", "pause=0.2"
    ).strip()

    def running() -> bool:
        body = site.get(server, f"/api/v1/jobs/{code}", "alice")[1]
        return body["state"] == "running" and body["done"] >= 2

    wait_for(running, 30, "the first worker to be under way")
    os.kill(doomed.pid, signal.SIGKILL)
    doomed.wait(10)
    halted = site.get(server, f"/api/v1/jobs/{code}", "alice")[1]
    site.worker("rescuer")

    def done() -> Any:
        body = site.get(server, f"/api/v1/jobs/{code}", "alice")[1]
        return body if body["state"] in ("done", "failed") else None

    final = wait_for(done, 40, "another worker to finish the job")

    assert halted["state"] == "running"  # the row still says so: nobody told it
    assert final["state"] == "done", final
    assert final["result"] == {"steps": 15, "worker": "rescuer"}
    assert final["attempts"] == 2


def _redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2):
            return True
    except OSError:
        return False


def test_with_redis_url_two_processes_share_the_cache(tmp_path: Path) -> None:
    if not _redis_available():
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"rt-test-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_SETTINGS")}
    env.update(
        REDIS_URL="redis://127.0.0.1:6379/0",
        CACHE_PREFIX=prefix,
        RIGHTSTRACK_DATA_DIR=str(tmp_path),
    )

    def shell(code: str) -> str:
        done = subprocess.run(
            [*RIGHTSTRACK, "manage", "shell", "-v", "0", "-c", code],
            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-1500:]
        return done.stdout.strip().splitlines()[-1]

    written = shell(
        "from django.core.cache import cache; cache.set('shared', [1, 2], 60);"
        "print(type(cache._cache).__name__ if hasattr(cache, '_cache') else type(cache).__name__)"
    )
    read = shell(
        "from django.core.cache import cache; print(cache.get('shared')); cache.delete('shared')"
    )

    assert written == "RedisCacheClient"
    assert read == "[1, 2]"
