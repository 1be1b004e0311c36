"""The number of SQL queries of every list page does not grow with the rows it shows.

Each page is rendered with N rows, then with 3N rows, and must ask the database the same
number of queries both times (issue 15 §3). The facet cache is emptied before each render, so
that the counts are computed (the cold page after a write), not read from the cache.

Pages covered here: search (no query, a query, a query with filters, an expanded facet, the
htmx fragment, a query that finds nothing and offers a hint), the country list, a country
page, a recommendation page (recommending States, labels, repeated recommendations), the
review queue and the groups list. The follow-up lists (/work/, /validation/, the management
lists) are counted the same way in test_followup_pages.py, the dashboard and the calendar in
deadlines/tests/test_dashboards.py.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rightstrack.analysis import services as analysis_services
from rightstrack.analysis.tests.util import AnalysisTestCase, suggest, term
from rightstrack.recommendations.models import Analysis, Label, Recommendation
from rightstrack.test import make_body, make_country, make_recommendation

N = 4
HX = {"HTTP_HX_REQUEST": "true"}


class QueryCountTestCase(AnalysisTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.france = make_country("FRA", "France")
        self.crc = make_body("CRC", "treaty_body", "Committee on the Rights of the Child")
        self.serial = 0

    def add(self, n: int) -> None:
        """Add *n* recommendations of France, each with States, labels, an analysis."""
        children, education = term("Children"), term("Right to education", "uhri_themes")
        for _ in range(n):
            self.serial += 1
            body = self.crc if self.serial % 2 else None
            rec = make_recommendation(
                country=self.france,
                body=body,
                text=f"Ratify the convention and protect children, number {self.serial}.",
                position="" if body else "supported",
                cycle=None if body else 3,
                recommending_states=[f"S{self.serial:02d}", "DEU"],
            )
            Label.objects.create(recommendation=rec, term=children, source="document")
            Label.objects.create(recommendation=rec, term=education, source="document")
            Analysis.objects.create(
                recommendation=rec, action_category=4 + self.serial % 2, protection_relevant=True
            )

    def count(self, url: str, **headers: str) -> tuple[int, list[str]]:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url, **headers)
        self.assertEqual(response.status_code, 200, url)
        return len(queries), [q["sql"][:160] for q in queries]

    def assert_constant(
        self,
        urls: list[str],
        grow: Callable[[int], None],
        *,
        shown: Callable[[str], int] | None = None,
    ) -> None:
        """Render each of *urls* after grow(N) and after grow(2N) more: same query counts.

        *shown*, given the page's HTML, says how many rows it shows: checked to have grown,
        so that the test cannot pass by showing nothing.
        """
        grow(N)
        for url in urls:
            self.client.get(url)  # sessions, content types: first-request queries
        small = {url: self.count(url) for url in urls}
        small_html = {url: self.client.get(url).content.decode() for url in urls}
        grow(2 * N)
        for url in urls:
            large = self.count(url)
            self.assertEqual(small[url][0], large[0], (url, large[1]))
            if shown is not None:
                html = self.client.get(url).content.decode()
                self.assertGreater(shown(html), shown(small_html[url]), url)

    @staticmethod
    def results(html: str) -> int:
        return html.count('<li class="result">')

    def test_search_pages(self) -> None:
        self.assert_constant(
            [
                "/",
                "/?q=ratify+children",
                "/?q=protect&country=FRA&position=supported",
                "/?q=convention&group=Children&theme=Right+to+education&more=country",
                "/?protection=yes&action=4&action=5",
                "/?recommending_state=DEU&sort=oldest",
            ],
            self.add,
            shown=self.results,
        )

    def test_search_fragment(self) -> None:
        self.add(N)
        self.client.get("/?q=children", **HX)
        small = self.count("/?q=children", **HX)
        self.add(2 * N)
        self.assertEqual(small[0], self.count("/?q=children", **HX)[0])

    def test_search_without_results_and_its_hint(self) -> None:
        # The hint counts the query without each of its words: one query per word, whatever
        # the number of recommendations.
        url = "/?q=convention+zanzibar"
        self.add(N)
        self.client.get(url)
        small = self.count(url)
        self.add(2 * N)
        large = self.count(url)
        self.assertEqual(small[0], large[0], large[1])
        self.assertContains(self.client.get(url), "Without “zanzibar”")

    def test_country_list_and_country_page(self) -> None:
        def grow(n: int) -> None:
            self.add(n)
            for i in range(n):  # more countries in the list too
                make_recommendation(country=make_country(f"Q{self.serial:02d}{i}"[:3]))
                self.serial += 1

        self.assert_constant(
            ["/countries/", "/countries/FRA/"],
            grow,
            shown=lambda html: html.count("<tr") + self.results(html),
        )

    def test_recommendation_page(self) -> None:
        rec = make_recommendation(country=self.france, text="Protect refugee children.")
        url = f"/recommendations/{rec.code}/"
        themes = [t for t in term("Children").taxonomy.terms.all()]

        def grow(n: int) -> None:
            done = rec.recommending_states.count()
            rec.recommending_states.add(
                *[make_country(f"R{done + i:02d}", f"State {done + i}") for i in range(n)]
            )
            for t in themes[done : done + n]:
                Label.objects.create(recommendation=rec, term=t, source="document")
            for i in range(n):
                make_recommendation(country=self.france, repeats=rec, text=f"Again {done + i}.")

        self.assert_constant([url], grow, shown=lambda html: html.count("State "))

    def test_review_queue(self) -> None:
        self.client.force_login(self.alice)

        def grow(n: int) -> None:
            for i in range(n):
                rec = make_recommendation(text=f"Protect children {self.serial} {i}.")
                suggest(rec, "Children")
                suggest(rec, "Right to education", "uhri_themes", confidence=0.4)
            self.serial += 1

        self.assert_constant(
            ["/review/", "/review/?state=suggested"],
            grow,
            shown=lambda html: html.count("Protect children"),
        )

    def test_groups_list(self) -> None:
        self.client.force_login(self.carol)

        def grow(n: int) -> None:
            for _ in range(n):
                self.serial += 1
                pair = [
                    make_recommendation(text=f"Ratify the convention on topic {self.serial} {w}.")
                    for w in "ab"
                ]
                analysis_services.propose_groups(
                    Recommendation.objects.filter(pk__in=[r.pk for r in pair])
                )

        self.assert_constant(
            ["/groups/"], grow, shown=lambda html: html.count("Ratify the convention on topic")
        )
