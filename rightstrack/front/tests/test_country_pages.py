from __future__ import annotations

from django.test import override_settings

from rightstrack.test import BaseTestCase, make_body, make_country, make_recommendation

#: The personas hash four passwords per test; a fast hasher keeps these tests quick.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class CountryPagesTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        crc = make_body("CRC", "treaty_body")
        make_recommendation(cycle=3, year=2018, position="supported", text="Protect children.")
        make_recommendation(cycle=4, year=2023, position="noted", text="Abolish the death penalty.")
        make_recommendation(cycle=4, year=2023, position="supported", text="Ratify the Convention.")
        make_recommendation(body=crc, year=2020, text="Register births.")
        make_recommendation(country=make_country("FRA", "France"), text="Protect refugees.")

    def test_it_lists_countries_with_counts(self) -> None:
        response = self.client.get("/countries/")

        self.assertContains(
            response,
            '<a href="/countries/ZZA/">Arcadia</a></th><td>ZZA</td><td class="num">4</td>',
            html=False,
        )
        self.assertContains(response, "France")
        self.assertContains(response, '<th scope="col"', count=3)

    def test_it_counts_by_body_cycle_and_position(self) -> None:
        response = self.client.get("/countries/zza/")

        self.assertContains(response, "4 recommendations from all mechanisms and cycles.")
        by_cycle = [
            (r["cycle"], r["n"], r["supported"], r["noted"]) for r in response.context["by_cycle"]
        ]
        self.assertEqual(by_cycle, [(3, 1, 1, 0), (4, 2, 1, 1)])
        by_body = {
            r["body__code"]: (r["n"], r["first"], r["last"]) for r in response.context["by_body"]
        }
        self.assertEqual(by_body, {"UPR": (3, 2018, 2023), "CRC": (1, 2020, 2020)})
        self.assertContains(response, "/?country=ZZA&amp;body=CRC")
        self.assertNotContains(response, "Protect refugees.")

    def test_it_returns_404_for_an_unknown_country(self) -> None:
        self.assertEqual(self.client.get("/countries/XXX/").status_code, 404)
