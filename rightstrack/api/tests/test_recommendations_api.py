from __future__ import annotations

import uuid

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from rightstrack.accounts.models import ApiToken
from rightstrack.formats import records
from rightstrack.recommendations.models import Analysis, Label, Taxonomy, Term
from rightstrack.test import BaseTestCase, make_body, make_country, make_recommendation

#: The personas hash four passwords per test; a fast hasher keeps these tests quick.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class RecommendationsApiTestCase(BaseTestCase):
    url = "/api/v1/recommendations"

    def setUp(self) -> None:
        super().setUp()
        self.france = make_country("FRA", "France")
        self.torture = make_recommendation(
            paragraph="118.5",
            position="noted",
            cycle=3,
            recommending_states=["FRA"],
            text="Ratify the Optional Protocol to the Convention against Torture.",
        )
        self.children = make_recommendation(
            country=self.france,
            body=make_body("CRC", "treaty_body"),
            year=2020,
            text="Protect the rights of refugee children.",
        )
        taxonomy = Taxonomy.objects.create(slug=records.GROUPS_OF_PERSONS, name="Groups of persons")
        term = Term.objects.create(taxonomy=taxonomy, name="Children")
        Label.objects.create(
            recommendation=self.children, term=term, source="classifier", confidence=0.9
        )

    def test_it_lists_newest_first_anonymously(self) -> None:
        data = self.client.get(self.url).json()

        self.assertEqual(data["count"], 2)
        self.assertEqual([r["text"][:7] for r in data["results"]], ["Ratify ", "Protect"])
        self.assertIsNone(data["facets"])

    def test_it_searches_and_filters(self) -> None:
        data = self.client.get(
            self.url, {"q": "torture", "country": "ZZA", "position": "noted"}
        ).json()

        self.assertEqual(data["count"], 1)
        result = data["results"][0]
        self.assertEqual(result["code"], str(self.torture.code))
        self.assertEqual(result["recommending_states"], [{"code": "FRA", "name": "France"}])
        self.assertEqual(result["country"], {"code": "ZZA", "name": "Arcadia"})
        self.assertEqual(result["url"], f"/recommendations/{self.torture.code}/")

    def test_it_filters_by_the_analysis(self) -> None:
        Analysis.objects.create(
            recommendation=self.children, action_category=4, protection_relevant=True
        )
        Analysis.objects.create(recommendation=self.torture, action_category=5)

        protection = self.client.get(self.url, {"protection": "true"}).json()
        others = self.client.get(self.url, {"protection": "false", "facets": "true"}).json()
        specific = self.client.get(f"{self.url}?action=5&action=3").json()

        self.assertEqual([r["code"] for r in protection["results"]], [str(self.children.code)])
        self.assertEqual([r["code"] for r in others["results"]], [str(self.torture.code)])
        self.assertEqual(others["facets"]["protection"]["values"][0]["count"], 1)
        self.assertEqual([r["code"] for r in specific["results"]], [str(self.torture.code)])

    def test_it_accepts_repeated_filters(self) -> None:
        data = self.client.get(f"{self.url}?country=ZZA&country=FRA&group=Children").json()

        self.assertEqual(data["count"], 1)

    def test_it_returns_facets_on_request(self) -> None:
        data = self.client.get(self.url, {"facets": "true"}).json()

        self.assertEqual(
            data["facets"]["body"]["values"],
            [
                {"value": "CRC", "label": "CRC", "count": 1},
                {"value": "UPR", "label": "UPR", "count": 1},
            ],
        )
        self.assertEqual(
            data["facets"]["group"]["values"],
            [{"value": "Children", "label": "Children", "count": 1}],
        )

    def test_it_paginates(self) -> None:
        data = self.client.get(self.url, {"page_size": 1, "page": 2}).json()

        self.assertEqual((data["count"], data["pages"], len(data["results"])), (2, 2, 1))

    def test_it_answers_errors_with_400_and_a_message(self) -> None:
        for params, fragment in (
            ({"year": "x"}, "year"),
            ({"position": "maybe"}, "position: Input should be 'supported'"),
            ({"page_size": 1000}, "page_size"),
        ):
            with self.subTest(params=params):
                response = self.client.get(self.url, params)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(set(response.json()), {"detail", "error"})
                self.assertIn(fragment, response.json()["error"])

    def test_it_shows_one_recommendation_with_labels(self) -> None:
        data = self.client.get(f"{self.url}/{self.children.code}").json()

        self.assertEqual(data["text"], "Protect the rights of refugee children.")
        self.assertEqual(
            data["labels"],
            [
                {
                    "taxonomy": "groups_of_persons",
                    "code": "",
                    "name": "Children",
                    "source": "classifier",
                    "confidence": 0.9,
                    "origin": "",
                    "review_state": "accepted",
                }
            ],
        )
        self.assertIsNone(data["analysis"])

    def test_it_returns_404_for_an_unknown_code(self) -> None:
        response = self.client.get(f"{self.url}/{uuid.uuid4()}")

        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["detail"], "not found")

    def test_it_accepts_a_valid_token(self) -> None:
        token, plain = ApiToken.issue(self.carol, "laptop")

        response = self.client.get(self.url, headers={"Authorization": f"Bearer {plain}"})

        self.assertEqual(response.status_code, 200)
        token.refresh_from_db()
        self.assertIsNotNone(token.last_used)

    def test_it_refuses_a_bad_token(self) -> None:
        response = self.client.get(self.url, headers={"Authorization": "Bearer rt_wrong"})

        self.assertEqual(response.status_code, 401)
        self.assertIn("error", response.json())

    def test_it_uses_a_constant_number_of_queries(self) -> None:
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url)
        for n in range(30):
            make_recommendation(
                text=f"Consider ratifying instrument {n}.", recommending_states=["FRA", "DEU"]
            )

        with self.assertNumQueries(len(few)):
            self.client.get(self.url)


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class CountriesAndFacetsApiTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        make_recommendation(cycle=3, position="supported")
        make_recommendation(cycle=4, position="noted")
        make_recommendation(country=make_country("FRA", "France"))

    def test_it_lists_countries(self) -> None:
        data = self.client.get("/api/v1/countries").json()

        self.assertEqual(
            data,
            [
                {"code": "ZZA", "name": "Arcadia", "recommendations": 2},
                {"code": "FRA", "name": "France", "recommendations": 1},
            ],
        )

    def test_it_shows_one_country_with_counts(self) -> None:
        data = self.client.get("/api/v1/countries/zza").json()

        self.assertEqual(data["recommendations"], 2)
        self.assertEqual(
            data["facets"]["cycle"]["values"],
            [
                {"value": "3", "label": "Cycle 3", "count": 1},
                {"value": "4", "label": "Cycle 4", "count": 1},
            ],
        )
        self.assertEqual(self.client.get("/api/v1/countries/XXX").status_code, 404)

    def test_it_counts_facets_for_filters(self) -> None:
        data = self.client.get("/api/v1/facets", {"position": "noted", "limit": 5}).json()

        self.assertEqual(
            data["position"]["values"],
            [
                {"value": "noted", "label": "Noted", "count": 1},
                {"value": "supported", "label": "Supported", "count": 1},
            ],
        )
        self.assertEqual(
            data["country"]["values"], [{"value": "ZZA", "label": "Arcadia", "count": 1}]
        )

    def test_it_publishes_the_openapi_document(self) -> None:
        data = self.client.get("/api/v1/openapi.json").json()

        self.assertEqual(data["info"]["title"], "rightstrack API")
        for path in (
            "/api/v1/recommendations",
            "/api/v1/recommendations/{code}",
            "/api/v1/countries",
            "/api/v1/countries/{code}",
            "/api/v1/facets",
            "/api/v1/imports",
        ):
            with self.subTest(path=path):
                self.assertIn(path, data["paths"])
