from __future__ import annotations

from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from rightstrack.analysis import services
from rightstrack.engine.analyse.calibration import confidence
from rightstrack.recommendations.models import Analysis, ImportBatch, Label, Recommendation, Term
from rightstrack.recommendations.services import load_reference_data
from rightstrack.test import make_country, make_recommendation

IDP_TEXT = (
    "Adopt a national law on internally displaced persons and allocate a budget for the "
    "return of displaced women and children by 2026."
)
MINIMAL_TEXT = "Continue its efforts to promote human rights."


def _term(slug: str, name: str) -> Term:
    return Term.objects.get(taxonomy__slug=slug, name=name)


def _labels(rec: Recommendation, slug: str = "groups_of_persons") -> set[str]:
    return set(
        rec.labels.filter(source=Label.Source.CLASSIFIER, term__taxonomy__slug=slug).values_list(
            "term__name", flat=True
        )
    )


class AnalyseRecommendationsTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_reference_data()

    def setUp(self) -> None:
        self.rec = make_recommendation(text=IDP_TEXT)

    def test_it_stores_the_analysis(self) -> None:
        count = services.analyse_recommendations([self.rec.pk])

        self.assertEqual(count, 1)
        analysis = Analysis.objects.get(recommendation=self.rec)
        self.assertEqual(analysis.action_category, 5)
        self.assertTrue(analysis.action_verb.startswith("adopt"))
        self.assertTrue(analysis.concrete_action)
        self.assertTrue(analysis.rights_holders_stated)
        self.assertTrue(analysis.protection_relevant)
        self.assertIn("budget", analysis.detail.split("; "))
        self.assertIn("timeline", analysis.detail.split("; "))
        self.assertIn("action", analysis.reasons)
        self.assertTrue(analysis.model_version.startswith("builtin-"))

    def test_it_suggests_labels_with_confidence_and_origin(self) -> None:
        services.analyse_recommendations(Recommendation.objects.filter(pk=self.rec.pk))

        label = self.rec.labels.get(
            term__taxonomy__slug="groups_of_persons", term__name="Internally displaced persons"
        )
        self.assertEqual(label.source, Label.Source.CLASSIFIER)
        self.assertEqual(label.review_state, Label.ReviewState.SUGGESTED)
        # The rule's precision on OHCHR's labels, per label, not one figure per taxonomy.
        self.assertEqual(
            label.confidence, confidence("groups_of_persons", "Internally displaced persons")
        )
        suggested = self.rec.labels.filter(review_state=Label.ReviewState.SUGGESTED)
        self.assertGreater(len(set(suggested.values_list("confidence", flat=True))), 1)
        self.assertEqual(label.origin, services.analyser_version())
        self.assertTrue(self.rec.labels.filter(term__taxonomy__slug="sdg_goals").exists())
        self.assertTrue(self.rec.labels.filter(term__taxonomy__slug="uhri_themes").exists())

    def test_it_never_duplicates_document_or_person_labels(self) -> None:
        idps = _term("groups_of_persons", "Internally displaced persons")
        women = _term("groups_of_persons", "Women & girls")
        Label.objects.create(
            recommendation=self.rec, term=idps, source=Label.Source.DOCUMENT, origin="A/HRC/1/1"
        )
        Label.objects.create(
            recommendation=self.rec, term=women, source=Label.Source.PERSON, origin="alice"
        )

        services.analyse_recommendations([self.rec.pk])

        suggested = _labels(self.rec)
        self.assertNotIn("Internally displaced persons", suggested)
        self.assertNotIn("Women & girls", suggested)
        self.assertIn("Children", suggested)
        self.assertEqual(self.rec.labels.get(term=idps, source="document").origin, "A/HRC/1/1")
        self.assertEqual(self.rec.labels.get(term=women, source="person").origin, "alice")

    def test_it_treats_a_legacy_document_label_as_its_successor(self) -> None:
        legacy = Term.objects.filter(
            taxonomy__slug="groups_of_persons_legacy", successors__name="Children"
        ).first()
        Label.objects.create(recommendation=self.rec, term=legacy, source=Label.Source.DOCUMENT)

        services.analyse_recommendations([self.rec.pk])

        self.assertNotIn("Children", _labels(self.rec))

    def test_a_protection_group_labelled_by_the_document_makes_it_protection_relevant(
        self,
    ) -> None:
        # Slovenia's 140.74: OHCHR tags "Stateless persons", the words ("erased") say nothing
        # general, and the analysis said "protection relevant: no" (issue 14 §2).
        rec = make_recommendation(text="Adopt a law allowing all erased persons to regularize")
        other = make_recommendation(text="Adopt a law allowing all older persons to vote")
        stateless = _term("groups_of_persons", "Stateless persons")
        Label.objects.create(recommendation=rec, term=stateless, source=Label.Source.DOCUMENT)
        Label.objects.create(
            recommendation=other,
            term=stateless,
            source=Label.Source.CLASSIFIER,
            review_state=Label.ReviewState.REJECTED,
        )

        services.analyse_recommendations([rec.pk, other.pk])

        analysis = Analysis.objects.get(recommendation=rec)
        self.assertTrue(analysis.protection_relevant)
        self.assertEqual(analysis.reasons["protection"], ["labelled Stateless persons"])
        # A suggestion a person rejected is no label: nothing follows from it.
        self.assertFalse(Analysis.objects.get(recommendation=other).protection_relevant)

    def test_it_is_idempotent(self) -> None:
        services.analyse_recommendations([self.rec.pk])
        first = sorted(
            self.rec.labels.values_list("id", "term_id", "confidence", "origin", "review_state")
        )

        services.analyse_recommendations([self.rec.pk])

        self.assertEqual(
            sorted(
                self.rec.labels.values_list("id", "term_id", "confidence", "origin", "review_state")
            ),
            first,
        )
        self.assertEqual(Analysis.objects.count(), 1)

    def test_it_replaces_older_suggestions_and_keeps_decisions(self) -> None:
        stale = _term("uhri_themes", "Death penalty")
        Label.objects.create(
            recommendation=self.rec,
            term=stale,
            source="classifier",
            review_state="suggested",
            origin="old",
        )
        services.analyse_recommendations([self.rec.pk])
        children = self.rec.labels.get(term__name="Children", source="classifier")
        children.review_state = Label.ReviewState.REJECTED
        children.save()
        self.rec.text = MINIMAL_TEXT
        self.rec.save()

        services.analyse_recommendations([self.rec.pk])

        self.assertFalse(self.rec.labels.filter(term=stale).exists())
        # No group remains suggested: "Public officials" is no longer put on every
        # recommendation to the State (issue 14 §2).
        self.assertEqual(
            list(
                self.rec.labels.filter(
                    source="classifier",
                    review_state="suggested",
                    term__taxonomy__slug="groups_of_persons",
                ).values_list("term__name", flat=True)
            ),
            [],
        )
        self.assertEqual(
            self.rec.labels.get(term__name="Children", source="classifier").review_state, "rejected"
        )
        self.assertEqual(Analysis.objects.get(recommendation=self.rec).action_category, 2)

    def test_it_never_suggests_again_what_a_person_rejected(self) -> None:
        services.analyse_recommendations([self.rec.pk])
        self.rec.labels.filter(term__name="Children", source="classifier").update(
            review_state="rejected"
        )

        services.analyse_recommendations([self.rec.pk])

        self.assertEqual(self.rec.labels.filter(term__name="Children").count(), 1)

    def test_it_analyses_in_chunks_and_reports_progress(self) -> None:
        recs = [make_recommendation(text=f"Ratify the Convention number {n}.") for n in range(5)]
        seen = []

        count = services.analyse_recommendations(
            [r.pk for r in recs] + [self.rec.pk],
            batch_size=2,
            progress=lambda done, total: seen.append((done, total)),
        )

        self.assertEqual(count, 6)
        self.assertEqual(seen, [(0, 6), (2, 6), (4, 6), (6, 6)])
        self.assertEqual(Analysis.objects.count(), 6)

    def test_it_uses_a_fixed_number_of_queries_per_chunk(self) -> None:
        few = [make_recommendation(text=IDP_TEXT) for _ in range(3)]
        many = [make_recommendation(text=IDP_TEXT) for _ in range(30)]

        with CaptureQueriesContext(connection) as for_few:
            services.analyse_recommendations([r.pk for r in few])
        with CaptureQueriesContext(connection) as for_many:
            services.analyse_recommendations([r.pk for r in many])

        # SQLite splits a big insert into several statements (its variable limit); a query
        # per recommendation would add 27 here.
        self.assertLessEqual(len(for_many), len(for_few) + 2)

    def test_it_analyses_what_an_import_created(self) -> None:
        batch = ImportBatch.objects.create(kind="generic", file_name="x.csv")
        new = make_recommendation(text=MINIMAL_TEXT, import_batch=batch)

        count = services.analyse_imported(batch)

        self.assertEqual(count, 1)
        self.assertTrue(Analysis.objects.filter(recommendation=new).exists())
        self.assertFalse(Analysis.objects.filter(recommendation=self.rec).exists())

    def test_the_command_analyses_one_country(self) -> None:
        other = make_recommendation(text=MINIMAL_TEXT, country=make_country("ZZB", "Borduria"))

        call_command("analyse_recommendations", "--country", "ZZB", stdout=_Sink())

        self.assertTrue(Analysis.objects.filter(recommendation=other).exists())
        self.assertFalse(Analysis.objects.filter(recommendation=self.rec).exists())


class _Sink:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass
