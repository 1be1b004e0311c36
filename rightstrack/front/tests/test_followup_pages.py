"""Follow-up pages: the recommendation's panel and its forms, lists, downloads, management.

Every page and form is visited as the personas of rightstrack.test.FollowUpTestCase, for
follow-up of the person's own institution, of another institution of the same State, of
another State, and anonymously, asserting the answers of docs/roles.md.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from rightstrack.accounts.models import Institution, Membership
from rightstrack.recommendations.models import SubItem
from rightstrack.test import FollowUpTestCase, make_recommendation
from rightstrack.tracking import services
from rightstrack.tracking.models import (
    Action,
    Assessment,
    Assignment,
    Event,
    FollowUp,
    Indicator,
    Measurement,
    StatusUpdate,
)

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HX = {"HTTP_HX_REQUEST": "true"}


def pdf(name: str = "decree.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class PagesTestCase(FollowUpTestCase):
    """Arcadia's paragraph 12 is assigned to its Ministry of Justice (lead) and paragraph 14 to
    its Ministry of Health; Borduria's paragraph 12 to Borduria's Ministry of Justice."""

    def setUp(self) -> None:
        super().setUp()
        self.media = tempfile.mkdtemp(prefix="rt-media-")
        self.media_override = override_settings(MEDIA_ROOT=self.media)
        self.media_override.enable()
        self.a_justice, _ = services.assign(self.cora, self.rec, self.justice, due="2027-06-30")
        self.a_health, _ = services.assign(self.cora, self.other_rec, self.health)
        self.a_foreign, _ = services.assign(self.boris, self.foreign_rec, self.other_justice)

    def tearDown(self) -> None:
        self.media_override.disable()
        shutil.rmtree(self.media, ignore_errors=True)
        super().tearDown()

    def page(self, rec) -> str:  # type: ignore[no-untyped-def]
        return f"/recommendations/{rec.code}/"

    def as_(self, user) -> None:  # type: ignore[no-untyped-def]
        self.client.logout()
        if user is not None:
            self.client.force_login(user)


class RecommendationPanelTests(PagesTestCase):
    def test_coordinator_sees_the_panel_with_assignments_and_forms(self) -> None:
        self.as_(self.cora)
        html = self.client.get(self.page(self.rec)).content.decode()
        self.assertIn('id="followup-panel"', html)
        self.assertIn("Ministry of Justice", html)
        self.assertIn("30 Jun 2027", html)
        self.assertIn('id="assign-form"', html)
        self.assertIn("assigned it to Ministry of Justice as lead", html)
        self.assertIn("cora (National Mechanism)", html)

    def test_focal_point_sees_own_follow_up_not_another_institutions(self) -> None:
        self.as_(self.bob)
        own = self.client.get(self.page(self.rec)).content.decode()
        self.assertIn('id="update-form"', own)
        self.assertNotIn('id="assign-form"', own)
        other = self.client.get(self.page(self.other_rec)).content.decode()
        # The recommendation is public text; its follow-up (Health's) is not shown to Justice.
        self.assertEqual(self.client.get(self.page(self.other_rec)).status_code, 200)
        self.assertNotIn("Ministry of Health", other)
        self.assertIn("You do not follow this recommendation", other)

    def test_other_state_and_anonymous_see_no_follow_up(self) -> None:
        for user in (self.boris, self.bea, self.dan, None):
            self.as_(user)
            html = self.client.get(self.page(self.rec)).content.decode()
            self.assertNotIn("Ministry of Justice", html, user)
            self.assertNotIn("assigned it to", html, user)

    def test_assessment_is_shown_beside_the_state_status_and_never_changes_it(self) -> None:
        services.submit_update(
            self.bob, self.rec, status="in_progress", date="2026-01-10", note="Draft law."
        )
        update = StatusUpdate.objects.get()
        services.decide(self.vera, update, decision="approve")
        services.assess(self.nina, self.rec, status="not_started", date="2026-02-01", note="No.")
        self.as_(self.nina)
        html = self.client.get(self.page(self.rec)).content.decode()
        self.assertIn("In progress", html)
        self.assertIn("Independent assessments", html)
        self.assertIn("Human Rights Commission", html)
        self.assertEqual(FollowUp.objects.get(recommendation=self.rec).status, "in_progress")
        # Nina sees the State's status, not the ministries' pending work or assignments' notes.
        self.assertIn('id="assess-form"', html)
        self.assertNotIn('id="update-form"', html)

    def test_sub_items_show_their_own_assignment_and_status(self) -> None:
        item = SubItem.objects.create(recommendation=self.rec, label="b", text="Train judges.")
        services.assign(self.cora, self.rec, self.health, sub_item=item, role="supporting")
        self.as_(self.cora)
        html = self.client.get(self.page(self.rec)).content.decode()
        self.assertIn("Its parts, followed up separately", html)
        self.assertIn("Train judges.", html)
        self.assertIn("Ministry of Health (Supporting", html)

    def test_indicator_chart_and_table(self) -> None:
        indicator = services.create_indicator(
            self.bob,
            institution=self.justice,
            recommendations=[self.rec],
            name="Judges trained",
            unit="persons",
            baseline="0",
            target="100",
        )
        services.add_measurement(self.bob, indicator, date="2025-06-01", value="20")
        services.add_measurement(self.bob, indicator, date="2026-06-01", value="45")
        services.add_measurement(self.bob, indicator, date="2026-06-01", value="30", sex="female")
        self.as_(self.vera)
        html = self.client.get(self.page(self.rec)).content.decode()
        self.assertIn("<svg", html)
        self.assertIn("<polyline", html)
        self.assertEqual(html.count("<polyline"), 2)  # everyone, and women
        self.assertIn("Values of “Judges trained”", html)
        self.assertIn("45 persons", html)
        self.assertIn("female", html)

    def test_query_count_does_not_grow_with_follow_up_rows(self) -> None:
        self.as_(self.cora)

        def grow(n: int) -> None:
            for i in range(n):
                inst = Institution.objects.create(
                    name=f"Agency {Institution.objects.count()}",
                    kind="ministry",
                    country=self.country,
                )
                services.assign(self.cora, self.rec, inst)
                services.submit_update(
                    self.cora, self.rec, status="in_progress", date="2026-01-01", note=f"n{i}"
                )
                services.create_action(
                    self.cora, institution=inst, recommendations=[self.rec], title=f"A{i}"
                )
                ind = services.create_indicator(
                    self.cora, institution=inst, recommendations=[self.rec], name=f"I{i}"
                )
                services.add_measurement(self.cora, ind, date="2026-01-01", value=i)

        grow(1)
        self.client.get(self.page(self.rec))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as small:
            self.assertEqual(self.client.get(self.page(self.rec)).status_code, 200)
        grow(6)
        with CaptureQueriesContext(connection) as large:
            self.assertEqual(self.client.get(self.page(self.rec)).status_code, 200)
        self.assertEqual(len(small), len(large), [q["sql"][:120] for q in large])


class AssignFormTests(PagesTestCase):
    def test_coordinator_assigns_without_javascript(self) -> None:
        self.as_(self.cora)
        url = f"/recommendations/{self.other_rec.code}/assign/"
        response = self.client.post(
            url,
            {
                "assign-institution": str(self.justice.code),
                "assign-role": "supporting",
                "assign-due": "2027-01-31",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].endswith("#followup"))
        a = Assignment.objects.get(recommendation=self.other_rec, institution=self.justice)
        self.assertEqual((a.role, a.due), ("supporting", dt.date(2027, 1, 31)))
        self.assertTrue(Event.objects.filter(kind="assignment.created", object_code=a.code))

    def test_htmx_gets_the_panel_back(self) -> None:
        self.as_(self.cora)
        response = self.client.post(
            f"/recommendations/{self.other_rec.code}/assign/",
            {"assign-institution": str(self.justice.code), "assign-role": "lead"},
            **HX,
        )
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertTrue(html.lstrip().startswith('<section id="followup-panel"'))
        self.assertIn("Assigned.", html)
        self.assertIn("assigned it to Ministry of Justice as lead", html)

    def test_error_is_shown_next_to_the_field_and_input_kept(self) -> None:
        self.as_(self.cora)
        response = self.client.post(
            f"/recommendations/{self.other_rec.code}/assign/",
            {
                "assign-institution": str(self.justice.code),
                "assign-role": "lead",
                "assign-due": "not a date",
                "assign-note": "Please draft the bill",
            },
        )
        self.assertEqual(response.status_code, 400)
        html = response.content.decode()
        self.assertIn('id="id_assign-due-error"', html)
        self.assertIn("Please draft the bill", html)
        self.assertIn('<details class="panel-form" open>', html)
        self.assertFalse(
            Assignment.objects.filter(recommendation=self.other_rec, institution=self.justice)
        )

    def test_another_states_institution_is_refused_next_to_the_field(self) -> None:
        self.as_(self.alice)
        response = self.client.post(
            f"/recommendations/{self.rec.code}/assign/",
            {"assign-institution": str(self.other_justice.code), "assign-role": "lead"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn('id="id_assign-institution-error"', response.content.decode())

    def test_answers_per_persona(self) -> None:
        url = f"/recommendations/{self.rec.code}/assign/"
        data = {"assign-institution": str(self.health.code), "assign-role": "lead"}
        expected = {
            "bob": 403,  # sees it (his institution's), may not assign
            "vera": 403,
            "carol": 404,  # Health's viewer; paragraph 12 is Justice's
            "hugo": 404,
            "boris": 404,  # another State
            "bea": 404,
            "dan": 404,
            "nina": 403,  # contributor of the State: sees the status, may not assign
        }
        for name, status in expected.items():
            self.as_(getattr(self, name))
            self.assertEqual(self.client.post(url, data).status_code, status, name)
        self.as_(None)
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])
        self.assertFalse(
            Assignment.objects.filter(recommendation=self.rec, institution=self.health)
        )

    def test_cluster_coordinator_assigns_only_cluster_partners(self) -> None:
        self.as_(self.cleo)
        url = f"/recommendations/{self.rec.code}/assign/"
        ok = self.client.post(
            url, {"assign-institution": str(self.partner.code), "assign-role": "lead"}
        )
        self.assertEqual(ok.status_code, 302)
        refused = self.client.post(
            url, {"assign-institution": str(self.health.code), "assign-role": "lead"}
        )
        self.assertEqual(refused.status_code, 400)  # Health is not among her choices
        self.assertFalse(
            Assignment.objects.filter(recommendation=self.rec, institution=self.health)
        )

    def test_assign_a_sub_item(self) -> None:
        item = SubItem.objects.create(recommendation=self.rec, label="c", text="Collect data.")
        self.as_(self.cora)
        self.client.post(
            f"/recommendations/{self.rec.code}/assign/",
            {
                "assign-institution": str(self.health.code),
                "assign-role": "lead",
                "assign-sub_item": str(item.code),
            },
        )
        self.assertTrue(Assignment.objects.filter(sub_item=item, institution=self.health))


class ChangeAssignmentTests(PagesTestCase):
    def url(self) -> str:
        return f"/assignments/{self.a_justice.code}/"

    def test_change_and_end(self) -> None:
        self.as_(self.cora)
        self.assertEqual(self.client.get(self.url()).status_code, 200)
        response = self.client.post(
            self.url(), {"version": 1, "role": "supporting", "due": "2027-09-30", "note": ""}
        )
        self.assertEqual(response.status_code, 302)
        self.a_justice.refresh_from_db()
        self.assertEqual((self.a_justice.role, self.a_justice.version), ("supporting", 2))
        response = self.client.post(f"{self.url()}end/", {"version": 2, "note": "Reorganised"})
        self.assertEqual(response.status_code, 302)
        self.a_justice.refresh_from_db()
        self.assertFalse(self.a_justice.active)
        self.assertTrue(Event.objects.filter(kind="assignment.ended", note="Reorganised"))

    def test_conflict_shows_the_other_change_and_keeps_the_input(self) -> None:
        services.change_assignment(self.alice, self.a_justice, version=1, due="2027-03-31")
        self.as_(self.cora)
        response = self.client.post(
            self.url(), {"version": 1, "role": "lead", "due": "2027-12-31", "note": "Mine"}
        )
        self.assertEqual(response.status_code, 409)
        html = response.content.decode()
        self.assertIn("What it is now", html)
        self.assertIn("March 31, 2027", html)  # the other person's due date
        self.assertIn('value="2027-12-31"', html)  # the person's input, kept
        self.assertIn('name="version" value="2"', html)  # resubmitting saves deliberately
        self.a_justice.refresh_from_db()
        self.assertEqual(self.a_justice.due, dt.date(2027, 3, 31))

    def test_answers_per_persona(self) -> None:
        for name, status in {
            "bob": 403,
            "vera": 403,
            "hugo": 404,
            "boris": 404,
            "dan": 404,
            "nina": 404,
        }.items():
            self.as_(getattr(self, name))
            self.assertEqual(self.client.get(self.url()).status_code, status, name)
            self.assertEqual(
                self.client.post(f"{self.url()}end/", {"version": 1}).status_code, status, name
            )
        self.as_(None)
        self.assertEqual(self.client.get(self.url()).status_code, 302)
        self.a_justice.refresh_from_db()
        self.assertTrue(self.a_justice.active)


class UpdateAndValidationTests(PagesTestCase):
    def post_update(self, **extra):  # type: ignore[no-untyped-def]
        data = {
            "update-institution": str(self.justice.code),
            "update-status": "in_progress",
            "update-date": "2026-03-01",
            "update-note": "The bill is before parliament.",
            "update-evidence_links": "https://example.org/bill\n",
            "update-evidence_files": [pdf()],
            **extra,
        }
        return self.client.post(f"/recommendations/{self.rec.code}/update/", data)

    def test_focal_point_reports_and_validator_approves(self) -> None:
        self.as_(self.bob)
        self.assertEqual(self.post_update().status_code, 302)
        update = StatusUpdate.objects.get()
        self.assertEqual(update.state, "pending")
        self.assertEqual(update.evidence.count(), 2)
        self.assertEqual(FollowUp.objects.get(recommendation=self.rec).status, "not_started")
        # Bob cannot approve his own; Vera sees it in her queue.
        self.assertEqual(self.client.get("/validation/").status_code, 403)
        self.as_(self.vera)
        queue = self.client.get("/validation/").content.decode()
        self.assertIn("The bill is before parliament.", queue)
        response = self.client.post(
            f"/updates/{update.code}/decide/",
            {"d-decision": "approve", "next": "/validation/"},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], "/validation/")
        self.assertEqual(FollowUp.objects.get(recommendation=self.rec).status, "in_progress")
        html = self.client.get(self.page(self.rec)).content.decode()
        self.assertIn("reported the status “In progress”", html)
        self.assertIn("approved the update", html)
        self.assertIn("vera (Ministry of Justice)", html)

    def test_send_back_needs_a_reason(self) -> None:
        self.as_(self.bob)
        self.post_update()
        update = StatusUpdate.objects.get()
        self.as_(self.vera)
        self.client.post(f"/updates/{update.code}/decide/", {"d-decision": "reject"})
        update.refresh_from_db()
        self.assertEqual(update.state, "pending")
        self.client.post(
            f"/updates/{update.code}/decide/", {"d-decision": "reject", "d-note": "No evidence"}
        )
        update.refresh_from_db()
        self.assertEqual((update.state, update.decision_note), ("rejected", "No evidence"))

    def test_second_decision_shows_the_first(self) -> None:
        self.as_(self.bob)
        self.post_update()
        update = StatusUpdate.objects.get()
        services.decide(self.cora, update, decision="approve")
        self.as_(self.vera)
        response = self.client.post(
            f"/updates/{update.code}/decide/", {"d-decision": "reject", "d-note": "x"}, **HX
        )
        self.assertIn("cora already decided: Validated.", response.content.decode())
        update.refresh_from_db()
        self.assertEqual(update.state, "validated")

    def test_bad_file_is_refused_next_to_the_field_and_nothing_stored(self) -> None:
        self.as_(self.bob)
        fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
        response = self.post_update(**{"update-evidence_files": [fake]})
        self.assertEqual(response.status_code, 400)
        html = response.content.decode()
        self.assertIn('id="id_update-evidence_files-error"', html)
        self.assertIn("The bill is before parliament.", html)  # the note is kept
        self.assertFalse(StatusUpdate.objects.exists())

    def test_future_date_is_refused(self) -> None:
        self.as_(self.bob)
        response = self.post_update(**{"update-date": "2199-01-01"})
        self.assertEqual(response.status_code, 400)
        self.assertIn('id="id_update-date-error"', response.content.decode())

    def test_answers_per_persona(self) -> None:
        expected = {"carol": 404, "hugo": 404, "vera": 403, "boris": 404, "dan": 404, "nina": 403}
        for name, status in expected.items():
            self.as_(getattr(self, name))
            self.assertEqual(self.post_update().status_code, status, name)
        self.as_(None)
        self.assertEqual(self.post_update().status_code, 302)
        self.assertFalse(StatusUpdate.objects.exists())

    def test_decide_answers_per_persona(self) -> None:
        self.as_(self.bob)
        self.post_update()
        update = StatusUpdate.objects.get()
        url = f"/updates/{update.code}/decide/"
        for name, status in {"bob": 403, "hugo": 404, "boris": 404, "dan": 404}.items():
            self.as_(getattr(self, name))
            self.assertEqual(self.client.post(url, {"d-decision": "approve"}).status_code, status)
        update.refresh_from_db()
        self.assertEqual(update.state, "pending")

    def test_evidence_download_is_an_attachment_checked_per_person(self) -> None:
        self.as_(self.bob)
        self.post_update()
        evidence = StatusUpdate.objects.get().evidence.get(kind="file")
        url = f"/evidence/{evidence.code}/"
        for user in (self.bob, self.vera, self.cora, self.alice):
            self.as_(user)
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, user)
            self.assertTrue(response["Content-Disposition"].startswith("attachment"))
            self.assertIn('filename="decree.pdf"', response["Content-Disposition"])
            self.assertEqual(response["X-Content-Type-Options"], "nosniff")
            self.assertEqual(response["Content-Type"], "application/octet-stream")
            self.assertIn("sandbox", response["Content-Security-Policy"])
            self.assertEqual(b"".join(response.streaming_content), PDF)
        for user in (self.hugo, self.carol, self.boris, self.dan, self.nina):
            self.as_(user)
            self.assertEqual(self.client.get(url).status_code, 404, user)
        self.as_(None)
        self.assertEqual(self.client.get(url).status_code, 302)

    def test_htmx_update_returns_the_panel(self) -> None:
        self.as_(self.bob)
        data = {
            "update-institution": str(self.justice.code),
            "update-status": "implemented",
            "update-date": "2026-03-01",
            "update-note": "Adopted.",
        }
        response = self.client.post(f"/recommendations/{self.rec.code}/update/", data, **HX)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Waiting for validation", response.content.decode())


class AssessActionIndicatorTests(PagesTestCase):
    def test_contributor_records_an_assessment(self) -> None:
        self.as_(self.nina)
        response = self.client.post(
            f"/recommendations/{self.rec.code}/assess/",
            {
                "assess-institution": str(self.nhri.code),
                "assess-status": "not_started",
                "assess-date": "2026-02-01",
                "assess-note": "Nothing has changed for persons with disabilities.",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Assessment.objects.get().institution, self.nhri)
        self.assertEqual(FollowUp.objects.get(recommendation=self.rec).status, "not_started")
        for name, status in {"bob": 403, "cora": 403, "boris": 404, "dan": 404}.items():
            self.as_(getattr(self, name))
            r = self.client.post(f"/recommendations/{self.rec.code}/assess/", {})
            self.assertEqual(r.status_code, status, name)

    def test_focal_point_plans_and_changes_an_action(self) -> None:
        self.as_(self.bob)
        response = self.client.post(
            f"/recommendations/{self.rec.code}/actions/",
            {
                "action-institution": str(self.justice.code),
                "action-title": "Draft the accessibility bill",
                "action-start": "2026-01-01",
                "action-end": "2026-12-31",
                "action-budget_amount": "25000",
                "action-budget_currency": "eur",
                "action-funding_source": "State budget",
                "action-progress": "planned",
            },
        )
        self.assertEqual(response.status_code, 302)
        action = Action.objects.get()
        self.assertEqual((action.budget_currency, str(action.budget_amount)), ("EUR", "25000.00"))
        page = self.client.get(f"/actions/{action.code}/")
        self.assertEqual(page.status_code, 200)
        data = {
            "version": 1,
            "title": "Draft and table the bill",
            "start": "2026-01-01",
            "end": "2026-12-31",
            "budget_amount": "30000",
            "budget_currency": "EUR",
            "funding_source": "State budget",
            "progress": "ongoing",
        }
        self.assertEqual(self.client.post(f"/actions/{action.code}/", data).status_code, 302)
        action.refresh_from_db()
        self.assertEqual((action.progress, action.version), ("ongoing", 2))
        # A stale form conflicts and keeps the input.
        stale = self.client.post(f"/actions/{action.code}/", {**data, "title": "Mine"})
        self.assertEqual(stale.status_code, 409)
        self.assertIn('value="Mine"', stale.content.decode())
        for name, status in {"hugo": 404, "boris": 404, "vera": 403, "dan": 404}.items():
            self.as_(getattr(self, name))
            self.assertEqual(self.client.get(f"/actions/{action.code}/").status_code, status)

    def test_end_before_start_is_shown_next_to_the_field(self) -> None:
        self.as_(self.bob)
        response = self.client.post(
            f"/recommendations/{self.rec.code}/actions/",
            {
                "action-institution": str(self.justice.code),
                "action-title": "Backwards",
                "action-start": "2026-12-01",
                "action-end": "2026-01-01",
                "action-progress": "planned",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn('id="id_action-end-error"', response.content.decode())
        self.assertFalse(Action.objects.exists())

    def test_indicator_and_measurement(self) -> None:
        self.as_(self.bob)
        response = self.client.post(
            f"/recommendations/{self.rec.code}/indicators/",
            {
                "indicator-institution": str(self.justice.code),
                "indicator-name": "Accessible courts",
                "indicator-unit": "%",
                "indicator-baseline": "10",
                "indicator-target": "80",
                "indicator-frequency": "yearly",
            },
        )
        self.assertEqual(response.status_code, 302)
        indicator = Indicator.objects.get()
        response = self.client.post(
            f"/indicators/{indicator.code}/measurements/",
            {
                "m-date": "2026-06-30",
                "m-value": "35",
                "m-sex": "female",
                "m-age_group": "18-59",
                "m-displacement_status": "internally displaced",
                "m-disability": "with disability",
                "m-location": "North",
                "m-source": "Court survey",
            },
        )
        self.assertEqual(response.status_code, 302)
        m = Measurement.objects.get()
        self.assertEqual(
            m.disaggregation,
            {
                "sex": "female",
                "age_group": "18-59",
                "displacement_status": "internally displaced",
                "disability": "with disability",
                "location": "North",
            },
        )
        edit = self.client.post(
            f"/indicators/{indicator.code}/",
            {
                "version": 1,
                "name": "Accessible courts",
                "unit": "%",
                "baseline": "10",
                "target": "90",
                "frequency": "yearly",
            },
        )
        self.assertEqual(edit.status_code, 302)
        indicator.refresh_from_db()
        self.assertEqual(indicator.target, 90)
        for name, status in {"hugo": 404, "boris": 404, "vera": 403}.items():
            self.as_(getattr(self, name))
            r = self.client.post(
                f"/indicators/{indicator.code}/measurements/",
                {"m-date": "2026-01-01", "m-value": 1},
            )
            self.assertEqual(r.status_code, status, name)
        self.assertEqual(Measurement.objects.count(), 1)


class WorkListTests(PagesTestCase):
    def test_focal_point_sees_only_its_institutions_list(self) -> None:
        # Health supports Justice on paragraph 12: Bob sees that on the recommendation's page,
        # but his list is the Ministry of Justice's work only.
        services.assign(self.cora, self.rec, self.health, role="supporting")
        self.as_(self.bob)
        self.assertIn("Ministry of Health", self.client.get(self.page(self.rec)).content.decode())
        html = self.client.get("/work/").content.decode()
        self.assertIn("<h1>My institution's work</h1>", html)
        self.assertIn("¶ 12", html)
        self.assertNotIn("¶ 14", html)
        self.assertNotIn("ZZB", html)
        self.assertNotIn("Ministry of Health", html)
        self.assertIn("<caption>1 assignment</caption>", html)

    def test_coordinator_sees_the_state_and_filters(self) -> None:
        self.as_(self.cora)
        html = self.client.get("/work/").content.decode()
        self.assertIn("2 assignments", html)
        self.assertNotIn("CRPD/C/ZZB", html)
        html = self.client.get(f"/work/?institution={self.health.code}").content.decode()
        self.assertIn("1 assignment", html)
        self.assertIn("¶ 14", html)
        # Another State's institution in the filter is ignored, not shown.
        html = self.client.get(f"/work/?institution={self.other_justice.code}").content.decode()
        self.assertNotIn("CRPD/C/ZZB", html)

    def test_overdue_and_waiting_filters(self) -> None:
        services.change_assignment(self.cora, self.a_justice, version=1, due="2020-01-01")
        services.submit_update(
            self.hugo, self.other_rec, status="in_progress", date="2026-01-01", note="Started."
        )
        self.as_(self.cora)
        overdue = self.client.get("/work/?state=overdue").content.decode()
        self.assertIn("¶ 12", overdue)
        self.assertNotIn("¶ 14", overdue)
        self.assertIn("overdue", overdue)
        waiting = self.client.get("/work/?state=waiting").content.decode()
        self.assertIn("¶ 14", waiting)
        self.assertNotIn("¶ 12<", waiting)

    def test_anonymous_is_sent_to_log_in(self) -> None:
        self.as_(None)
        for url in ("/work/", "/validation/"):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302)
            self.assertIn("/accounts/login/", response["Location"])

    def test_validation_queue_answers(self) -> None:
        services.submit_update(
            self.bob, self.rec, status="in_progress", date="2026-01-01", note="Justice"
        )
        services.submit_update(
            self.hugo, self.other_rec, status="in_progress", date="2026-01-01", note="Health"
        )
        self.as_(self.vera)
        html = self.client.get("/validation/").content.decode()
        self.assertIn("Justice", html)
        self.assertNotIn("reported by hugo", html)
        self.as_(self.cora)
        html = self.client.get("/validation/").content.decode()
        self.assertIn("2 updates wait", html)
        self.as_(self.boris)
        self.assertIn("0 updates wait", self.client.get("/validation/").content.decode())
        for name in ("bob", "carol", "nina", "dan"):
            self.as_(getattr(self, name))
            self.assertEqual(self.client.get("/validation/").status_code, 403, name)

    def test_query_count_does_not_grow_with_rows(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def add(n: int) -> None:
            for _i in range(n):
                rec = make_recommendation(country=self.country, body=self.rec.body)
                services.assign(self.cora, rec, self.justice, due="2027-01-01")
                services.submit_update(
                    self.bob,
                    rec,
                    status="in_progress",
                    date="2026-01-01",
                    note="x",
                    files=[pdf()],
                )

        for user, url in ((self.bob, "/work/"), (self.vera, "/validation/"), (self.cora, "/work/")):
            self.as_(user)
            add(1)
            self.client.get(url)
            with CaptureQueriesContext(connection) as small:
                self.client.get(url)
            add(8)
            with CaptureQueriesContext(connection) as large:
                self.assertEqual(self.client.get(url).status_code, 200)
            self.assertEqual(len(small), len(large), url)


class AssignResultsTests(PagesTestCase):
    def test_coordinator_assigns_all_results_of_a_search(self) -> None:
        make_recommendation(country=self.country, body=self.rec.body, text="Accessible voting.")
        self.as_(self.cora)
        url = "/assign-results/?country=ZZA"
        page = self.client.get(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("3 recommendations you may assign", page.content.decode())
        response = self.client.post(
            url, {"institution": str(self.nmrf.code), "role": "lead", "due": "2027-12-31"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Assignment.objects.filter(institution=self.nmrf).count(), 3)
        again = self.client.post(url, {"institution": str(self.nmrf.code), "role": "lead"})
        self.assertIn("0 assigned; 3 were already assigned.", again.content.decode())
        # Borduria's recommendation is not among Cora's.
        self.assertFalse(
            Assignment.objects.filter(institution=self.nmrf, country=self.other_country)
        )

    def test_others_may_not(self) -> None:
        for name in ("bob", "vera", "carol", "nina", "dan"):
            self.as_(getattr(self, name))
            self.assertEqual(self.client.get("/assign-results/").status_code, 403, name)
        self.as_(None)
        self.assertEqual(self.client.get("/assign-results/").status_code, 302)


class ManagementTests(PagesTestCase):
    def test_coordinator_manages_institutions_of_its_state(self) -> None:
        self.as_(self.cora)
        html = self.client.get("/manage/institutions/").content.decode()
        self.assertIn("Ministry of Health", html)
        self.assertNotIn("Borduria", html)
        response = self.client.post(
            "/manage/institutions/",
            {
                "name": "Ministry of Education",
                "kind": "ministry",
                "country": "ZZA",
                "requires_validation": "on",
            },
        )
        self.assertEqual(response.status_code, 302)
        inst = Institution.objects.get(name="Ministry of Education")
        self.assertEqual(inst.country, self.country)
        dup = self.client.post(
            "/manage/institutions/",
            {"name": "Ministry of Education", "kind": "ministry", "country": "ZZA"},
        )
        self.assertEqual(dup.status_code, 400)
        # She may not create one in Borduria.
        other = self.client.post(
            "/manage/institutions/",
            {"name": "Ministry of Sport", "kind": "ministry", "country": "ZZB"},
        )
        self.assertEqual(other.status_code, 400)
        self.assertFalse(Institution.objects.filter(name="Ministry of Sport"))
        response = self.client.post(
            f"/manage/institutions/{self.health.code}/",
            {"name": "Ministry of Health", "kind": "ministry", "active": "on"},
        )
        self.assertEqual(response.status_code, 302)
        self.health.refresh_from_db()
        self.assertFalse(self.health.requires_validation)
        self.assertEqual(
            self.client.get(f"/manage/institutions/{self.other_justice.code}/").status_code, 404
        )

    def test_people_and_roles(self) -> None:
        self.as_(self.cora)
        html = self.client.get("/manage/people/").content.decode()
        self.assertIn("bob@example.org", html)
        self.assertNotIn("bea@example.org", html)
        response = self.client.post(
            "/manage/people/",
            {
                "email": "ivy@example.org",
                "first_name": "Ivy",
                "institution": str(self.health.code),
                "role": "focal_point",
            },
        )
        self.assertEqual(response.status_code, 302)
        m = Membership.objects.get(user__email="ivy@example.org")
        self.assertEqual((m.role, m.institution), ("focal_point", self.health))
        # A coordinator may not make administrators.
        refused = self.client.post(
            "/manage/people/",
            {"email": "eve@example.org", "institution": str(self.health.code), "role": "admin"},
        )
        self.assertEqual(refused.status_code, 400)
        url = f"/manage/people/{m.pk}/"
        self.client.post(url, {"do": "role", "role": "validator"})
        m.refresh_from_db()
        self.assertEqual(m.role, "validator")
        self.client.post(url, {"do": "deactivate"})
        m.user.refresh_from_db()
        self.assertFalse(m.user.is_active)
        self.client.post(url, {"do": "remove"})
        self.assertFalse(Membership.objects.filter(pk=m.pk))
        bea = Membership.objects.get(user=self.bea)
        self.assertEqual(self.client.get(f"/manage/people/{bea.pk}/").status_code, 404)
        alice = Membership.objects.get(user=self.alice)
        self.assertEqual(self.client.get(f"/manage/people/{alice.pk}/").status_code, 403)

    def test_answers_per_persona(self) -> None:
        bob = Membership.objects.get(user=self.bob)
        urls = (
            "/manage/institutions/",
            f"/manage/institutions/{self.health.code}/",
            "/manage/people/",
            f"/manage/people/{bob.pk}/",
        )
        for name in ("bob", "vera", "carol", "nina", "cleo", "pat", "dan"):
            self.as_(getattr(self, name))
            for url in urls:
                self.assertEqual(self.client.get(url).status_code, 403, (name, url))
        self.as_(self.boris)
        self.assertEqual(self.client.get(urls[1]).status_code, 404)
        self.assertEqual(self.client.get(urls[3]).status_code, 404)
        self.as_(None)
        for url in urls:
            self.assertEqual(self.client.get(url).status_code, 302)
        self.as_(self.alice)
        for url in urls:
            self.assertEqual(self.client.get(url).status_code, 200, url)


class NavigationTests(PagesTestCase):
    def test_links_per_role(self) -> None:
        cases = {
            "cora": {"/work/", "/validation/", "/manage/institutions/", "/manage/people/"},
            "vera": {"/work/", "/validation/"},
            "bob": {"/work/"},
            "dan": set(),
        }
        every = {"/work/", "/validation/", "/manage/institutions/", "/manage/people/"}
        for name, shown in cases.items():
            self.as_(getattr(self, name))
            html = self.client.get("/countries/").content.decode()
            for url in every:
                self.assertEqual(f'href="{url}"' in html, url in shown, (name, url))


PERSONAS = (
    "alice",
    "cora",
    "bob",
    "vera",
    "hugo",
    "carol",
    "nina",
    "cleo",
    "pat",
    "boris",
    "bea",
    "dan",
    None,
)


class AccessMatrixTests(PagesTestCase):
    """Every follow-up page, GET, as every persona (None: anonymous, sent to log in)."""

    def setUp(self) -> None:
        super().setUp()
        self.action = services.create_action(
            self.bob, institution=self.justice, recommendations=[self.rec], title="Draft"
        )
        self.indicator = services.create_indicator(
            self.bob, institution=self.justice, recommendations=[self.rec], name="Courts"
        )
        update = services.submit_update(
            self.bob, self.rec, status="in_progress", date="2026-01-01", note="n", files=[pdf()]
        )
        assessment = services.assess(
            self.nina,
            self.rec,
            status="not_started",
            date="2026-01-02",
            note="m",
            files=[pdf("view.pdf")],
        )
        self.update_file = update.evidence.get()
        self.assessment_file = assessment.evidence.get()

    def check(self, url: str, ok: set[str], forbidden: set[str] = frozenset()) -> None:
        for name in PERSONAS:
            self.as_(getattr(self, name) if name else None)
            response = self.client.get(url)
            if name is None:
                expected = 302
            elif name in ok:
                expected = 200
            elif name in forbidden:
                expected = 403
            else:
                expected = 404
            self.assertEqual(response.status_code, expected, (url, name))
            if name is None:
                self.assertIn("/accounts/login/", response["Location"])

    def test_recommendation_page_is_public_text(self) -> None:
        for name in PERSONAS:
            self.as_(getattr(self, name) if name else None)
            self.assertEqual(self.client.get(self.page(self.rec)).status_code, 200, name)

    def test_lists(self) -> None:
        everyone = {p for p in PERSONAS if p}
        self.check("/work/", everyone)
        deciders = {"alice", "cora", "vera", "boris"}
        self.check("/validation/", deciders, everyone - deciders)
        assigners = {"alice", "cora", "cleo", "boris"}
        self.check("/assign-results/", assigners, everyone - assigners)

    def test_objects(self) -> None:
        self.check(f"/assignments/{self.a_justice.code}/", {"alice", "cora"}, {"bob", "vera"})
        self.check(f"/actions/{self.action.code}/", {"alice", "cora", "bob"}, {"vera"})
        self.check(f"/indicators/{self.indicator.code}/", {"alice", "cora", "bob"}, {"vera"})

    def test_assessment_page_and_its_conflict(self) -> None:
        assessment = Assessment.objects.get()
        url = f"/assessments/{assessment.code}/"
        self.check(url, {"nina"}, {"alice", "cora"})
        self.as_(self.nina)
        data = {"version": 1, "status": "in_progress", "date": "2026-01-05", "note": "Better."}
        self.assertEqual(self.client.post(url, data).status_code, 302)
        stale = self.client.post(url, {**data, "note": "Mine"})
        self.assertEqual(stale.status_code, 409)
        self.assertIn("Mine", stale.content.decode())
        assessment.refresh_from_db()
        self.assertEqual((assessment.status, assessment.note), ("in_progress", "Better."))
        self.assertEqual(FollowUp.objects.get(recommendation=self.rec).status, "not_started")

    def test_evidence(self) -> None:
        self.check(f"/evidence/{self.update_file.code}/", {"alice", "cora", "bob", "vera"})
        self.check(f"/evidence/{self.assessment_file.code}/", {"alice", "cora", "nina"})

    def test_viewer_reads_its_institutions_follow_up_and_every_form_is_403(self) -> None:
        self.as_(self.carol)
        html = self.client.get(self.page(self.other_rec)).content.decode()
        self.assertIn("Ministry of Health", html)
        self.assertNotIn('<form method="post" action="/recommendations/', html)
        base = f"/recommendations/{self.other_rec.code}/"
        for path in ("assign/", "update/", "assess/", "actions/", "indicators/"):
            self.assertEqual(self.client.post(base + path, {}).status_code, 403, path)
        self.assertFalse(StatusUpdate.objects.filter(recommendation=self.other_rec))

    def test_sub_item_update_sets_the_parts_status(self) -> None:
        item = SubItem.objects.create(recommendation=self.rec, label="a", text="Amend the law.")
        services.assign(self.cora, self.rec, self.justice, sub_item=item)
        self.as_(self.cora)
        response = self.client.post(
            f"/recommendations/{self.rec.code}/update/",
            {
                "update-institution": str(self.nmrf.code),
                "update-sub_item": str(item.code),
                "update-status": "implemented",
                "update-date": "2026-05-01",
                "update-note": "Amended.",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(FollowUp.objects.get(sub_item=item).status, "implemented")
        self.assertEqual(
            FollowUp.objects.get(recommendation=self.rec, sub_item=None).status, "not_started"
        )
        html = self.client.get(self.page(self.rec)).content.decode()
        self.assertIn("(sub-item a)", html)

    def test_search_offers_assign_all_to_coordinators_only(self) -> None:
        self.as_(self.cora)
        self.assertIn("/assign-results/?", self.client.get("/?country=ZZA").content.decode())
        self.as_(self.bob)
        self.assertNotIn("/assign-results/", self.client.get("/?country=ZZA").content.decode())

    def test_management_lists_query_count_is_constant(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def add(n: int) -> None:
            for _i in range(n):
                inst = Institution.objects.create(
                    name=f"Office {Institution.objects.count()}",
                    kind="ministry",
                    country=self.country,
                )
                person = User.objects.create_user(f"u{inst.pk}", f"u{inst.pk}@example.org")
                Membership.objects.create(user=person, institution=inst, role="focal_point")

        self.as_(self.cora)
        for url in ("/manage/institutions/", "/manage/people/"):
            add(1)
            self.client.get(url)
            with CaptureQueriesContext(connection) as small:
                self.client.get(url)
            add(8)
            with CaptureQueriesContext(connection) as large:
                self.assertEqual(self.client.get(url).status_code, 200)
            self.assertEqual(len(small), len(large), url)
