"""Every bad file of our own generator (badfiles.py) through `rightstrack import`,
`rightstrack extract`, the web upload and the API upload: each is refused with one line
naming the file and what is wrong (exit status 2, or 400), in under 30 s and 1 GiB, with the
database unchanged, no import record, no temporary path in the message and no temporary
folder left behind.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings

from rightstrack.accounts.models import ApiToken
from rightstrack.formats.exceptions import InputError
from rightstrack.formats.safety import Limits, check_input_file
from rightstrack.formats.tests.badfiles import BadFile, docx_parts, write_corpus
from rightstrack.recommendations.models import ImportBatch, Recommendation
from rightstrack.test import BaseTestCase

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
REPO = Path(__file__).resolve().parents[3]
SECONDS = 30
GIB_KB = 1024 * 1024  # ru_maxrss is in kB on Linux
#: The CLI reads files up to INPUT_MAX_MB; at 50 (the upload limit) the 60 MB file is refused.
CLI_ENV = {"INPUT_MAX_MB": "50"}

_CORPUS: dict[str, list[BadFile]] = {}


def corpus() -> list[BadFile]:
    """The corpus, written once per test process into a temporary folder."""
    if "files" not in _CORPUS:
        folder = Path(tempfile.mkdtemp(prefix="rightstrack-badfiles-"))
        atexit.register(shutil.rmtree, folder, True)
        _CORPUS["files"] = write_corpus(folder)
    return _CORPUS["files"]


def _one_line_naming(message: str, bad: BadFile, *, extract: bool = False) -> None:
    # A new database's one-line note ("setting up a new database ...") is not the error.
    lines = [
        line
        for line in message.strip().splitlines()
        if line.strip() and not line.startswith("rightstrack: setting up a new database")
    ]
    assert len(lines) == 1, f"{bad.name}: expected one line, got {message!r}"
    assert "Traceback" not in message
    assert bad.name in lines[0], f"{bad.name} not named in {lines[0]!r}"
    # A table given to the extractor may be refused as a table or as no UN document.
    reason = f"{bad.reason}|not a UN document layout" if extract else bad.reason
    assert re.search(reason, lines[0]), f"{bad.name}: {lines[0]!r} !~ {reason!r}"


def _run(args: list[str], env: dict[str, str]) -> tuple[int, str, str, float, int]:
    """Run the rightstrack command; return (exit status, stdout, stderr, seconds, max RSS kB)."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "rightstrack", *args],
            stdout=out,
            stderr=err,
            cwd=REPO,
            env={**os.environ, **env},
        )
        try:
            _pid, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            process.kill()
            raise
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (
            process.returncode,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
            time.monotonic() - started,
            usage.ru_maxrss,
        )


# --- the limits themselves --------------------------------------------------------------------


def test_it_refuses_a_docx_over_its_decompressed_budget(tmp_path: Path) -> None:
    from rightstrack.formats.tests.badfiles import _package

    path = tmp_path / "small.docx"
    _package(docx_parts(), path, {})
    check_input_file(path)  # a plain document passes
    with pytest.raises(InputError, match=r"small.docx: expands to .* the limit is 0 MB"):
        check_input_file(path, limits=Limits(docx_unzipped_mb=0))


def test_it_refuses_more_rows_than_the_limit(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from rightstrack.formats.importers.common import iter_table

    path = tmp_path / "rows.csv"
    path.write_text("Text,Country\n" + "Ratify,Kenya\n" * 5)
    monkeypatch.setenv("TABLE_MAX_ROWS", "3")
    _columns, rows = iter_table(path)
    with pytest.raises(InputError, match=r"rows.csv, row 5: more than 3 rows"):
        list(rows)


def test_it_reads_a_plain_pdf_and_refuses_one_past_its_limits(tmp_path: Path) -> None:
    from rightstrack.formats.tests.badfiles import pdf_many_pages, text_pdf

    plain = tmp_path / "plain.pdf"
    plain.write_bytes(text_pdf(pages=3))
    check_input_file(plain)  # a plain PDF passes
    with pytest.raises(InputError, match=r"plain.pdf: more than 2 pages .*PDF_MAX_PAGES"):
        check_input_file(plain, limits=Limits(pdf_pages=2))
    with pytest.raises(InputError, match=r"plain.pdf: a PDF whose pages expand to more than 0 MB"):
        check_input_file(plain, limits=Limits(pdf_unpacked_mb=0))
    many = tmp_path / "many.pdf"
    many.write_bytes(pdf_many_pages(pages=50))
    check_input_file(many)
    # Every page counts the content it reads, even when the pages share one stream.
    with pytest.raises(InputError, match=r"many.pdf: a PDF whose pages expand"):
        check_input_file(many, limits=Limits(pdf_unpacked_mb=0))


def test_it_names_a_bad_limit_variable(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("INPUT_MAX_MB", "lots")
    path = tmp_path / "a.csv"
    path.write_text("Text\nRatify\n")
    with pytest.raises(InputError, match=r"INPUT_MAX_MB='lots': expected a whole number"):
        check_input_file(path)


@pytest.mark.shared_data
def test_it_accepts_every_real_file_in_shared(shared_raw: Path) -> None:
    """The limits refuse none of the real public files (tables, documents, matrices)."""
    checked = 0
    for path in sorted(shared_raw.rglob("*")):
        if path.suffix.lower() in (".csv", ".docx", ".pdf", ".txt", ".xlsx"):
            check_input_file(path)
            checked += 1
    assert checked > 20


# --- the command line ------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["import", "extract"])
def test_it_refuses_every_bad_file_on_the_command_line(command: str, tmp_path: Path) -> None:
    """Exit status 2, one line on stderr naming the file, < 30 s and < 1 GiB each.

    The database is new: after every refusal it holds no recommendation and no import.
    """
    env = {**CLI_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'never-written.sqlite'}"}
    files = corpus()
    if command == "import":
        # Django's start-up costs a second or two each: the bombs and one of each other kind.
        wanted = {
            "bomb.docx",
            "bomb.xlsx",
            "lying-bomb.docx",
            "billion-laughs.docx",
            "malformed.docx",
            "unbalanced-quote.csv",
            "shift-jis.csv",
            "header-only.csv",
            "oversize.csv",
            "pdf-bomb.pdf",
            "pdf-loop.pdf",
            "pdf-5000-pages.pdf",
            "folder.csv",
            "zero",
        }
        files = [bad for bad in files if bad.name in wanted]
    # The new database is set up (migrated) once first: the 30 s are the file's, not the
    # migrations' (which take most of them on a loaded machine).
    status, _out, stderr, _s, _rss = _run(["manage", "migrate", "--verbosity", "0"], env)
    assert status == 0, stderr
    output = tmp_path / "out.csv"
    for bad in files:
        args = [command, str(bad.path)] + (["-o", str(output)] if command == "extract" else [])
        status, stdout, stderr, seconds, rss_kb = _run(args, env)
        assert status == 2, f"{bad.name}: exit {status}\n{stderr}"
        _one_line_naming(stderr, bad, extract=command == "extract")
        assert not stdout.strip(), f"{bad.name}: {stdout!r}"
        assert seconds < SECONDS, f"{bad.name}: {seconds:.1f} s"
        assert rss_kb < GIB_KB, f"{bad.name}: {rss_kb // 1024} MB"
        assert not output.exists()
    # A new database is set up (migrated) before the command runs; nothing is written to it.
    db = tmp_path / "never-written.sqlite"
    if db.exists() and db.stat().st_size:
        import sqlite3

        with sqlite3.connect(db) as conn:
            for table in ("recommendations_recommendation", "recommendations_importbatch"):
                (count,) = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
                assert count == 0, f"{table}: {count} rows"


# --- the database, the web page and the API --------------------------------------------------


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class BadUploadsTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.upload_root = Path(tempfile.mkdtemp(prefix="rightstrack-test-uploads-"))
        self.addCleanup(shutil.rmtree, self.upload_root, True)
        self.files = corpus()

    def state(self) -> tuple[int, int, list[str]]:
        return (
            Recommendation.objects.count(),
            ImportBatch.objects.count(),
            sorted(p.name for p in self.upload_root.iterdir()),
        )

    def test_it_refuses_every_bad_file_in_call_command_with_the_database_unchanged(self) -> None:
        before = self.state()
        os.environ.update(CLI_ENV)
        self.addCleanup(os.environ.pop, "INPUT_MAX_MB", None)
        for bad in self.files:
            started = time.monotonic()
            with self.assertRaises(CommandError, msg=bad.name) as caught:
                call_command("import_recommendations", str(bad.path), "--no-progress")
            self.assertEqual(caught.exception.returncode, 2)
            _one_line_naming(str(caught.exception), bad)
            self.assertLess(time.monotonic() - started, SECONDS, bad.name)
            self.assertEqual(self.state(), before, bad.name)

    def _check_answer(self, bad: BadFile, status: int, message: str) -> None:
        self.assertEqual(status, 400, f"{bad.name}: {message[:300]}")
        _one_line_naming(message, bad)
        self.assertNotIn(str(self.upload_root), message)
        self.assertNotIn(tempfile.gettempdir() + "/", message)
        self.assertNotIn("rightstrack-upload-", message)

    def test_it_answers_400_on_the_web_page_for_every_bad_file(self) -> None:
        self.client.force_login(self.alice)
        before = self.state()
        with self.settings(FILE_UPLOAD_TEMP_DIR=str(self.upload_root)):
            for bad in self.files:
                if bad.cli_only:
                    continue
                upload = SimpleUploadedFile(bad.name, bad.path.read_bytes())
                started = time.monotonic()
                response = self.client.post("/import/", {"file": upload, "kind": ""})
                seconds = time.monotonic() - started
                errors = response.context["form"].errors.get("file", []) if response.context else []
                self.assertEqual(len(errors), 1, f"{bad.name}: {errors}")
                self._check_answer(bad, response.status_code, errors[0])
                self.assertLess(seconds, SECONDS, bad.name)
                self.assertEqual(self.state(), before, bad.name)

    def test_it_answers_400_on_the_api_for_every_bad_file(self) -> None:
        _token, plain = ApiToken.issue(self.alice)
        before = self.state()
        with self.settings(FILE_UPLOAD_TEMP_DIR=str(self.upload_root)):
            for bad in self.files:
                if bad.cli_only:
                    continue
                upload = SimpleUploadedFile(bad.name, bad.path.read_bytes())
                started = time.monotonic()
                response = self.client.post(
                    "/api/v1/imports",
                    {"file": upload},
                    headers={"Authorization": f"Bearer {plain}"},
                )
                seconds = time.monotonic() - started
                self._check_answer(
                    bad, response.status_code, response.json().get("error", str(response.json()))
                )
                self.assertLess(seconds, SECONDS, bad.name)
                self.assertEqual(self.state(), before, bad.name)

    def test_it_removes_upload_folders_left_by_a_killed_process(self) -> None:
        from rightstrack.lib import uploads

        with self.settings(FILE_UPLOAD_TEMP_DIR=str(self.upload_root)):
            old = self.upload_root / (uploads.PREFIX + "left-behind")
            old.mkdir()
            (old / "list.csv").write_text("Text\nRatify\n")
            os.utime(old, (time.time() - 2 * uploads.STALE_AFTER,) * 2)
            fresh = self.upload_root / (uploads.PREFIX + "in-use")
            fresh.mkdir()

            self.assertEqual(uploads.sweep_stale(), 1)

            self.assertFalse(old.exists())
            self.assertTrue(fresh.exists())
