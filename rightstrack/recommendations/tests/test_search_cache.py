from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from rightstrack.analysis.services import reject_suggestion
from rightstrack.formats import records
from rightstrack.recommendations import search, services
from rightstrack.recommendations.models import Analysis, Label, Recommendation, Taxonomy, Term
from rightstrack.test import make_body, make_country, make_recommendation

UHRI_CSV = Path(__file__).parents[2] / "formats" / "tests" / "fixtures" / "uhri" / "uhri_export.csv"


def _counts(**filters: object) -> dict[str, dict[str, int]]:
    facets = search.search_facets(filters, limit=None)
    return {name: {f.value: f.count for f in values} for name, values in facets.items()}


class FacetCacheTestCase(TestCase):
    def setUp(self) -> None:
        cache.clear()
        self.addCleanup(cache.clear)
        make_country("FRA", "France")
        taxonomy = Taxonomy.objects.create(slug=records.THEMES, name="Themes")
        self.education = Term.objects.create(taxonomy=taxonomy, name="Right to education")
        self.health = Term.objects.create(taxonomy=taxonomy, name="Right to health")
        self.recs = [make_recommendation(text=f"Ensure schooling {n}.") for n in range(3)]
        for rec in self.recs:
            Label.objects.create(recommendation=rec, term=self.education, source="document")

    def test_it_answers_the_same_search_from_the_cache(self) -> None:
        first = _counts(mechanism="upr")
        with CaptureQueriesContext(connection) as computed:
            cache.clear()
            _counts(mechanism="upr")
        with CaptureQueriesContext(connection) as cached:
            again = _counts(mechanism="upr")

        self.assertEqual(again, first)
        self.assertLess(len(cached), len(computed))
        self.assertFalse(any("GROUP BY" in q["sql"].upper() for q in cached.captured_queries))

    def test_it_counts_a_search_once_until_the_data_changes(self) -> None:
        qs = search.filter_recommendations(query="schooling", mechanism="upr")
        self.assertEqual(search.cached_count(qs), 3)
        with CaptureQueriesContext(connection) as again:
            self.assertEqual(search.cached_count(qs), 3)
        self.assertFalse(any("__count" in q["sql"] for q in again.captured_queries))

        make_recommendation(text="Ensure schooling for all.")

        self.assertEqual(search.cached_count(qs), 4)
        self.assertEqual(search.cached_count(Recommendation.objects.none()), 0)
        # Another search is another count.
        self.assertEqual(search.cached_count(search.filter_recommendations(query="all")), 1)

    def test_it_counts_again_after_a_new_label(self) -> None:
        self.assertEqual(_counts()["theme"], {"Right to education": 3})

        Label.objects.create(recommendation=self.recs[0], term=self.health, source="person")

        self.assertEqual(_counts()["theme"], {"Right to education": 3, "Right to health": 1})

    def test_it_counts_again_after_a_new_analysis(self) -> None:
        self.assertEqual(_counts()["action"], {})

        Analysis.objects.create(recommendation=self.recs[0], action_category=4)
        self.assertEqual(_counts()["action"], {"4": 1})
        Analysis.objects.filter(recommendation=self.recs[0]).update(protection_relevant=True)

        self.assertEqual(_counts()["protection"], {"yes": 1})

    def test_it_counts_again_after_a_bulk_update(self) -> None:
        self.assertEqual(_counts(query="schooling")["position"], {})

        Recommendation.objects.filter(id=self.recs[0].id).update(position="noted")

        self.assertEqual(_counts(query="schooling")["position"], {"noted": 1})

    def test_it_counts_again_after_a_review_decision(self) -> None:
        user = get_user_model().objects.create_user("reviewer", password="x")
        suggestion = Label.objects.create(
            recommendation=self.recs[1],
            term=self.health,
            source="classifier",
            review_state="suggested",
            confidence=0.7,
        )
        self.assertEqual(_counts(theme="Right to health")["country"], {"ZZA": 1})
        self.assertEqual(_counts()["theme"]["Right to health"], 1)

        reject_suggestion(suggestion, user=user)

        self.assertEqual(_counts(theme="Right to health")["country"], {})
        self.assertNotIn("Right to health", _counts()["theme"])

    def test_it_counts_again_after_an_import(self) -> None:
        before = _counts()
        self.assertNotIn("treaty_body", before["mechanism"])

        services.import_file(UHRI_CSV, kind="uhri", analyse=False)

        after = _counts()
        self.assertEqual(sum(after["mechanism"].values()), Recommendation.objects.count())
        self.assertGreater(sum(after["mechanism"].values()), sum(before["mechanism"].values()))

    def test_it_counts_again_after_a_country_page_changed(self) -> None:
        recs = Recommendation.objects.filter(country__code="ZZA")
        first = search.facet_counts(recs, ["theme"])["theme"]
        self.assertEqual([(f.value, f.count) for f in first], [("Right to education", 3)])

        self.recs[2].delete()

        second = search.facet_counts(recs, ["theme"])["theme"]
        self.assertEqual([(f.value, f.count) for f in second], [("Right to education", 2)])


class DataVersionTestCase(TestCase):
    def test_it_changes_with_every_write_and_never_comes_back_after_a_rollback(self) -> None:
        make_body()
        start = search.data_version()
        self.assertIsNotNone(start)
        inside = []
        try:
            with transaction.atomic():
                make_recommendation(text="Ratify the Convention.")
                inside.append(search.data_version())
                raise RuntimeError("roll back")
        except RuntimeError:
            pass

        self.assertEqual(search.data_version(), start)
        self.assertNotEqual(inside[0], start)
        make_recommendation(text="Ratify the Protocol.")
        after = search.data_version()
        self.assertNotIn(after, (start, inside[0]))
        make_country("DEU", "Germany")
        self.assertNotEqual(search.data_version(), after)
