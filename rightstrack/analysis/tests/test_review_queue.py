from __future__ import annotations

import csv
import io

from django.contrib.auth.models import User

from rightstrack.accounts.models import Membership
from rightstrack.analysis.tests.util import AnalysisTestCase, suggest, term
from rightstrack.recommendations.models import Label
from rightstrack.test import make_country, make_recommendation


class ReviewQueueTestCase(AnalysisTestCase):
    url = "/review/"

    def setUp(self) -> None:
        super().setUp()
        self.rec = make_recommendation(text="Protect displaced children.")
        self.suggestion = suggest(self.rec, "Children", confidence=0.8)
        self.low = suggest(self.rec, "Right to education", "uhri_themes", confidence=0.3)

    def test_it_requires_login(self) -> None:
        response = self.client.get(self.url)

        self.assertRedirects(
            response, "/accounts/login/?next=/review/", fetch_redirect_response=False
        )

    def test_it_lists_suggestions_with_confidence(self) -> None:
        self.client.force_login(self.alice)

        response = self.client.get(self.url)

        self.assertContains(response, "Children")
        self.assertContains(response, "0.80")
        self.assertContains(response, "Right to education")
        self.assertContains(response, f'formaction="/review/{self.suggestion.pk}/accept/"')
        self.assertContains(response, 'value="accept-matching"')

    def test_it_lets_a_viewer_look_without_actions(self) -> None:
        self.client.force_login(self.carol)

        response = self.client.get(self.url)

        self.assertContains(response, "Children")
        self.assertNotContains(response, "/accept/")
        self.assertNotContains(response, 'value="accept-matching"')

    def test_it_filters_by_taxonomy_country_and_confidence(self) -> None:
        other = make_recommendation(
            text="Protect older persons.", country=make_country("ZZB", "Borduria")
        )
        suggest(other, "Older persons")
        self.client.force_login(self.alice)

        by_taxonomy = self.client.get(self.url, {"taxonomy": "uhri_themes"})
        by_country = self.client.get(self.url, {"country": "ZZB"})
        by_confidence = self.client.get(
            self.url, {"min_confidence": "0.5", "max_confidence": "0.9"}
        )

        self.assertNotContains(by_taxonomy, "<td>Children<br>", html=False)
        self.assertContains(by_taxonomy, "Right to education")
        self.assertContains(by_country, "Older persons")
        self.assertNotContains(by_country, "Right to education")
        self.assertContains(by_confidence, "2 suggestions")

    def test_it_shows_reviewed_suggestions_on_request(self) -> None:
        self.suggestion.review_state = Label.ReviewState.REJECTED
        self.suggestion.author = self.alice
        self.suggestion.save()
        self.client.force_login(self.alice)

        response = self.client.get(self.url, {"state": "rejected"})

        self.assertContains(response, "1 suggestion")
        self.assertContains(response, "by alice")

    def test_it_uses_a_constant_number_of_queries(self) -> None:
        for n in range(40):
            rec = make_recommendation(text=f"Protect children {n}.")
            suggest(rec, "Children")
            Label.objects.create(recommendation=rec, term=term("Women & girls"), source="document")
        self.client.force_login(self.alice)

        with self.assertNumQueries(9):
            self.client.get(self.url)


class ReviewActionsTestCase(AnalysisTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.rec = make_recommendation(text="Protect displaced children.")
        self.suggestion = suggest(self.rec, "Children")
        self.erin = User.objects.create_user("erin", "erin@example.org", "password")
        Membership.objects.create(user=self.erin, institution=self.health, role="contributor")

    def _post(self, action: str, data: dict | None = None, **headers: str):  # type: ignore[no-untyped-def]
        return self.client.post(
            f"/review/{self.suggestion.pk}/{action}/",
            data or {"next": "/review/?state=suggested"},
            **headers,
        )

    def test_it_accepts(self) -> None:
        self.client.force_login(self.alice)

        response = self._post("accept")

        self.assertRedirects(response, "/review/?state=suggested", fetch_redirect_response=False)
        self.assertTrue(
            self.rec.labels.filter(
                source="person", term__name="Children", author=self.alice
            ).exists()
        )

    def test_it_lets_a_contributor_review(self) -> None:
        self.client.force_login(self.erin)

        self._post("reject")

        self.suggestion.refresh_from_db()
        self.assertEqual(
            (self.suggestion.review_state, self.suggestion.author), ("rejected", self.erin)
        )

    def test_it_returns_the_row_for_htmx(self) -> None:
        self.client.force_login(self.alice)

        response = self._post("accept", HTTP_HX_REQUEST="true")

        self.assertContains(response, f'<tr id="suggestion-{self.suggestion.pk}">')
        self.assertContains(response, "Accepted")
        self.assertContains(response, 'hx-swap-oob="true"')
        self.assertNotContains(response, "<html")

    def test_it_requires_a_reviewing_role(self) -> None:
        for user in (self.carol, self.bob, self.dan):
            self.client.force_login(user)

            self.assertEqual(self._post("accept").status_code, 403)
            self.assertEqual(self._post("reject").status_code, 403)
            self.assertEqual(
                self._post("correct", {"term": term("Older persons").pk}).status_code, 403
            )
        self.suggestion.refresh_from_db()
        self.assertEqual(self.suggestion.review_state, "suggested")

    def test_it_checks_the_state_a_role_is_limited_to(self) -> None:
        Membership.objects.filter(user=self.erin).update(country=make_country("ZZB", "Borduria"))
        self.client.force_login(self.erin)

        self.assertEqual(self._post("accept").status_code, 403)

    def test_it_requires_login(self) -> None:
        response = self._post("accept")

        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

    def test_it_returns_404_for_a_label_that_is_not_a_suggestion(self) -> None:
        label = Label.objects.create(
            recommendation=self.rec, term=term("Women & girls"), source="document"
        )
        self.client.force_login(self.alice)

        response = self.client.post(f"/review/{label.pk}/reject/")

        self.assertEqual(response.status_code, 404)

    def test_it_shows_the_correction_form(self) -> None:
        self.client.force_login(self.alice)

        page = self.client.get(f"/review/{self.suggestion.pk}/correct/")
        row = self.client.get(f"/review/{self.suggestion.pk}/correct/", HTTP_HX_REQUEST="true")

        self.assertContains(page, '<label for="term">Correct to</label>', html=False)
        self.assertContains(page, "Older persons")
        self.assertNotContains(page, "Right to education")
        self.assertContains(row, f'name="term-{self.suggestion.pk}"')
        self.assertNotContains(row, "<html")

    def test_it_corrects(self) -> None:
        self.client.force_login(self.alice)

        self._post(
            "correct",
            {
                f"term-{self.suggestion.pk}": term("Internally displaced persons").pk,
                "next": "/review/",
            },
        )

        self.assertEqual(
            list(self.rec.labels.filter(source="person").values_list("term__name", flat=True)),
            ["Internally displaced persons"],
        )
        self.suggestion.refresh_from_db()
        self.assertEqual(self.suggestion.review_state, "rejected")

    def test_it_refuses_a_term_of_another_taxonomy(self) -> None:
        self.client.force_login(self.alice)

        response = self._post("correct", {"term": term("Right to education", "uhri_themes").pk})

        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Choose a term of", status_code=400)
        self.assertFalse(self.rec.labels.filter(source="person").exists())


class BulkReviewViewTestCase(AnalysisTestCase):
    url = "/review/bulk/"

    def setUp(self) -> None:
        super().setUp()
        self.empty = make_recommendation(text="Protect children.")
        self.filled = make_recommendation(text="Protect women and children.")
        Label.objects.create(
            recommendation=self.filled, term=term("Women & girls"), source="document"
        )
        self.a = suggest(self.empty, "Children")
        self.b = suggest(self.filled, "Children")
        self.theme = suggest(self.filled, "Right to education", "uhri_themes", confidence=0.3)

    def _states(self) -> list[str]:
        return [Label.objects.get(pk=x.pk).review_state for x in (self.a, self.b, self.theme)]

    def test_it_accepts_selected_only_where_empty(self) -> None:
        self.client.force_login(self.alice)

        response = self.client.post(
            self.url,
            {"action": "accept-selected", "label": [self.a.pk, self.b.pk], "next": "/review/"},
        )

        self.assertRedirects(response, "/review/", fetch_redirect_response=False)
        self.assertEqual(self._states(), ["accepted", "suggested", "suggested"])

    def test_it_replaces_when_asked(self) -> None:
        self.client.force_login(self.alice)

        self.client.post(
            self.url,
            {"action": "accept-selected", "label": [self.a.pk, self.b.pk], "replace": "on"},
        )

        self.assertEqual(self._states(), ["accepted", "accepted", "suggested"])

    def test_it_accepts_all_matching_the_filter(self) -> None:
        self.client.force_login(self.alice)

        response = self.client.post(
            self.url,
            {"action": "accept-matching", "taxonomy": "groups_of_persons", "next": "/review/"},
            follow=True,
        )

        self.assertEqual(self._states(), ["accepted", "suggested", "suggested"])
        self.assertContains(response, "Accepted 1 suggestion.")
        self.assertContains(
            response, "Left 1: its recommendation already has labels in that taxonomy."
        )

    def test_it_rejects_all_matching_the_filter(self) -> None:
        self.client.force_login(self.alice)

        self.client.post(self.url, {"action": "reject-matching", "max_confidence": "0.5"})

        self.assertEqual(self._states(), ["suggested", "suggested", "rejected"])

    def test_it_only_touches_states_the_role_covers(self) -> None:
        other = make_recommendation(
            text="Protect children.", country=make_country("ZZB", "Borduria")
        )
        far = suggest(other, "Children")
        Membership.objects.filter(user=self.alice).update(country=self.country)
        self.client.force_login(self.alice)

        self.client.post(self.url, {"action": "reject-matching"})

        self.assertEqual(Label.objects.get(pk=far.pk).review_state, "suggested")
        self.assertEqual(self._states(), ["rejected", "rejected", "rejected"])

    def test_it_requires_a_reviewing_role(self) -> None:
        self.client.force_login(self.carol)

        response = self.client.post(self.url, {"action": "reject-matching"})

        self.assertEqual(response.status_code, 403)
        self.assertEqual(self._states(), ["suggested"] * 3)

    def test_it_requires_login(self) -> None:
        response = self.client.post(self.url, {"action": "reject-matching"})

        self.assertEqual(response.status_code, 302)
        self.assertEqual(self._states(), ["suggested"] * 3)


class TrainingDataViewTestCase(AnalysisTestCase):
    def test_it_downloads_the_training_data(self) -> None:
        rec = make_recommendation(text="Protect displaced children, including girls.")
        Label.objects.create(recommendation=rec, term=term("Children"), source="document")
        Label.objects.create(
            recommendation=rec, term=term("Women & girls"), source="person", author=self.alice
        )
        self.client.force_login(self.carol)

        response = self.client.get("/review/training-data/groups_of_persons.csv")

        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
        self.assertEqual(
            rows,
            [
                {
                    "text": "Protect displaced children, including girls.",
                    "labels": "Women & girls; Children",
                    "recommendation": str(rec.code),
                }
            ],
        )

    def test_it_returns_404_for_an_unknown_taxonomy(self) -> None:
        self.client.force_login(self.carol)

        self.assertEqual(self.client.get("/review/training-data/nothing.csv").status_code, 404)

    def test_it_requires_login(self) -> None:
        response = self.client.get("/review/training-data/groups_of_persons.csv")

        self.assertEqual(response.status_code, 302)
