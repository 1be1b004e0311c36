"""htmx error answers of the follow-up views carry a short readable message.

htmx swaps no 4xx/5xx answer; static/htmx-errors.js puts a text/plain answer's message in the
live region of base.html. These tests read the answers' bodies; the browser test
(rightstrack/tests/test_browser_followup.py) sees the message appear for a 409.
"""

from __future__ import annotations

from rightstrack.front.tests.test_followup_pages import HX, PagesTestCase
from rightstrack.tracking import services
from rightstrack.tracking.models import StatusUpdate


class HtmxErrorAnswerTests(PagesTestCase):
    def assert_message(self, response, status: int, text: str) -> None:  # type: ignore[no-untyped-def]
        self.assertEqual(response.status_code, status)
        self.assertTrue(response["Content-Type"].startswith("text/plain"), response["Content-Type"])
        body = response.content.decode()
        self.assertIn(text, body)
        self.assertLess(len(body), 300)  # a sentence, not a page
        self.assertNotIn("<", body)

    def assign(self, rec, **headers):  # type: ignore[no-untyped-def]
        return self.client.post(
            f"/recommendations/{rec.code}/assign/",
            {"assign-institution": str(self.health.code), "assign-role": "lead"},
            **headers,
        )

    def test_a_refused_form_answers_403_with_the_reason(self) -> None:
        self.as_(self.carol)  # a viewer at Health, to which paragraph 14 is assigned

        refused = self.assign(self.other_rec, **HX)

        self.assert_message(refused, 403, "You may not assign this recommendation.")

        self.as_(self.bob)
        response = self.client.post(
            f"/recommendations/{self.rec.code}/assess/", {"assess-status": "partial"}, **HX
        )
        self.assert_message(response, 403, "You may not assess this recommendation.")

    def test_another_states_follow_up_answers_404_with_a_message(self) -> None:
        self.as_(self.bea)

        self.assert_message(self.assign(self.rec, **HX), 404, "No such follow-up")

    def test_a_decision_already_taken_answers_409_with_who_decided(self) -> None:
        self.as_(self.bob)
        self.client.post(
            f"/recommendations/{self.rec.code}/update/",
            {
                "update-institution": str(self.justice.code),
                "update-status": "in_progress",
                "update-date": "2026-03-01",
                "update-note": "Bill drafted.",
            },
        )
        update = StatusUpdate.objects.get()
        services.decide(self.cora, update, decision="approve")
        self.as_(self.vera)

        response = self.client.post(
            f"/updates/{update.code}/decide/", {"d-decision": "reject", "d-note": "x"}, **HX
        )

        self.assert_message(response, 409, "cora already decided: Validated.")
        self.assertIn("Reload the page", response.content.decode())
        update.refresh_from_db()
        self.assertEqual(update.state, "validated")

    def test_an_unknown_update_answers_404_with_a_message(self) -> None:
        self.as_(self.vera)
        response = self.client.post(
            "/updates/00000000-0000-4000-8000-000000000000/decide/", {"d-decision": "approve"}, **HX
        )

        self.assert_message(response, 404, "No such update")

    def test_without_htmx_the_usual_pages_answer(self) -> None:
        self.as_(self.carol)

        response = self.assign(self.other_rec)

        self.assertEqual(response.status_code, 403)
        self.assertTrue(response["Content-Type"].startswith("text/html"))

    def test_form_errors_still_come_back_in_the_panel(self) -> None:
        self.as_(self.cora)
        response = self.client.post(
            f"/recommendations/{self.other_rec.code}/assign/",
            {"assign-institution": str(self.justice.code), "assign-due": "not a date"},
            **HX,
        )

        self.assertEqual(response.status_code, 200)
        self.assertIn('id="id_assign-due-error"', response.content.decode())

    def test_every_page_has_the_live_region_and_its_script(self) -> None:
        self.as_(self.cora)
        html = self.client.get(self.page(self.rec)).content.decode()

        self.assertIn('id="htmx-error"', html)
        self.assertIn('role="alert"', html)
        self.assertIn("The server refused or could not do this", html)
        self.assertIn("htmx-errors.js", html)
