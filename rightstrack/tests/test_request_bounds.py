"""Requests that used to crash the server (issue 16 §2): out-of-range numbers, Unicode digits,
huge pages, long queries. Each answers 400 (or a page), never 500, on the web and the API."""

from __future__ import annotations

import contextlib
import time

from django.test import override_settings

from rightstrack.recommendations.search import parse_query
from rightstrack.test import BaseTestCase, make_recommendation

HUGE = "9" * 23


class RequestBoundsTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.rec = make_recommendation(text="Ratify the Convention", year=2020, cycle=3)

    def assert_refused(self, url: str, *, api: bool = False) -> None:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 400, f"{url}: {response.content[:300]!r}")
        if api:
            self.assertIn("error", response.json())

    def test_it_refuses_out_of_range_numbers_on_the_search_page(self) -> None:
        for name in ("year", "cycle", "action"):
            self.assert_refused(f"/?{name}={HUGE}")
            self.assert_refused(f"/?{name}=²")
        self.assertEqual(self.client.get(f"/?page={HUGE}").status_code, 200)
        self.assertEqual(self.client.get(f"/?page={HUGE}&recommending_state=123").status_code, 200)

    def test_it_refuses_out_of_range_numbers_on_the_api(self) -> None:
        for name in ("year", "cycle", "action"):
            self.assert_refused(f"/api/v1/recommendations?{name}={HUGE}", api=True)
            self.assert_refused(f"/api/v1/facets?{name}={HUGE}", api=True)
        self.assert_refused(f"/api/v1/recommendations?page={HUGE}", api=True)
        self.assert_refused(f"/api/v1/recommendations?page={HUGE}&recommending_state=123", api=True)
        self.assert_refused("/api/v1/recommendations?page_size=0", api=True)
        self.assert_refused("/api/v1/facets?limit=0", api=True)
        self.assert_refused(f"/api/v1/facets?limit={HUGE}", api=True)

    @override_settings(DEBUG=False)
    def test_it_refuses_them_with_production_settings_too(self) -> None:
        self.assert_refused(f"/?year={HUGE}")
        self.assert_refused(f"/api/v1/recommendations?cycle={HUGE}", api=True)
        self.assertEqual(self.client.get(f"/countries/ZZA/?page={HUGE}").status_code, 200)

    def test_it_answers_quickly_for_a_long_query(self) -> None:
        query = " ".join(["a*"] * 5000)
        started = time.monotonic()
        page = self.client.get("/", {"q": query})
        api = self.client.get("/api/v1/recommendations", {"q": query, "facets": "true"})
        self.assertLess(time.monotonic() - started, 5)
        self.assertIn(page.status_code, (200, 400))
        self.assertIn(api.status_code, (200, 400))

    def test_it_refuses_a_nul_character_anywhere(self) -> None:
        for url in ("/?q=a%00b", "/countries/K%00EN/", "/api/v1/recommendations?country=K%00EN"):
            self.assert_refused(url, api=url.startswith("/api/"))
        self.client.force_login(self.alice)
        self.assertEqual(self.client.post("/import/", {"kind": "a\x00"}).status_code, 400)
        # The database answers the next query as usual (no aborted transaction).
        self.assertEqual(self.client.get("/api/v1/recommendations").status_code, 200)

    def test_it_bounds_the_parsed_query(self) -> None:
        parsed = parse_query(" ".join(["a*"] * 5000) + " OR ".join(["b"] * 5000))
        self.assertLessEqual(sum(len(g) for g in parsed.must) + len(parsed.exclude), 32)

    def test_it_ignores_unicode_digits_in_review_forms(self) -> None:
        self.client.force_login(self.alice)
        for url in (
            f"/analysis/review/{HUGE}/accept/",
            f"/analysis/review/{HUGE}/correct/",
        ):
            response = self.client.post(url, {"term": "²"})
            self.assertIn(response.status_code, (403, 404), url)

    def test_it_answers_404_for_huge_ids_in_urls(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(f"/analysis/review/{HUGE}/").status_code, 404)

    def test_it_searches_any_query_cleanly(self) -> None:
        """Any text as a query (web, API, search functions): a page or a 400, never a 500."""
        from hypothesis import HealthCheck, given, settings
        from hypothesis import strategies as st

        from rightstrack.recommendations.models import Recommendation
        from rightstrack.recommendations.search import InvalidFilter, filter_recommendations

        pieces = st.sampled_from(['"', "*", "-", "OR", " ", "a*", "NOT", "(", ")", "^", ":"])

        @settings(
            max_examples=60,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(query=st.lists(st.one_of(pieces, st.text(max_size=12)), max_size=20).map("".join))
        def check(query: str) -> None:
            with contextlib.suppress(InvalidFilter):
                list(filter_recommendations(Recommendation.objects.all(), query=query)[:5])
            self.assertIn(self.client.get("/", {"q": query}).status_code, (200, 400))
            api = self.client.get("/api/v1/recommendations", {"q": query})
            self.assertIn(api.status_code, (200, 400), api.content[:200])

        check()


class StrictIdsTestCase(BaseTestCase):
    def test_it_reads_only_ascii_ids_within_the_database(self) -> None:
        from rightstrack.lib.params import MAX_ID, to_id, to_ids

        values = ["12", "²", "٣", "-1", "0", HUGE, str(MAX_ID), " 7 "]
        self.assertEqual(to_ids(values), [12, MAX_ID, 7])
        self.assertIsNone(to_id(str(MAX_ID + 1)))
        self.assertIsNone(to_id(None))
