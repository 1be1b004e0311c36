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
        self.client.force_login(self.bob)
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
        self.assertEqual(imported.call_args.kwargs["user"], self.bob)
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
        self.client.force_login(self.alice)
        result = SimpleNamespace(created=5, updated=0, unchanged=0, file_name="big.csv")

        def fake_import(path, **kwargs):  # type: ignore[no-untyped-def]
            kwargs["progress"](500, 1000)
            return result

        started = []
        with (
            mock.patch.object(views, "BACKGROUND_IMPORT_BYTES", 0),
            mock.patch.object(views, "_start_thread", lambda target, *a, **kw: started.append(a)),
        ):
            response = self.client.post(self.url, {"file": _upload("big.csv")})
        saved = started[0][1]
        self.addCleanup(views.uploads.remove, saved)  # the thread that would remove it never ran
        job = next(iter(j for j in views._JOBS.values() if j.file_name == "big.csv"))
        progress_url = response["Location"]
        running = self.client.get(progress_url, headers={"HX-Request": "true"})
        with (
            mock.patch("rightstrack.recommendations.services.import_file", side_effect=fake_import),
            mock.patch.object(views.connection, "close"),
        ):
            views._import_in_background(
                job, views.Path("/nonexistent/big.csv"), kind="", user=self.alice
            )
        done = self.client.get(progress_url)

        self.assertEqual(progress_url, f"/import/{job.code}/")
        self.assertContains(running, 'hx-trigger="every 1s"')
        self.assertNotContains(running, "<html")
        self.assertContains(
            done, "Imported 5 new, 0 updated, 0 unchanged recommendations from big.csv."
        )
        self.assertNotContains(done, "every 1s")
        self.assertEqual(job.percent, 50)

    def test_it_hides_another_persons_import(self) -> None:
        job = views.ImportJob(code="abc", file_name="x.csv", user_id=self.alice.pk)
        views._JOBS[job.code] = job
        self.client.force_login(self.dan)

        self.assertEqual(self.client.get("/import/abc/").status_code, 404)


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
