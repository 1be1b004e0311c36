from __future__ import annotations

from types import SimpleNamespace
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from rightstrack.formats.exceptions import ImportFormatError
from rightstrack.front import views
from rightstrack.test import BaseTestCase


def _upload(name: str = "matrix.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"Text,Country\nRatify,Arcadia\n", content_type="text/csv")


#: The personas hash four passwords per test; a fast hasher keeps these tests quick.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class ImportPageTestCase(BaseTestCase):
    url = "/import/"
    databases = {"default", "jobs"}

    def test_it_requires_login(self) -> None:
        response = self.client.get(self.url)

        self.assertRedirects(
            response, "/accounts/login/?next=/import/", fetch_redirect_response=False
        )

    def test_it_shows_the_form_with_every_kind(self) -> None:
        self.client.force_login(self.alice)

        response = self.client.get(self.url)

        self.assertContains(
            response, '<option value="" selected>Guess from the file</option>', html=False
        )
        self.assertContains(response, 'value="ohchr-matrix"')
        self.assertContains(response, '<label for="id_file">File</label>', html=False)

    def test_it_imports_a_small_file_at_once(self) -> None:
        self.client.force_login(self.alice)
        result = SimpleNamespace(created=3, updated=1, unchanged=2, file_name="matrix.csv")

        with mock.patch(
            "rightstrack.recommendations.services.import_file", return_value=result
        ) as imported:
            response = self.client.post(self.url, {"file": _upload(), "kind": "generic"})

        self.assertContains(
            response, "Imported 3 new, 1 updated, 2 unchanged recommendations from matrix.csv."
        )
        path = imported.call_args.args[0]
        self.assertEqual(path.name, "matrix.csv")
        self.assertEqual(imported.call_args.kwargs["kind"], "generic")
        self.assertEqual(imported.call_args.kwargs["user"], self.alice)
        self.assertFalse(path.exists())

    def test_it_shows_why_a_file_was_refused(self) -> None:
        self.client.force_login(self.alice)
        error = ImportFormatError("missing column 'Text'", path="matrix.csv", row=1, column="Text")

        with mock.patch("rightstrack.recommendations.services.import_file", side_effect=error):
            response = self.client.post(self.url, {"file": _upload()})

        self.assertContains(
            response, "matrix.csv, row 1, column &#x27;Text&#x27;: missing column", status_code=400
        )

    def test_it_imports_a_big_file_in_the_background_with_progress(self) -> None:
        from rightstrack.jobs.models import Job
        from rightstrack.jobs.worker import run_queued
        from rightstrack.recommendations.models import Recommendation

        self.client.force_login(self.alice)
        rows = "".join(f"Ratify convention number {n},France,UPR\n" for n in range(30))
        upload = SimpleUploadedFile("big.csv", f"Text,Country,Body\n{rows}".encode(), "text/csv")

        with mock.patch.object(views, "BACKGROUND_IMPORT_BYTES", 0):
            response = self.client.post(self.url, {"file": upload, "kind": "generic"})
        job = Job.objects.get(kind="import")
        progress_url = response["Location"]
        waiting = self.client.get(progress_url, headers={"HX-Request": "true"})
        ran = run_queued()
        done = self.client.get(progress_url)
        job.refresh_from_db()

        self.assertEqual(progress_url, f"/import/{job.code}/")
        self.assertEqual(job.owner_id, self.alice.pk)
        self.assertContains(waiting, 'hx-trigger="every 1s"')
        self.assertContains(waiting, "Waiting for a worker")
        self.assertNotContains(waiting, "<html")
        self.assertEqual(ran, 1)
        self.assertEqual(job.error, "")
        self.assertEqual((job.state, job.done, job.total, job.percent), ("done", 30, 30, 100))
        self.assertEqual(job.result["created"], 30)
        self.assertEqual(Recommendation.objects.filter(text__startswith="Ratify conv").count(), 30)
        self.assertContains(
            done, "Imported 30 new, 0 updated, 0 unchanged recommendations from big.csv."
        )
        self.assertNotContains(done, "every 1s")
        self.assertContains(done, '<meta http-equiv="refresh"', count=0)
        # The upload waited in Django's storage for the worker, and is gone once imported.
        from django.core.files.storage import default_storage

        self.assertFalse(default_storage.exists(job.params["storage_name"]))

    def test_a_refused_background_file_says_why(self) -> None:
        from rightstrack.jobs.worker import run_queued

        self.client.force_login(self.alice)
        upload = SimpleUploadedFile("big.csv", b"Nothing,Here\nx,y\n", content_type="text/csv")
        with mock.patch.object(views, "BACKGROUND_IMPORT_BYTES", 0):
            response = self.client.post(self.url, {"file": upload, "kind": "generic"})
        run_queued()
        done = self.client.get(response["Location"])

        self.assertContains(done, "The file was not imported:")
        # The error names the file as uploaded, not where it waited in the storage.
        self.assertContains(done, "big.csv, row 1, column")
        self.assertNotContains(done, "job-uploads")

    def test_the_page_refreshes_itself_without_javascript_while_running(self) -> None:
        from rightstrack.jobs.services import start_job

        job = start_job("import", owner=self.alice, params={"storage_name": "x/y.csv"})
        self.client.force_login(self.alice)

        page = self.client.get(f"/import/{job.code}/")

        self.assertContains(page, '<noscript><meta http-equiv="refresh" content="3"></noscript>')
        self.assertContains(page, '<progress id="import-bar" max="100" value="0">')

    def test_it_hides_another_persons_import(self) -> None:
        from rightstrack.jobs.services import start_job

        job = start_job("import", owner=self.alice, params={"storage_name": "x/y.csv"})
        self.client.force_login(self.dan)
        hidden = self.client.get(f"/import/{job.code}/")
        self.client.force_login(self.bob)
        hidden_too = self.client.get(f"/import/{job.code}/")
        self.client.force_login(self.alice)
        shown = self.client.get(f"/import/{job.code}/")

        self.assertEqual(hidden.status_code, 404)
        self.assertEqual(hidden_too.status_code, 404)
        self.assertEqual(shown.status_code, 200)


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class LoginPageTestCase(BaseTestCase):
    def test_it_logs_in_and_out(self) -> None:
        page = self.client.get("/accounts/login/")
        response = self.client.post(
            "/accounts/login/", {"username": "carol", "password": "password"}
        )
        home = self.client.get("/")
        out = self.client.post("/accounts/logout/")

        self.assertContains(page, '<label for="id_username">User name</label>', html=False)
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertContains(home, "carol")
        self.assertContains(home, 'href="/import/"')
        self.assertEqual(out.status_code, 302)
