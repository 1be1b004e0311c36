from __future__ import annotations

from rightstrack.analysis import services
from rightstrack.analysis.exceptions import ReviewError
from rightstrack.analysis.tests.util import GROUPS, AnalysisTestCase
from rightstrack.analysis.tests.util import suggest as _suggest
from rightstrack.analysis.tests.util import term as _term
from rightstrack.recommendations.models import Label, Recommendation
from rightstrack.test import make_recommendation


def _state(rec: Recommendation, name: str, source: str) -> str | None:
    label = rec.labels.filter(term__name=name, term__taxonomy__slug=GROUPS, source=source).first()
    return label.review_state if label else None


class ReviewDecisionsTestCase(AnalysisTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.rec = make_recommendation(text="Protect displaced children.")
        self.suggestion = _suggest(self.rec, "Children")

    def test_it_accepts_a_suggestion_as_a_person_label(self) -> None:
        person = services.accept_suggestion(self.suggestion, user=self.alice)

        self.suggestion.refresh_from_db()
        self.assertEqual(self.suggestion.review_state, Label.ReviewState.ACCEPTED)
        self.assertEqual(self.suggestion.author, self.alice)
        self.assertEqual(person.source, Label.Source.PERSON)
        self.assertEqual(person.author, self.alice)
        self.assertEqual(person.origin, "alice")
        self.assertEqual(person.term, self.suggestion.term)

    def test_it_keeps_an_existing_person_label_when_accepting(self) -> None:
        earlier = Label.objects.create(
            recommendation=self.rec,
            term=self.suggestion.term,
            source="person",
            author=self.bob,
            origin="bob",
        )

        person = services.accept_suggestion(self.suggestion, user=self.alice)

        self.assertEqual(person.pk, earlier.pk)
        self.assertEqual(person.author, self.bob)

    def test_it_rejects_a_suggestion(self) -> None:
        services.reject_suggestion(self.suggestion, user=self.alice)

        self.suggestion.refresh_from_db()
        self.assertEqual(self.suggestion.review_state, Label.ReviewState.REJECTED)
        self.assertEqual(self.suggestion.author, self.alice)
        self.assertFalse(self.rec.labels.filter(source="person").exists())

    def test_it_undoes_an_acceptance(self) -> None:
        services.accept_suggestion(self.suggestion, user=self.alice)

        services.reject_suggestion(self.suggestion, user=self.alice)

        self.assertEqual(_state(self.rec, "Children", "classifier"), "rejected")
        self.assertEqual(_state(self.rec, "Children", "person"), "rejected")

    def test_it_corrects_a_suggestion(self) -> None:
        person = services.correct_suggestion(
            self.suggestion, term=_term("Internally displaced persons"), user=self.bob
        )

        self.assertEqual(person.term.name, "Internally displaced persons")
        self.assertEqual(person.source, Label.Source.PERSON)
        self.assertEqual(person.author, self.bob)
        self.assertEqual(_state(self.rec, "Children", "classifier"), "rejected")
        self.assertIsNone(_state(self.rec, "Children", "person"))

    def test_it_refuses_a_correction_to_another_taxonomy(self) -> None:
        with self.assertRaises(ReviewError):
            services.correct_suggestion(
                self.suggestion, term=_term("Right to education", "uhri_themes"), user=self.bob
            )

        self.assertEqual(_state(self.rec, "Children", "classifier"), "suggested")

    def test_it_refuses_to_review_a_document_label(self) -> None:
        label = Label.objects.create(
            recommendation=self.rec, term=_term("Women & girls"), source="document"
        )

        with self.assertRaises(ReviewError):
            services.reject_suggestion(label, user=self.alice)


class BulkReviewTestCase(AnalysisTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.empty = make_recommendation(text="Protect children.")
        self.filled = make_recommendation(text="Protect women and children.")
        Label.objects.create(
            recommendation=self.filled,
            term=_term("Women & girls"),
            source="person",
            author=self.bob,
        )
        self.s_empty = _suggest(self.empty, "Children")
        self.s_filled = _suggest(self.filled, "Children")
        self.theme = _suggest(self.filled, "Right to education", "uhri_themes")

    def test_it_only_fills_empty_taxonomies(self) -> None:
        result = services.accept_suggestions(
            Label.objects.filter(source="classifier"), user=self.alice
        )

        self.assertEqual((result.accepted, result.skipped), (2, 1))
        self.assertEqual(_state(self.empty, "Children", "person"), "accepted")
        self.assertEqual(_state(self.filled, "Children", "classifier"), "suggested")
        self.assertIsNone(_state(self.filled, "Children", "person"))
        self.theme.refresh_from_db()
        self.assertEqual(self.theme.review_state, "accepted")

    def test_it_replaces_existing_labels_when_asked(self) -> None:
        document = Label.objects.create(
            recommendation=self.filled, term=_term("Older persons"), source="document"
        )

        result = services.accept_suggestions(
            Label.objects.filter(source="classifier"), user=self.alice, replace=True
        )

        self.assertEqual((result.accepted, result.skipped), (3, 0))
        self.assertEqual(_state(self.filled, "Children", "person"), "accepted")
        self.assertEqual(_state(self.filled, "Women & girls", "person"), "rejected")
        document.refresh_from_db()
        self.assertEqual(document.review_state, "accepted")

    def test_it_counts_a_rejected_label_as_empty(self) -> None:
        self.filled.labels.filter(source="person").update(review_state="rejected")

        result = services.accept_suggestions(
            Label.objects.filter(source="classifier", term__taxonomy__slug=GROUPS), user=self.alice
        )

        self.assertEqual((result.accepted, result.skipped), (2, 0))

    def test_it_rejects_in_bulk(self) -> None:
        result = services.reject_suggestions(
            Label.objects.filter(source="classifier"), user=self.carol
        )

        self.assertEqual(result.rejected, 3)
        self.assertEqual(
            set(Label.objects.filter(source="classifier").values_list("review_state", flat=True)),
            {"rejected"},
        )
        self.assertEqual(_state(self.filled, "Women & girls", "person"), "accepted")

    def test_it_ignores_labels_that_are_not_suggestions(self) -> None:
        result = services.reject_suggestions(Label.objects.filter(source="person"), user=self.alice)

        self.assertEqual(result.rejected, 0)
        self.assertEqual(_state(self.filled, "Women & girls", "person"), "accepted")


class TrainingDataTestCase(AnalysisTestCase):
    def test_it_exports_trusted_labels_with_corrections(self) -> None:
        corrected = make_recommendation(text="Protect displaced children.")
        documented = make_recommendation(text="Protect older women.")
        unreviewed = make_recommendation(text="Protect refugees.")
        services.correct_suggestion(
            _suggest(corrected, "Children"),
            term=_term("Internally displaced persons"),
            user=self.alice,
        )
        Label.objects.create(
            recommendation=documented, term=_term("Women & girls"), source="document"
        )
        Label.objects.create(
            recommendation=documented, term=_term("Older persons"), source="document"
        )
        Label.objects.create(
            recommendation=documented,
            term=_term("Children"),
            source="document",
            review_state="rejected",
        )
        _suggest(unreviewed, "Refugees & asylum seekers")

        rows = list(services.export_training_data(GROUPS))

        self.assertEqual(
            [(r.text, set(r.labels)) for r in rows],
            [
                ("Protect displaced children.", {"Internally displaced persons"}),
                ("Protect older women.", {"Women & girls", "Older persons"}),
            ],
        )
        self.assertEqual(rows[0].code, str(corrected.code))

    def test_it_refuses_an_unknown_taxonomy(self) -> None:
        with self.assertRaises(ReviewError):
            list(services.export_training_data("no-such-list"))
