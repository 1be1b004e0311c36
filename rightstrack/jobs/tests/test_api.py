from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from rightstrack.accounts.models import ApiToken
from rightstrack.jobs.services import start_job
from rightstrack.jobs.worker import run_queued
from rightstrack.recommendations.models import Recommendation
from rightstrack.test import BaseTestCase

CSV = "Text,Country,Body\n" + "".join(
    f"Adopt law number {n} on torture,France,UPR\n" for n in range(12)
)


class JobsApiTestCase(BaseTestCase):
    databases = {"default", "jobs"}

    def setUp(self) -> None:
        super().setUp()
        _token, self.plain = ApiToken.issue(self.alice)
        _token, self.dans = ApiToken.issue(self.dan)

    def auth(self, plain: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {plain}"}

    def test_a_background_import_answers_202_and_its_job_tells_how_it_went(self) -> None:
        upload = SimpleUploadedFile("list.csv", CSV.encode(), content_type="text/csv")

        queued = self.client.post(
            "/api/v1/imports",
            {"file": upload, "kind": "generic", "background": "true"},
            headers=self.auth(self.plain),
        )
        code = queued.json()["code"]
        before = self.client.get(f"/api/v1/jobs/{code}", headers=self.auth(self.plain))
        run_queued()
        after = self.client.get(f"/api/v1/jobs/{code}", headers=self.auth(self.plain))

        self.assertEqual(queued.status_code, 202)
        self.assertEqual(queued.json()["url"], f"/api/v1/jobs/{code}")
        self.assertEqual((before.json()["state"], before.json()["percent"]), ("queued", 0))
        body = after.json()
        self.assertEqual((body["state"], body["done"], body["total"]), ("done", 12, 12))
        self.assertEqual(body["result"]["created"], 12)
        self.assertEqual(body["result"]["file_name"], "list.csv")
        self.assertIsNone(body["error"])
        self.assertEqual(Recommendation.objects.filter(text__startswith="Adopt law").count(), 12)

    def test_a_job_is_its_owners_and_the_administrators_only(self) -> None:
        job = start_job("selftest", owner=self.bob, params={"steps": 1, "pause": 0})
        _token, bobs = ApiToken.issue(self.bob)

        owner = self.client.get(f"/api/v1/jobs/{job.code}", headers=self.auth(bobs))
        admin = self.client.get(f"/api/v1/jobs/{job.code}", headers=self.auth(self.plain))
        other = self.client.get(f"/api/v1/jobs/{job.code}", headers=self.auth(self.dans))
        anonymous = self.client.get(f"/api/v1/jobs/{job.code}")
        self.client.force_login(self.bob)
        session = self.client.get(f"/api/v1/jobs/{job.code}")

        self.assertEqual(owner.status_code, 200)
        self.assertEqual(admin.status_code, 200)
        self.assertEqual(other.status_code, 404)
        self.assertEqual(anonymous.status_code, 401)
        self.assertEqual(session.status_code, 200)

    def test_a_failed_job_says_why(self) -> None:
        job = start_job(
            "selftest", owner=self.alice, params={"steps": 2, "pause": 0, "fail": "no luck"}
        )
        run_queued()

        body = self.client.get(f"/api/v1/jobs/{job.code}", headers=self.auth(self.plain)).json()

        self.assertEqual((body["state"], body["error"], body["done"]), ("failed", "no luck", 2))
