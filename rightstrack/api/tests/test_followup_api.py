"""The follow-up API walks the contract (../shared/docs/api-contract.md) end to end."""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client, override_settings
from django.utils import timezone

from rightstrack.accounts.models import ApiToken, Institution
from rightstrack.recommendations.models import GroupMembership, RecommendationGroup
from rightstrack.test import FollowUpTestCase
from rightstrack.tracking import services
from rightstrack.tracking.models import Assignment, Event, FollowUp, StatusUpdate

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=tempfile.mkdtemp())
class FollowUpApiTestCase(FollowUpTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.tokens: dict[str, str] = {}

    def token(self, user: Any, **kwargs: Any) -> str:
        key = (user.pk, tuple(sorted(kwargs.items())))
        if key not in self.tokens:
            self.tokens[key] = ApiToken.issue(user, **kwargs)[1]
        return self.tokens[key]

    def call(self, method: str, url: str, user: Any = None, data: Any = None, **kw: Any):  # type: ignore[no-untyped-def]
        headers = {"Authorization": f"Bearer {self.token(user)}"} if user is not None else {}
        send = getattr(self.client, method)
        if method == "get":
            return send(f"/api/v1{url}", data or {}, headers=headers)
        if kw.get("multipart"):
            return send(f"/api/v1{url}", data, headers=headers)
        return send(f"/api/v1{url}", data or {}, content_type="application/json", headers=headers)

    def assign(self, rec: Any = None, inst: Any = None, **kw: Any) -> Assignment:
        return services.assign(self.cora, rec or self.rec, inst or self.justice, **kw)[0]

    # --- who am I, tokens -----------------------------------------------------------------

    def test_me_names_the_person_their_roles_and_calendar(self) -> None:
        response = self.call("get", "/me", self.vera)
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["email"], "vera@example.org")
        self.assertEqual(
            body["memberships"],
            [
                {
                    "institution": {
                        "code": str(self.justice.code),
                        "name": "Ministry of Justice",
                        "kind": "ministry",
                    },
                    "role": "validator",
                    "country": "ZZA",
                }
            ],
        )
        self.assertRegex(body["calendar_url"], r"^http://testserver/api/v1/calendar/[\w-]+\.ics$")
        self.assertEqual(body["token_scope"], "write")

    def test_no_token_is_401_and_a_bad_or_expired_token_too(self) -> None:
        self.assertEqual(self.call("get", "/me").status_code, 401)
        bad = self.client.get("/api/v1/me", headers={"Authorization": "Bearer rt_nope"})
        self.assertEqual(bad.status_code, 401)
        self.assertIn("token", bad.json()["detail"])
        _t, plain = ApiToken.issue(self.bob, expires=timezone.now() - dt.timedelta(seconds=1))
        late = self.client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"})
        self.assertEqual(late.status_code, 401)

    def test_a_read_only_token_reads_but_never_writes(self) -> None:
        _t, plain = ApiToken.issue(self.cora, scope=ApiToken.Scope.READ)
        headers = {"Authorization": f"Bearer {plain}"}
        self.assertEqual(self.client.get("/api/v1/assignments", headers=headers).status_code, 200)
        response = self.client.post(
            "/api/v1/assignments",
            {"recommendation": str(self.rec.code), "institution": str(self.justice.code)},
            content_type="application/json",
            headers=headers,
        )
        self.assertEqual(response.status_code, 403)
        self.assertIn("read-only", response.json()["detail"])
        self.assertFalse(Assignment.objects.exists())

    def test_a_logged_in_session_may_use_the_api(self) -> None:
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get("/api/v1/me").json()["username"], "bob")

    def test_a_session_writes_only_with_its_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.cora)
        data = {"recommendation": str(self.rec.code), "institution": str(self.justice.code)}
        refused = client.post("/api/v1/assignments", data, content_type="application/json")
        self.assertEqual(refused.status_code, 403)
        self.assertIn("CSRF", refused.json()["detail"])
        self.assertFalse(Assignment.objects.exists())
        # The page's csrftoken cookie, sent back in the X-CSRFToken header as HTMX does.
        secret = _get_new_csrf_string()
        client.cookies["csrftoken"] = secret
        accepted = client.post(
            "/api/v1/assignments",
            data,
            content_type="application/json",
            headers={"X-CSRFToken": secret},
        )
        self.assertEqual(accepted.status_code, 201, accepted.content)

    # --- institutions ---------------------------------------------------------------------

    def test_institutions_are_listed_and_filtered_by_state_code_or_name(self) -> None:
        by_code = self.call("get", "/institutions", self.bob, {"country": "ZZB"}).json()
        by_name = self.call("get", "/institutions", self.bob, {"country": "Borduria"}).json()
        self.assertEqual(by_code, by_name)
        self.assertEqual(by_code["count"], 2)
        self.assertEqual(
            {r["name"] for r in by_code["results"]}, {"National Mechanism", "Ministry of Justice"}
        )
        self.assertEqual(set(by_code), {"count", "page", "page_size", "pages", "results"})
        unknown = self.call("get", "/institutions", self.bob, {"country": "Atlantis"})
        self.assertEqual(unknown.status_code, 400)
        self.assertTrue(unknown.json()["detail"].startswith("country:"))

    def test_a_coordinator_adds_institutions_of_their_state_only(self) -> None:
        data = {"name": "Ministry of Labour", "kind": "ministry", "country": "ZZA"}
        created = self.call("post", "/institutions", self.cora, data)
        self.assertEqual(created.status_code, 201)
        self.assertEqual(created.json()["country"], "ZZA")
        self.assertTrue(Institution.objects.filter(name="Ministry of Labour").exists())
        again = self.call("post", "/institutions", self.cora, data)
        self.assertEqual(again.status_code, 400)
        self.assertTrue(again.json()["detail"].startswith("name:"))
        foreign = self.call("post", "/institutions", self.cora, {**data, "country": "ZZB"})
        self.assertEqual(foreign.status_code, 403)
        self.assertEqual(self.call("post", "/institutions", self.bob, data).status_code, 403)
        bad_kind = self.call("post", "/institutions", self.alice, {**data, "kind": "church"})
        self.assertEqual(bad_kind.status_code, 400)
        self.assertTrue(bad_kind.json()["detail"].startswith("kind:"))

    # --- assignments ----------------------------------------------------------------------

    def test_a_coordinator_assigns_and_everyone_sees_their_own(self) -> None:
        due = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
        data = {
            "recommendation": str(self.rec.code),
            "institution": str(self.justice.code),
            "role": "lead",
            "due": due,
        }
        response = self.call("post", "/assignments", self.cora, data)
        self.assertEqual(response.status_code, 201)
        body = response.json()
        self.assertEqual((body["created"], body["already_assigned"]), (1, 0))
        assignment = body["assignments"][0]
        self.assertEqual(assignment["institution"]["name"], "Ministry of Justice")
        self.assertEqual(assignment["recommendation"]["code"], str(self.rec.code))
        self.assertEqual((assignment["due"], assignment["status"]), (due, "not_started"))
        # Again: nothing new, 200.
        again = self.call("post", "/assignments", self.cora, data)
        self.assertEqual((again.status_code, again.json()["created"]), (200, 0))
        self.assign(self.other_rec, self.health, role="supporting")

        def codes(user: Any, **params: Any) -> set[str]:
            response = self.call("get", "/assignments", user, params)
            self.assertEqual(response.status_code, 200, response.content)
            return {r["recommendation"]["paragraph"] for r in response.json()["results"]}

        self.assertEqual(codes(self.cora), {"12", "14"})
        self.assertEqual(codes(self.bob), {"12"})
        self.assertEqual(codes(self.carol), {"14"})
        self.assertEqual(codes(self.boris), set())
        self.assertEqual(codes(self.dan), set())
        self.assertEqual(codes(self.cora, role="supporting"), {"14"})
        self.assertEqual(codes(self.cora, institution=str(self.health.code)), {"14"})
        self.assertEqual(codes(self.cora, country="Arcadia"), {"12", "14"})
        self.assertEqual(codes(self.cora, country="ZZB"), set())
        self.assertEqual(codes(self.cora, overdue="true"), set())
        self.assertEqual(codes(self.cora, overdue="false"), {"12", "14"})
        self.assertEqual(codes(self.cora, due_before=due), set())
        later = (timezone.localdate() + dt.timedelta(days=91)).isoformat()
        self.assertEqual(codes(self.cora, due_before=later), {"12"})
        self.assertEqual(codes(self.cora, status="not_started"), {"12", "14"})
        self.assertEqual(codes(self.cora, status="implemented"), set())
        bad = self.call("get", "/assignments", self.cora, {"status": "done"})
        self.assertEqual(bad.status_code, 400)
        self.assertTrue(bad.json()["detail"].startswith("status:"))
        bad_date = self.call("get", "/assignments", self.cora, {"due_before": "soon"})
        self.assertEqual(bad_date.status_code, 400)
        self.assertIn("due_before", bad_date.json()["detail"])

    def test_the_status_filter_follows_the_validated_status(self) -> None:
        self.assign()
        self.assign(self.other_rec)
        services.submit_update(
            self.cora, self.rec, status="implemented", date="2025-01-01", note="Law adopted."
        )
        response = self.call("get", "/assignments", self.bob, {"status": "implemented"})
        self.assertEqual(
            [r["recommendation"]["paragraph"] for r in response.json()["results"]], ["12"]
        )
        self.assertEqual(response.json()["results"][0]["status"], "implemented")

    def test_an_overdue_assignment_is_found_by_the_overdue_filter(self) -> None:
        self.assign(due=timezone.localdate() - dt.timedelta(days=1))
        rows = self.call("get", "/assignments", self.bob, {"overdue": "true"}).json()["results"]
        self.assertEqual(len(rows), 1)
        self.assertTrue(rows[0]["overdue"])

    def test_assigning_is_refused_as_the_roles_say(self) -> None:
        data = {"recommendation": str(self.rec.code), "institution": str(self.justice.code)}
        self.assertEqual(self.call("post", "/assignments", self.bob, data).status_code, 403)
        self.assertEqual(self.call("post", "/assignments", self.boris, data).status_code, 403)
        foreign = {**data, "institution": str(self.other_justice.code)}
        response = self.call("post", "/assignments", self.cora, foreign)
        self.assertEqual(response.status_code, 400)
        self.assertTrue(response.json()["detail"].startswith("institution:"))
        nothing = self.call(
            "post", "/assignments", self.cora, {"institution": str(self.justice.code)}
        )
        self.assertEqual(nothing.status_code, 400)
        self.assertTrue(nothing.json()["detail"].startswith("recommendation:"))
        bad_role = self.call("post", "/assignments", self.cora, {**data, "role": "boss"})
        self.assertEqual(bad_role.status_code, 400)
        self.assertTrue(bad_role.json()["detail"].startswith("role:"))
        missing = self.call(
            "post", "/assignments", self.cora, {**data, "recommendation": "not-a-code"}
        )
        self.assertEqual(missing.status_code, 400)
        self.assertIn("recommendation", missing.json()["detail"])
        self.assertFalse(Assignment.objects.exists())

    def test_a_confirmed_group_is_assigned_whole(self) -> None:
        group = RecommendationGroup.objects.create(title="Disability law", status="confirmed")
        for rec in (self.rec, self.other_rec):
            GroupMembership.objects.create(group=group, recommendation=rec)
        data = {
            "group": str(group.code),
            "institution": str(self.health.code),
            "role": "supporting",
        }
        response = self.call("post", "/assignments", self.cora, data)
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["created"], 2)
        self.assertEqual(
            {a["recommendation"]["paragraph"] for a in response.json()["assignments"]}, {"12", "14"}
        )

    def test_a_stale_change_answers_409_with_the_current_assignment(self) -> None:
        assignment = self.assign()
        url = f"/assignments/{assignment.code}"
        first = self.call("patch", url, self.cora, {"version": 1, "due": "2027-06-30"})
        self.assertEqual(first.status_code, 200)
        self.assertEqual((first.json()["due"], first.json()["version"]), ("2027-06-30", 2))
        second = self.call("patch", url, self.alice, {"version": 1, "role": "supporting"})
        self.assertEqual(second.status_code, 409)
        self.assertEqual(second.json()["current"]["due"], "2027-06-30")
        self.assertEqual(second.json()["current"]["version"], 2)
        self.assertEqual(Assignment.objects.get().role, "lead")
        # Clearing the due date is a change too (null, not absent).
        cleared = self.call("patch", url, self.cora, {"version": 2, "due": None})
        self.assertIsNone(cleared.json()["due"])
        self.assertEqual(
            self.call("patch", url, self.bob, {"version": 3, "note": "x"}).status_code, 403
        )
        self.assertEqual(
            self.call("patch", url, self.boris, {"version": 3, "note": "x"}).status_code, 404
        )
        missing = self.call("patch", url, self.cora, {"due": None})
        self.assertEqual(missing.status_code, 400)
        self.assertIn("version", missing.json()["detail"])
        # The note is the assignment's own field: a PATCH of it changes it.
        noted = self.call("patch", url, self.cora, {"version": 3, "note": "Start in June"})
        self.assertEqual(noted.status_code, 200)
        self.assertEqual(noted.json()["note"], "Start in June")
        self.assertEqual(Assignment.objects.get().note, "Start in June")

    def test_ending_an_assignment_keeps_it_and_its_history(self) -> None:
        assignment = self.assign()
        url = f"/assignments/{assignment.code}"
        ended = self.call(
            "patch", url, self.cora, {"version": 1, "active": False, "note": "Moved."}
        )
        self.assertEqual(ended.status_code, 200)
        self.assertFalse(ended.json()["active"])
        listed = self.call("get", "/assignments", self.cora, {"active": "false"}).json()
        self.assertEqual(listed["count"], 1)
        self.assertEqual(self.call("get", "/assignments", self.cora).json()["count"], 0)
        self.assertTrue(Event.objects.filter(kind="assignment.ended", note="Moved.").exists())

    # --- status updates, decisions, the follow-up -----------------------------------------

    def test_the_scenario_update_with_a_file_validate_and_read_the_follow_up(self) -> None:
        self.assign()
        self.assign(inst=self.health, role="supporting")
        upload = SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")
        response = self.call(
            "post",
            f"/recommendations/{self.rec.code}/status-updates",
            self.bob,
            {
                "status": "in_progress",
                "date": "2025-03-01",
                "note": "Draft law sent to Parliament.",
                "evidence_links": ["https://gov.example.org/draft-law"],
                "evidence_files": [upload],
            },
            multipart=True,
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["state"], "pending")
        code = response.json()["code"]
        self.assertEqual(FollowUp.objects.get(recommendation=self.rec).status, "not_started")
        # Bob may not approve his own; Hugo (another institution) may not see it; Vera approves.
        decision = {"decision": "approve", "note": "Checked."}
        self.assertEqual(
            self.call("post", f"/status-updates/{code}/decision", self.bob, decision).status_code,
            403,
        )
        self.assertEqual(
            self.call("post", f"/status-updates/{code}/decision", self.boris, decision).status_code,
            404,
        )
        approved = self.call("post", f"/status-updates/{code}/decision", self.vera, decision)
        self.assertEqual(approved.status_code, 200)
        self.assertEqual(approved.json()["state"], "validated")
        self.assertEqual(approved.json()["decided_by"], "vera")
        self.assertEqual({e["kind"] for e in approved.json()["evidence"]}, {"file", "link"})
        twice = self.call("post", f"/status-updates/{code}/decision", self.cora, decision)
        self.assertEqual(twice.status_code, 409)
        self.assertEqual(twice.json()["current"]["state"], "validated")
        # NHRI's own view beside it.
        assessed = self.call(
            "post",
            f"/recommendations/{self.rec.code}/assessments",
            self.nina,
            {"status": "not_started", "date": "2025-04-01", "note": "Nothing has changed yet."},
        )
        self.assertEqual(assessed.status_code, 201, assessed.content)

        follow_up = self.call("get", f"/recommendations/{self.rec.code}/follow-up", self.cora)
        self.assertEqual(follow_up.status_code, 200)
        body = follow_up.json()
        self.assertEqual((body["status"], body["status_date"]), ("in_progress", "2025-03-01"))
        self.assertEqual(len(body["assignments"]), 2)
        self.assertEqual([u["state"] for u in body["updates"]], ["validated"])
        self.assertEqual([s["status"] for s in body["assessments"]], ["not_started"])
        kinds = [h["kind"] for h in body["history"]]
        self.assertEqual(
            kinds,
            [
                "assignment.created",
                "assignment.created",
                "update.submitted",
                "update.approved",
                "assessment.created",
            ],
        )
        self.assertTrue(all(h["who"] and h["text"] for h in body["history"]))
        self.assertIn("vera", body["history"][3]["who"])
        for key in ("actions", "indicators", "deadlines", "committee_assessments", "sub_items"):
            self.assertIn(key, body)
        # The NHRI sees the State's status and its own assessment, not the assignments' story.
        nina = self.call("get", f"/recommendations/{self.rec.code}/follow-up", self.nina).json()
        self.assertEqual(nina["status"], "in_progress")
        self.assertEqual(len(nina["assessments"]), 1)
        # The State's status never moved for the assessment.
        self.assertEqual(FollowUp.objects.get(recommendation=self.rec).status, "in_progress")

    def test_a_sent_back_update_needs_a_reason_and_leaves_the_status(self) -> None:
        self.assign()
        code = self.call(
            "post",
            f"/recommendations/{self.rec.code}/status-updates",
            self.bob,
            {"status": "implemented", "date": "2025-03-01", "note": "Done."},
        ).json()["code"]
        url = f"/status-updates/{code}/decision"
        no_reason = self.call("post", url, self.vera, {"decision": "reject"})
        self.assertEqual(no_reason.status_code, 400)
        self.assertTrue(no_reason.json()["detail"].startswith("note:"))
        sent_back = self.call(
            "post", url, self.vera, {"decision": "reject", "note": "Attach the law."}
        )
        self.assertEqual(sent_back.json()["state"], "rejected")
        self.assertEqual(FollowUp.objects.get(recommendation=self.rec).status, "not_started")

    def test_bad_updates_name_the_field_and_write_nothing(self) -> None:
        self.assign()
        url = f"/recommendations/{self.rec.code}/status-updates"
        good = {"status": "in_progress", "date": "2025-03-01", "note": "Working."}
        cases = {
            "status": {**good, "status": "finished"},
            "date": {**good, "date": "March"},
            "note": {**good, "note": ""},
            "evidence_links": {**good, "evidence_links": ["javascript:alert(1)"]},
        }
        for field, data in cases.items():
            with self.subTest(field):
                response = self.call("post", url, self.bob, data)
                self.assertEqual(response.status_code, 400, response.content)
                self.assertTrue(response.json()["detail"].startswith(field), response.json())
        future = {**good, "date": (timezone.localdate() + dt.timedelta(days=3)).isoformat()}
        self.assertEqual(self.call("post", url, self.bob, future).status_code, 400)
        bad_file = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/pdf")
        response = self.call(
            "post", url, self.bob, {**good, "evidence_files": [bad_file]}, multipart=True
        )
        self.assertEqual(response.status_code, 400)
        self.assertTrue(response.json()["detail"].startswith("evidence_files"))
        stray = SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")
        response = self.call("post", url, self.bob, {**good, "file": stray}, multipart=True)
        self.assertEqual(response.status_code, 400)
        self.assertTrue(response.json()["detail"].startswith("file:"))
        self.assertFalse(StatusUpdate.objects.exists())
        not_json = self.client.post(
            f"/api/v1{url}",
            "{",
            content_type="application/json",
            headers={"Authorization": f"Bearer {self.token(self.bob)}"},
        )
        self.assertEqual(not_json.status_code, 400)

    def test_only_assigned_focal_points_report(self) -> None:
        self.assign()
        url = f"/recommendations/{self.rec.code}/status-updates"
        data = {"status": "in_progress", "date": "2025-03-01", "note": "Working."}
        self.assertEqual(self.call("post", url, self.vera, data).status_code, 403)
        self.assertEqual(self.call("post", url, self.hugo, data).status_code, 404)
        self.assertEqual(self.call("post", url, self.bea, data).status_code, 404)
        by_coordinator = self.call("post", url, self.cora, data)
        self.assertEqual(
            (by_coordinator.status_code, by_coordinator.json()["state"]), (201, "validated")
        )

    def test_an_unknown_recommendation_is_404(self) -> None:
        url = "/recommendations/00000000-0000-4000-8000-000000000000/follow-up"
        self.assertEqual(self.call("get", url, self.cora).status_code, 404)
        self.assertEqual(
            self.call("get", "/recommendations/nope/follow-up", self.cora).status_code, 400
        )

    # --- actions, indicators, measurements ------------------------------------------------

    def test_a_focal_point_plans_an_action_with_an_indicator_and_values(self) -> None:
        self.assign()
        action = self.call(
            "post",
            "/actions",
            self.bob,
            {
                "institution": str(self.justice.code),
                "recommendations": [str(self.rec.code)],
                "title": "Draft the new disability law",
                "start": "2025-01-01",
                "end": "2025-12-31",
                "budget_amount": "250000",
                "budget_currency": "eur",
                "funding_source": "State budget",
            },
        )
        self.assertEqual(action.status_code, 201, action.content)
        body = action.json()
        self.assertEqual((body["budget_currency"], body["progress"]), ("EUR", "planned"))
        self.assertEqual(body["recommendations"], [str(self.rec.code)])
        code = body["code"]
        changed = self.call(
            "patch", f"/actions/{code}", self.bob, {"version": 1, "progress": "ongoing"}
        )
        self.assertEqual((changed.status_code, changed.json()["version"]), (200, 2))
        stale = self.call("patch", f"/actions/{code}", self.cora, {"version": 1, "title": "Other"})
        self.assertEqual(stale.status_code, 409)
        self.assertEqual(stale.json()["current"]["progress"], "ongoing")
        bad = self.call("patch", f"/actions/{code}", self.bob, {"version": 2, "end": "2024-01-01"})
        self.assertEqual(bad.status_code, 400)
        self.assertTrue(bad.json()["detail"].startswith("end:"))
        self.assertEqual(
            self.call(
                "patch", f"/actions/{code}", self.carol, {"version": 2, "title": "x"}
            ).status_code,
            404,
        )

        indicator = self.call(
            "post",
            "/indicators",
            self.bob,
            {
                "institution": str(self.justice.code),
                "action": code,
                "name": "Cases decided within a year",
                "unit": "%",
                "baseline": "40",
                "target": "90",
                "frequency": "quarterly",
            },
        )
        self.assertEqual(indicator.status_code, 201, indicator.content)
        ind = indicator.json()["code"]
        self.assertEqual(indicator.json()["recommendations"], [str(self.rec.code)])
        value = self.call(
            "post",
            f"/indicators/{ind}/measurements",
            self.bob,
            {"date": "2025-06-30", "value": "52.5", "sex": "female", "source": "Court registry"},
        )
        self.assertEqual(value.status_code, 201, value.content)
        self.assertEqual(value.json()["disaggregation"], {"sex": "female"})
        listed = self.call(
            "get", "/indicators", self.vera, {"recommendation": str(self.rec.code)}
        ).json()
        self.assertEqual(listed["count"], 1)
        self.assertEqual(len(listed["results"][0]["measurements"]), 1)
        self.assertEqual(self.call("get", "/actions", self.bea).json()["count"], 0)
        self.assertEqual(self.call("get", f"/indicators/{ind}", self.bea).status_code, 404)
        follow_up = self.call("get", f"/recommendations/{self.rec.code}/follow-up", self.bob).json()
        self.assertEqual(len(follow_up["actions"]), 1)
        self.assertEqual(len(follow_up["indicators"]), 1)
        self.assertIn("measurement.added", [h["kind"] for h in follow_up["history"]])

    # --- the OpenAPI document -------------------------------------------------------------

    def test_openapi_documents_the_error_answers(self) -> None:
        doc = self.client.get("/api/v1/openapi.json").json()
        paths = doc["paths"]
        for path in (
            "/api/v1/me",
            "/api/v1/institutions",
            "/api/v1/assignments",
            "/api/v1/recommendations/{code}/follow-up",
            "/api/v1/recommendations/{code}/status-updates",
            "/api/v1/status-updates/{code}/decision",
            "/api/v1/recommendations/{code}/assessments",
        ):
            self.assertIn(path, paths)
        post = paths["/api/v1/assignments"]["post"]["responses"]
        self.assertTrue({"201", "400", "401", "403", "404", "409"} <= set(post))
        updates = paths["/api/v1/recommendations/{code}/status-updates"]["post"]
        self.assertEqual(
            set(updates["requestBody"]["content"]), {"application/json", "multipart/form-data"}
        )
