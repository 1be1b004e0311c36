"""Large web exports and PDF reports run as `export` jobs: the page redirects to a progress
page, a worker (here in-process) writes the file to storage, and only its owner downloads it."""

from __future__ import annotations

import csv
import io

import pypdf
from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import reverse

from rightstrack.jobs.models import Job
from rightstrack.jobs.worker import run_queued
from rightstrack.plans.models import ExportLog
from rightstrack.test import FollowUpTestCase, make_body, make_recommendation
from rightstrack.tracking import services


class ExportJobTests(FollowUpTestCase):
    databases = {"default", "jobs"}

    def setUp(self) -> None:
        super().setUp()
        services.assign(self.cora, self.rec, self.justice)
        services.assign(self.boris, self.foreign_rec, self.other_justice)
        upr = make_body("UPR", "upr", "Universal Periodic Review")
        make_recommendation(
            country=self.country, body=upr, paragraph="118.5", cycle=4, position="noted"
        )
        self.client.force_login(self.cora)

    def start(self, query: str, kind: str = "list") -> Job:
        response = self.client.get(reverse("plans-export", args=[kind]) + "?" + query)
        self.assertEqual(response.status_code, 302, response.content[:300])
        job = Job.objects.get()
        self.assertEqual(response["Location"], reverse("plans-export-job", args=[job.code]))
        return job

    def finish(self, job: Job) -> Job:
        self.assertEqual(run_queued("test-worker"), 1)
        job.refresh_from_db()
        self.assertEqual(job.state, "done", job.error)
        self.addCleanup(default_storage.delete, job.result["storage_name"])
        return job

    def test_a_pdf_report_runs_as_a_job_and_only_its_owner_downloads_it(self) -> None:
        job = self.start("country=ZZA&format=pdf", kind="midterm-report")
        waiting = self.client.get(reverse("plans-export-job", args=[job.code]))
        self.assertContains(waiting, "Waiting for a worker to start the export")
        self.assertContains(waiting, 'http-equiv="refresh"')  # followed without JavaScript
        self.assertEqual(ExportLog.objects.count(), 0)

        job = self.finish(job)
        fragment = self.client.get(
            reverse("plans-export-job", args=[job.code]), headers={"HX-Request": "true"}
        )
        file_url = reverse("plans-export-file", args=[job.code])
        self.assertContains(fragment, f'href="{file_url}"')
        self.assertNotContains(fragment, "hx-trigger")  # finished: polling stops
        response = self.client.get(file_url)

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response["Content-Disposition"].startswith("attachment;"))
        body = b"".join(response.streaming_content)
        text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(body)).pages)
        self.assertIn("Mid-term report of Arcadia", text)
        log = ExportLog.objects.get()
        self.assertEqual(
            (log.user, log.kind, log.format, log.via, log.filters),
            (self.cora, "midterm-report", "pdf", "web", {"country": ["ZZA"]}),
        )
        self.assertEqual(job.result["log"], str(log.code))
        # Anyone else, an administrator included, and nobody signed in: 404.
        for other in (self.bea, self.alice, self.vera):
            self.client.force_login(other)
            self.assertEqual(self.client.get(file_url).status_code, 404)
            self.assertEqual(
                self.client.get(reverse("plans-export-job", args=[job.code])).status_code, 404
            )
        self.client.logout()
        self.assertEqual(self.client.get(file_url).status_code, 404)

    @override_settings(EXPORT_INLINE_MAX_ROWS=3)
    def test_a_list_above_the_inline_limit_runs_as_a_job_with_the_same_rows(self) -> None:
        inline = self.client.get(reverse("plans-export", args=["list"]) + "?country=ZZA&format=csv")
        self.assertEqual(inline.status_code, 200)  # three recommendations: not above 3
        self.assertEqual(Job.objects.count(), 0)
        make_recommendation(country=self.country, paragraph="15")

        job = self.finish(self.start("country=ZZA&format=csv"))
        response = self.client.get(reverse("plans-export-file", args=[job.code]))
        rows = list(
            csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
        )

        self.assertEqual(sorted(r["paragraph"] for r in rows), ["118.5", "12", "14", "15"])
        self.assertEqual(
            {r["paragraph"]: r["assignments"] for r in rows}["12"], "Ministry of Justice (lead)"
        )
        self.assertEqual(job.result["rows"], 4)
        self.assertEqual((job.done, job.total), (4, 4))
        self.assertEqual(ExportLog.objects.filter(kind="list", rows=4, user=self.cora).count(), 1)

    @override_settings(EXPORT_INLINE_MAX_ROWS=0)
    def test_a_page_download_job_holds_what_the_page_shows_its_owner(self) -> None:
        self.client.force_login(self.bea)
        job = self.finish(self.start("from=work&format=csv"))
        response = self.client.get(reverse("plans-export-file", args=[job.code]))
        rows = list(
            csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
        )
        self.assertEqual([(r["country"], r["paragraph"]) for r in rows], [("ZZB", "12")])
        self.assertEqual(ExportLog.objects.get().filters, {"from": "work"})

    def test_a_job_that_cannot_export_fails_with_a_message(self) -> None:
        job = self.start("format=pdf", kind="midterm-report")  # no State given
        run_queued("test-worker")
        job.refresh_from_db()
        page = self.client.get(reverse("plans-export-job", args=[job.code]))

        self.assertEqual(job.state, "failed")
        self.assertContains(page, "midterm-report is about one State: give --country")
        self.assertEqual(
            self.client.get(reverse("plans-export-file", args=[job.code])).status_code, 404
        )
        self.assertFalse(ExportLog.objects.exists())

    def test_old_export_files_are_purged_and_then_missing(self) -> None:
        import datetime as dt

        from django.utils import timezone

        from rightstrack.jobs.services import start_job

        job = self.finish(self.start("country=ZZA&format=pdf", kind="midterm-report"))
        name = job.result["storage_name"]
        purge = start_job("purge-exports", params={"days": 7})
        run_queued("test-worker")
        purge.refresh_from_db()
        self.assertEqual(purge.result, {"deleted": 0, "older_than_days": 7})
        self.assertTrue(default_storage.exists(name))

        Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - dt.timedelta(days=8))
        again = start_job("purge-exports", params={"days": 7})
        run_queued("test-worker")
        again.refresh_from_db()

        self.assertEqual(again.result, {"deleted": 1, "older_than_days": 7})
        self.assertFalse(default_storage.exists(name))
        self.assertEqual(
            self.client.get(reverse("plans-export-file", args=[job.code])).status_code, 404
        )
