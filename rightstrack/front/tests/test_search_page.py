from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from rightstrack.formats import records
from rightstrack.recommendations.models import Analysis, Label, Taxonomy, Term
from rightstrack.test import BaseTestCase, make_body, make_country, make_recommendation

#: The personas hash four passwords per test; a fast hasher keeps these tests quick.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class SearchPageTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.france = make_country("FRA", "France")
        self.torture = make_recommendation(
            paragraph="118.5",
            document_symbol="A/HRC/38/4",
            position="noted",
            cycle=3,
            text="Ratify the Optional Protocol to the Convention against Torture.",
            recommending_states=["DEU", "GHA"],
        )
        self.refugees = make_recommendation(
            country=self.france,
            body=make_body("CRC", "treaty_body"),
            paragraph="12(a)",
            text="Protect refugee children & ensure <access> to school.",
        )
        taxonomy = Taxonomy.objects.create(slug=records.GROUPS_OF_PERSONS, name="Groups of persons")
        children = Term.objects.create(taxonomy=taxonomy, name="Children")
        Label.objects.create(recommendation=self.refugees, term=children, source="document")

    def test_it_works_anonymously(self) -> None:
        response = self.client.get("/")

        self.assertContains(response, "2 recommendations")
        self.assertContains(response, 'lang="en" dir="ltr"')
        self.assertContains(response, "A/HRC/38/4 ¶ 118.5")
        self.assertContains(response, "Recommended by")

    def test_it_searches(self) -> None:
        response = self.client.get("/", {"q": "torture"})

        self.assertContains(response, "1 recommendation")
        self.assertContains(response, "<mark>Torture</mark>")
        self.assertNotContains(response, "refugee children")

    def test_it_escapes_the_text(self) -> None:
        response = self.client.get("/", {"q": "refugee"})

        self.assertContains(response, "&amp; ensure &lt;access&gt; to school")

    def test_it_shows_how_specific_each_result_is_and_whom_it_names(self) -> None:
        Analysis.objects.create(
            recommendation=self.refugees, action_category=4, protection_relevant=True
        )
        Analysis.objects.create(recommendation=self.torture, action_category=5)
        children = Term.objects.get(name="Children")
        Label.objects.create(recommendation=self.refugees, term=children, source="classifier")

        response = self.client.get("/", {"protection": "yes"})

        self.assertContains(response, "1 recommendation")
        self.assertContains(response, "4 (general action)")
        self.assertContains(response, "Protection-relevant")
        self.assertContains(response, "Names Children</span>")  # once, from two labels
        self.assertContains(response, "Relevant to displacement, conflict or disaster")
        self.assertContains(response, "4 · general action")
        # The action facet counts within the protection filter: the torture one is not there.
        self.assertNotContains(response, "5 · specific action")

    def test_it_names_a_selected_value_that_nothing_matches(self) -> None:
        response = self.client.get("/", {"protection": "yes", "action": "5", "position": "noted"})

        self.assertContains(response, "0 recommendations")
        self.assertContains(response, "Relevant to displacement, conflict or disaster")
        self.assertContains(response, "5 · specific action")
        self.assertContains(response, "Noted")

    def test_it_filters_by_facets(self) -> None:
        response = self.client.get("/", {"group": "Children"})

        self.assertContains(response, "1 recommendation")
        self.assertContains(response, "12(a)")
        self.assertContains(response, 'name="group" value="Children" checked')
        # The chip removes the filter again.
        self.assertContains(response, 'href="?">Children')

    def test_it_lists_facet_values_with_counts(self) -> None:
        response = self.client.get("/")

        self.assertContains(response, 'name="country" value="FRA"')
        self.assertContains(response, 'name="position" value="noted"')
        self.assertContains(response, "<legend>Group of persons</legend>")

    def test_it_returns_the_fragment_for_htmx(self) -> None:
        response = self.client.get("/", {"q": "torture"}, headers={"HX-Request": "true"})

        self.assertContains(response, 'id="search-results"')
        self.assertNotContains(response, "<html")
        self.assertNotContains(response, 'id="q"')

    def test_it_paginates(self) -> None:
        for n in range(30):
            make_recommendation(text=f"Consider measure {n}.")

        first = self.client.get("/", {"q": "consider"})
        second = self.client.get("/", {"q": "consider", "page": 2})

        self.assertContains(first, "Page 1 of 2")
        self.assertContains(first, "?q=consider&amp;page=2")
        self.assertContains(second, "Page 2 of 2")
        self.assertContains(second, 'class="result"', count=5)

    def test_it_reports_a_meaningless_filter(self) -> None:
        response = self.client.get("/", {"year": "soon"})

        self.assertContains(response, "year must be a number", status_code=400)

    def test_it_uses_a_constant_number_of_queries(self) -> None:
        self.client.get("/", {"q": "ratify OR consider OR protect"})
        # Facet counts computed, not read from the cache, both times.
        cache.clear()
        with CaptureQueriesContext(connection) as few:
            self.client.get("/", {"q": "ratify OR consider OR protect"})
        for n in range(40):
            make_recommendation(
                text=f"Consider ratifying instrument {n}.", recommending_states=["FRA", "DEU"]
            )
        cache.clear()

        with self.assertNumQueries(len(few)):
            self.client.get("/", {"q": "ratify OR consider OR protect"})

    def test_it_writes_right_to_left_in_arabic(self) -> None:
        self.client.post("/i18n/setlang/", {"language": "ar", "next": "/"})

        response = self.client.get("/")

        self.assertContains(response, 'lang="ar" dir="rtl"')
