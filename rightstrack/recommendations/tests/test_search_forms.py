"""Search that finds what people type: word forms in three languages, stop words, accents, and
a hint when nothing matches. Run on both databases (the suite runs on SQLite and PostgreSQL)."""

from __future__ import annotations

from django.test import SimpleTestCase, TestCase

from rightstrack.lib import wordforms
from rightstrack.recommendations import search
from rightstrack.test import make_body, make_recommendation


def _paragraphs(qs) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(r.paragraph for r in qs)


class WordFormsTestCase(SimpleTestCase):
    def test_a_word_and_its_derived_forms_share_a_prefix(self) -> None:
        for typed, found in [
            ("stateless", "statelessness"),
            ("statelessness", "stateless"),
            ("children", "children"),
            ("discrimination", "discriminatory"),
            ("enfant", "enfants"),
            ("niño", "niños"),
            ("personas", "persona"),
        ]:
            with self.subTest(typed=typed):
                forms = wordforms.forms(typed)
                self.assertTrue(
                    any(found == w or (p and found.startswith(w)) for w, p in forms), forms
                )

    def test_a_short_stem_is_not_a_prefix(self) -> None:
        forms = wordforms.forms("art")
        self.assertIn(("art", False), forms)
        self.assertFalse(any(p for _, p in forms), forms)
        self.assertFalse(any("article".startswith(w) and p for w, p in forms))


class SearchFormsTestCase(TestCase):
    def setUp(self) -> None:
        make_recommendation(paragraph="1", text="Prevent statelessness among children born abroad.")
        make_recommendation(paragraph="2", text="Protect older persons in humanitarian settings.")
        make_recommendation(
            paragraph="3",
            language="fr",
            text="Garantir l'accès des enfants déplacés à l'éducation dans les régions.",
        )
        make_recommendation(
            paragraph="4", language="es", text="Proteger a los niños migrantes no acompañados."
        )
        make_recommendation(paragraph="5", text="Ratify the Convention against Torture.")

    def test_it_finds_word_forms_in_english_french_and_spanish(self) -> None:
        self.assertEqual(_paragraphs(search.filter_recommendations(query="stateless")), ["1"])
        self.assertEqual(_paragraphs(search.filter_recommendations(query="enfant")), ["3"])
        self.assertEqual(_paragraphs(search.filter_recommendations(query="niño migrante")), ["4"])
        self.assertEqual(_paragraphs(search.filter_recommendations(query="ratification")), ["5"])

    def test_it_ignores_accents_on_both_databases(self) -> None:
        self.assertEqual(_paragraphs(search.filter_recommendations(query="deplaces")), ["3"])
        self.assertEqual(_paragraphs(search.filter_recommendations(query="régions")), ["3"])
        self.assertEqual(_paragraphs(search.filter_recommendations(query="ninos")), ["4"])

    def test_it_leaves_out_stop_words_but_not_inside_a_phrase(self) -> None:
        parsed = search.parse_query("older persons in emergencies")
        self.assertEqual(parsed.ignored, ["in"])
        self.assertEqual(
            _paragraphs(search.filter_recommendations(query="protect the older persons")), ["2"]
        )
        self.assertEqual(
            _paragraphs(search.filter_recommendations(query='"older persons in humanitarian"')),
            ["2"],
        )
        self.assertEqual(
            _paragraphs(search.filter_recommendations(query='"older persons for humanitarian"')),
            [],
        )

    def test_a_query_of_stop_words_only_looks_for_them(self) -> None:
        self.assertEqual(search.parse_query("the").ignored, [])
        self.assertTrue(search.parse_query("the").must)

    def test_phrases_and_or_stay_exact(self) -> None:
        self.assertEqual(_paragraphs(search.filter_recommendations(query='"older person"')), [])
        self.assertEqual(
            _paragraphs(search.filter_recommendations(query="torture OR statelessness")),
            ["1", "5"],
        )

    def test_it_hints_the_closest_query_when_nothing_matches(self) -> None:
        query = "older persons emergencies"
        qs = search.filter_recommendations(query=query)
        self.assertEqual(list(qs), [])

        hint = search.no_result_hint(search.filter_recommendations(), query)

        self.assertIsNotNone(hint)
        assert hint is not None
        self.assertEqual(
            (hint.query, hint.count, hint.dropped), ("older persons", 1, "emergencies")
        )

    def test_the_hint_keeps_the_filters(self) -> None:
        crpd = make_body("CRPD", "treaty_body")
        make_recommendation(
            paragraph="9", body=crpd, text="Include older persons with disabilities."
        )

        hint = search.no_result_hint(
            search.filter_recommendations(body="CRPD"), "older persons emergencies"
        )

        assert hint is not None
        self.assertEqual(hint.count, 1)

    def test_no_hint_for_one_word_or_when_nothing_is_close(self) -> None:
        qs = search.filter_recommendations()
        self.assertIsNone(search.no_result_hint(qs, "zebra"))
        self.assertIsNone(search.no_result_hint(qs, "zebra giraffe"))


class SearchPageHintTestCase(TestCase):
    def test_the_search_page_and_the_api_offer_the_hint(self) -> None:
        make_recommendation(paragraph="2", text="Protect older persons in humanitarian settings.")
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_user("reader@example.org", password="pw-1234567")
        self.client.force_login(user)

        page = self.client.get("/", {"q": "older persons emergencies"})
        self.assertContains(page, "Without “emergencies”")
        self.assertContains(page, "older+persons")

        api = self.client.get("/api/v1/recommendations", {"q": "older persons emergencies"})
        self.assertEqual(api.status_code, 200)
        self.assertEqual(
            api.json()["hint"], {"query": "older persons", "count": 1, "dropped": "emergencies"}
        )
