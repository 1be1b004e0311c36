"""The "Download" of each list page holds what that page shows its user, no more: the link is
taken from the rendered page, followed, and the CSV read back; each download is recorded."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re

from django.utils import timezone

from rightstrack.plans import services as plans
from rightstrack.plans.models import ExportLog
from rightstrack.recommendations.models import (
    GroupMembership,
    Label,
    RecommendationGroup,
    Taxonomy,
    Term,
)
from rightstrack.test import FollowUpTestCase
from rightstrack.tracking import services

LINK = re.compile(r'href="(/exports/list/\?[^"]*format=csv)"')


class PageDownloadTests(FollowUpTestCase):
    def setUp(self) -> None:
        super().setUp()
        today = timezone.localdate()
        self.due = today.replace(day=28)
        self.month = self.due.strftime("%Y-%m")
        services.assign(self.cora, self.rec, self.justice, due=self.due)
        services.assign(self.cora, self.other_rec, self.health, due=self.due)
        services.assign(self.boris, self.foreign_rec, self.other_justice, due=self.due)

    def download(self, user, url: str) -> tuple[list[dict[str, str]], str]:
        """Open *url* as *user*, follow its list download; return the rows and the link."""
        self.client.force_login(user)
        page = self.client.get(url)
        self.assertEqual(page.status_code, 200, url)
        found = LINK.search(page.content.decode())
        self.assertIsNotNone(found, f"no list download on {url}")
        link = html.unescape(found.group(1))
        response = self.client.get(link)
        self.assertEqual(response.status_code, 200, response.content[:300])
        self.assertIn("attachment;", response["Content-Disposition"])
        text = response.content.decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text))), link

    def paragraphs(self, rows: list[dict[str, str]]) -> set[tuple[str, str]]:
        return {(r["country"], r["paragraph"]) for r in rows}

    def csv_paragraphs(self, url: str, **headers: str) -> set[tuple[str, str]]:
        """GET the CSV export at *url* (200 expected); return its (country, paragraph) rows."""
        response = self.client.get(url, **headers)
        self.assertEqual(response.status_code, 200, response.content[:200])
        text = response.content.decode("utf-8-sig")
        return self.paragraphs(list(csv.DictReader(io.StringIO(text))))

    def test_the_work_list_downloads_the_persons_own_assignments(self) -> None:
        rows, link = self.download(self.bob, "/work/?status=not_started")

        self.assertEqual(self.paragraphs(rows), {("ZZA", "12")})  # not Health's, not Borduria's
        self.assertEqual(rows[0]["assignments"], "Ministry of Justice (lead)")
        self.assertIn("from=work", link)
        self.assertIn("status=not_started", link)
        log = ExportLog.objects.get()
        self.assertEqual((log.user, log.kind, log.format, log.rows), (self.bob, "list", "csv", 1))
        self.assertEqual(log.filters, {"from": "work", "status": "not_started"})

        coordinator, _link = self.download(self.cora, f"/work/?institution={self.health.code}")
        self.assertEqual(self.paragraphs(coordinator), {("ZZA", "14")})
        other_state, _link = self.download(self.bea, "/work/")
        self.assertEqual(self.paragraphs(other_state), {("ZZB", "12")})
        self.assertEqual(other_state[0]["assignments"], "Ministry of Justice (lead)")

    def test_the_validation_queue_downloads_what_waits_for_this_validator(self) -> None:
        services.submit_update(
            self.bob, self.rec, status="in_progress", date=str(dt.date.today()), note="Started."
        )
        services.submit_update(
            self.bea, self.foreign_rec, status="in_progress", date=str(dt.date.today()), note="x"
        )

        rows, _link = self.download(self.vera, "/validation/")
        self.assertEqual(self.paragraphs(rows), {("ZZA", "12")})
        rows, _link = self.download(self.boris, "/validation/")
        self.assertEqual(self.paragraphs(rows), {("ZZB", "12")})
        self.assertEqual(ExportLog.objects.filter(filters__from="validation").count(), 2)

    def test_the_dashboard_downloads_the_recommendations_it_counts(self) -> None:
        rows, link = self.download(self.cora, "/dashboard/?country=ZZA")
        self.assertEqual(self.paragraphs(rows), {("ZZA", "12"), ("ZZA", "14")})
        rows, link = self.download(
            self.cora, f"/dashboard/?country=ZZA&institution={self.justice.code}"
        )
        self.assertEqual(self.paragraphs(rows), {("ZZA", "12")})
        self.assertIn(f"institution={self.justice.code}", link)
        # Boris may open Arcadia's dashboard: it counts nothing of Arcadia's for him.
        rows, _link = self.download(self.boris, "/dashboard/?country=ZZA")
        self.assertEqual(rows, [])
        log = ExportLog.objects.filter(user=self.boris).get()
        self.assertEqual(log.filters, {"from": "dashboard", "country": "ZZA"})

    def test_the_calendar_downloads_what_falls_due_in_the_month(self) -> None:
        rows, link = self.download(self.bob, f"/calendar/?month={self.month}")
        self.assertEqual(self.paragraphs(rows), {("ZZA", "12")})
        self.assertIn(f"month={self.month}", link)
        rows, _link = self.download(self.cora, f"/calendar/?month={self.month}&country=ZZA")
        self.assertEqual(self.paragraphs(rows), {("ZZA", "12"), ("ZZA", "14")})
        rows, _link = self.download(self.cora, "/calendar/?month=2001-01")
        self.assertEqual(rows, [])

    def test_the_review_queue_and_groups_download_public_text_without_others_follow_up(
        self,
    ) -> None:
        taxonomy, _new = Taxonomy.objects.get_or_create(
            slug="groups_of_persons", defaults={"name": "Groups of persons"}
        )
        term = Term.objects.create(taxonomy=taxonomy, name="Children")
        Label.objects.create(
            recommendation=self.rec,
            term=term,
            source=Label.Source.CLASSIFIER,
            confidence=0.9,
            review_state=Label.ReviewState.SUGGESTED,
        )
        Label.objects.create(
            recommendation=self.foreign_rec,
            term=term,
            source=Label.Source.CLASSIFIER,
            confidence=0.4,
            review_state=Label.ReviewState.SUGGESTED,
        )
        group = RecommendationGroup.objects.create(title="Same ask")
        for rec in (self.rec, self.other_rec):
            GroupMembership.objects.create(group=group, recommendation=rec)

        rows, _link = self.download(self.bea, "/review/?country=ZZA")
        self.assertEqual(self.paragraphs(rows), {("ZZA", "12")})
        # Bea (Borduria) reads Arcadia's public recommendation, never its follow-up.
        self.assertEqual((rows[0]["assignments"], rows[0]["status"]), ("", ""))
        rows, _link = self.download(self.bea, "/review/?min_confidence=0.3&max_confidence=0.5")
        self.assertEqual(self.paragraphs(rows), {("ZZB", "12")})

        rows, _link = self.download(self.bea, "/groups/")
        self.assertEqual(self.paragraphs(rows), {("ZZA", "12"), ("ZZA", "14")})
        self.assertEqual({r["assignments"] for r in rows}, {""})
        rows, _link = self.download(self.cora, "/groups/?status=confirmed")
        self.assertEqual(rows, [])

    def test_unfunded_actions_and_plans_download_only_what_their_user_sees(self) -> None:
        services.create_action(
            self.cora, institution=self.justice, recommendations=[self.rec], title="Train judges"
        )
        services.create_action(
            self.boris,
            institution=self.other_justice,
            recommendations=[self.foreign_rec],
            title="Hire clerks",
        )
        plans.create_plan(
            self.cora,
            country=self.country,
            title="Plan",
            start="2026-01-01",
            end="2027-12-31",
            filters={"country": ["ZZA"]},
        )

        rows, _link = self.download(self.cora, "/funds/unfunded/")
        self.assertEqual(self.paragraphs(rows), {("ZZA", "12")})
        self.assertEqual(rows[0]["actions"], "Train judges (Ministry of Justice, planned)")
        rows, _link = self.download(self.bea, "/funds/unfunded/")
        self.assertEqual(self.paragraphs(rows), {("ZZB", "12")})

        rows, _link = self.download(self.cora, "/plans/")
        self.assertEqual(self.paragraphs(rows), {("ZZA", "12"), ("ZZA", "14")})
        rows, _link = self.download(self.bea, "/plans/")
        self.assertEqual(rows, [])

    def test_follow_up_filters_narrow_any_list_as_the_pages_do(self) -> None:
        self.client.force_login(self.cora)
        base = "/exports/list/?format=csv&country=ZZA"

        def rows(query: str) -> set[tuple[str, str]]:
            return self.csv_paragraphs(base + query)

        self.assertEqual(rows(f"&assigned_to={self.health.code}"), {("ZZA", "14")})
        # Cora does not coordinate Borduria: its institution's work is not hers to list.
        self.assertEqual(rows(f"&country=ZZB&assigned_to={self.other_justice.code}"), set())
        self.assertEqual(rows("&awaiting_validation=1"), set())
        services.submit_update(
            self.hugo, self.other_rec, status="in_progress", date=str(dt.date.today()), note="x"
        )
        self.assertEqual(rows("&awaiting_validation=1"), {("ZZA", "14")})
        due = self.due.isoformat()
        self.assertEqual(rows(f"&due_after={due}&due_before={due}"), {("ZZA", "12"), ("ZZA", "14")})
        self.assertEqual(rows("&due_before=2001-01-31"), set())
        log = ExportLog.objects.order_by("-id").first()
        self.assertEqual(log.filters, {"country": ["ZZA"], "due_before": "2001-01-31"})
        bad = self.client.get(base + "&due_before=soon")
        self.assertEqual(bad.status_code, 400)
        self.assertIn("due_before: not a date (YYYY-MM-DD): 'soon'", bad.content.decode())
        bad = self.client.get(base + "&assigned_to=nope")
        self.assertEqual(bad.status_code, 400)
        self.assertIn("assigned_to: not an institution code", bad.content.decode())

    def test_the_api_takes_the_same_follow_up_filters(self) -> None:
        from rightstrack.accounts.services import create_token

        auth = {"HTTP_AUTHORIZATION": f"Bearer {create_token('cora@example.org')}"}
        base = "/api/v1/exports/list?format=csv&country=ZZA"

        def rows(query: str) -> set[tuple[str, str]]:
            return self.csv_paragraphs(base + query, **auth)

        self.assertEqual(rows(f"&assigned_to={self.health.code}"), {("ZZA", "14")})
        self.assertEqual(rows(f"&country=ZZB&assigned_to={self.other_justice.code}"), set())
        self.assertEqual(rows("&due_before=2001-01-31"), set())
        log = ExportLog.objects.order_by("-id").first()
        self.assertEqual((log.via, log.filters["due_before"]), ("api", "2001-01-31"))
        bad = self.client.get(base + "&due_before=soon", **auth)
        self.assertEqual(bad.status_code, 400)
        self.assertIn("due_before: not a date", bad.json()["error"])

    def test_the_command_line_takes_the_same_follow_up_filters(self) -> None:
        import tempfile
        from pathlib import Path

        from django.core.management import call_command

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "work.csv"
            call_command(
                "export_recommendations",
                "list",
                "-o",
                str(path),
                "--user",
                "bea@example.org",
                "--assigned-to",
                str(self.other_justice.code),
                stdout=io.StringIO(),
            )
            rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        self.assertEqual(self.paragraphs(rows), {("ZZB", "12")})
        self.assertEqual(rows[0]["assignments"], "Ministry of Justice (lead)")
        log = ExportLog.objects.get()
        self.assertEqual(
            (log.via, log.filters), ("cli", {"assigned_to": [str(self.other_justice.code)]})
        )

    def test_a_page_download_needs_a_known_page_and_a_signed_in_person(self) -> None:
        response = self.client.get("/exports/list/?from=work&format=csv")
        self.assertEqual(response.status_code, 302)
        self.client.force_login(self.bob)
        response = self.client.get("/exports/list/?from=nowhere&format=csv")
        self.assertEqual(response.status_code, 400)
        self.assertIn("from='nowhere': not a page with a download", response.content.decode())
        self.assertFalse(ExportLog.objects.exists())
