from __future__ import annotations

from unittest import skipUnless

from django.db import connection
from django.test import SimpleTestCase, TestCase

from rightstrack.formats import records
from rightstrack.lib import wordforms
from rightstrack.recommendations import search
from rightstrack.recommendations.models import Analysis, Label, Recommendation, Taxonomy, Term
from rightstrack.test import make_body, make_country, make_recommendation


def _term(slug: str, name: str, code: str = "") -> Term:
    taxonomy, _ = Taxonomy.objects.get_or_create(slug=slug, defaults={"name": slug})
    return Term.objects.get_or_create(taxonomy=taxonomy, name=name, defaults={"code": code})[0]


def _label(
    rec: Recommendation, term: Term, source: str = "document", state: str = "accepted"
) -> Label:
    return Label.objects.create(recommendation=rec, term=term, source=source, review_state=state)


def _paragraphs(qs) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(r.paragraph for r in qs)


class ParseQueryTestCase(SimpleTestCase):
    def test_it_parses_words_phrases_or_and_exclusions(self) -> None:
        parsed = search.parse_query('ratify "optional protocol" torture OR cruel -death')

        def forms(word: str) -> list[search.Phrase]:
            return [search.Phrase((w,), p) for w, p in wordforms.forms(word)]

        self.assertEqual(
            parsed.must,
            [
                forms("ratify"),
                [search.Phrase(("optional", "protocol"))],
                [*forms("torture"), *forms("cruel")],
            ],
        )
        self.assertEqual(parsed.exclude, [search.Phrase(("death",))])
        self.assertEqual(parsed.typed, ["ratify", "optional protocol", "torture OR cruel"])

    def test_it_renders_both_engines_from_plain_words_only(self) -> None:
        parsed = search.parse_query('ratif* "women\'s rights" -"death penalty" "NEAR(a:b)" "{x}"')

        self.assertEqual(
            search.to_fts5(parsed.must, parsed.exclude),
            '("ratif"* AND "women s rights" AND "near a b" AND "x") NOT "death penalty"',
        )
        self.assertEqual(
            search.to_tsquery(parsed.must, parsed.exclude),
            "(ratif:* & (women <-> s <-> rights) & (near <-> a <-> b) & x) & !(death <-> penalty)",
        )

    def test_it_ignores_input_without_words(self) -> None:
        self.assertFalse(search.parse_query('* - OR ( ) : ^ "'))


class FullTextTestCase(TestCase):
    def setUp(self) -> None:
        self.a = make_recommendation(
            paragraph="1", text="Ratify the Optional Protocol to the Convention against Torture."
        )
        self.b = make_recommendation(
            paragraph="2",
            text="Consider ratifying the Convention on the Rights of Persons with Disabilities.",
        )
        self.c = make_recommendation(
            paragraph="3",
            text="Abolish the death penalty; the death penalty must never apply to children.",
        )
        self.d = make_recommendation(
            paragraph="4",
            text="Garantir l'accès à l'éducation des enfants déplacés.",
            language="fr",
        )

    def test_it_finds_words_in_any_order_and_form(self) -> None:
        qs = search.filter_recommendations(query="convention ratify")

        self.assertEqual(_paragraphs(qs), ["1", "2"])
        qs = search.filter_recommendations(query='convention "ratify"')
        self.assertEqual(_paragraphs(qs), ["1"])

    def test_it_finds_phrases_only_when_adjacent(self) -> None:
        self.assertEqual(
            _paragraphs(search.filter_recommendations(query='"optional protocol"')), ["1"]
        )
        self.assertEqual(
            _paragraphs(search.filter_recommendations(query='"protocol optional"')), []
        )

    def test_it_finds_either_word_with_or(self) -> None:
        qs = search.filter_recommendations(query="torture OR disabilities")

        self.assertEqual(_paragraphs(qs), ["1", "2"])

    def test_it_excludes_words(self) -> None:
        self.assertEqual(
            _paragraphs(search.filter_recommendations(query="convention -torture")), ["2"]
        )
        self.assertEqual(
            _paragraphs(search.filter_recommendations(query="-convention")), ["3", "4"]
        )

    def test_it_finds_prefixes(self) -> None:
        qs = search.filter_recommendations(query="ratif*")

        self.assertEqual(_paragraphs(qs), ["1", "2"])

    def test_it_ranks_better_matches_first(self) -> None:
        make_recommendation(paragraph="5", text="Ensure that children are protected.")

        ranked = list(search.filter_recommendations(query="death penalty"))

        self.assertEqual(ranked[0].paragraph, "3")
        self.assertGreater(ranked[0].rank, 0)

    @skipUnless(connection.vendor == "sqlite", "accent folding is FTS5's remove_diacritics")
    def test_it_ignores_accents_on_sqlite(self) -> None:
        qs = search.filter_recommendations(query="education deplaces")

        self.assertEqual(_paragraphs(qs), ["4"])

    def test_it_never_breaks_on_hostile_input(self) -> None:
        for query in [
            '"',
            "NEAR(a b",
            "a:b",
            "*",
            "AND OR NOT",
            "'); DROP TABLE x; --",
            "-",
            '"unclosed',
            "^x",
            "a\x00b",
        ]:
            with self.subTest(query=query):
                list(search.filter_recommendations(query=query))

    def test_it_follows_updates_and_deletes(self) -> None:
        self.a.text = "Establish a national preventive mechanism."
        self.a.save()
        self.c.delete()

        self.assertEqual(_paragraphs(search.filter_recommendations(query="preventive")), ["1"])
        self.assertEqual(_paragraphs(search.filter_recommendations(query="torture")), [])
        self.assertEqual(_paragraphs(search.filter_recommendations(query="penalty")), [])

    def test_it_combines_query_and_filters(self) -> None:
        crpd = make_body("CRPD", "treaty_body")
        make_recommendation(
            paragraph="9", body=crpd, text="Ratify the Convention on migrant workers."
        )

        qs = search.filter_recommendations(query="ratify", body="CRPD")

        self.assertEqual(_paragraphs(qs), ["9"])


class FacetCountsTestCase(TestCase):
    """A small known set: 3 recommendations to Arcadia, 2 to France."""

    def setUp(self) -> None:
        arcadia, france = make_country("ZZA", "Arcadia"), make_country("FRA", "France")
        upr, crc = make_body("UPR", "upr"), make_body("CRC", "treaty_body")
        self.r1 = make_recommendation(
            paragraph="1",
            country=arcadia,
            body=upr,
            cycle=3,
            year=2017,
            position="supported",
            text="Protect internally displaced children.",
        )
        self.r2 = make_recommendation(
            paragraph="2",
            country=arcadia,
            body=upr,
            cycle=4,
            year=2022,
            position="noted",
            text="Ratify the Convention on statelessness.",
        )
        self.r3 = make_recommendation(
            paragraph="3",
            country=arcadia,
            body=crc,
            year=2022,
            text="Register the birth of every displaced child.",
        )
        self.r4 = make_recommendation(
            paragraph="4",
            country=france,
            body=upr,
            cycle=4,
            year=2023,
            position="supported",
            text="Protect refugees.",
        )
        self.r5 = make_recommendation(
            paragraph="5",
            country=france,
            body=crc,
            year=2023,
            text="Protect children in detention.",
        )
        idps = _term(records.GROUPS_OF_PERSONS, "Internally displaced persons")
        children = _term(records.GROUPS_OF_PERSONS, "Children")
        education = _term(records.THEMES, "Right to education")
        nationality = _term(records.THEMES, "Rights related to name, identity & nationality")
        goal16 = _term(records.SDG_GOALS, "Peace, justice and strong institutions", "16")
        target169 = _term(records.SDG_TARGETS, "Legal identity for all", "16.9")
        _label(self.r1, idps)
        _label(self.r1, idps, source="classifier")  # same term twice: counts once
        _label(self.r1, children)
        _label(self.r3, idps)
        _label(self.r3, children)
        _label(self.r5, children)
        _label(self.r4, children, source="classifier", state="rejected")  # rejected: never counts
        _label(self.r2, nationality)
        _label(self.r3, nationality)
        _label(self.r1, education)
        _label(self.r3, target169)
        _label(self.r2, goal16)
        for rec, category, protection in (
            (self.r1, 4, True),
            (self.r2, 5, True),
            (self.r3, 5, True),
            (self.r4, 4, False),
        ):  # r5 is not analysed
            Analysis.objects.create(
                recommendation=rec, action_category=category, protection_relevant=protection
            )

    def counts(self, facets: dict[str, search.FacetList], name: str) -> dict[str, int]:
        return {f.value: f.count for f in facets[name]}

    def test_it_counts_every_facet_over_everything(self) -> None:
        facets = search.facet_counts(Recommendation.objects.all())

        self.assertEqual(self.counts(facets, "country"), {"ZZA": 3, "FRA": 2})
        self.assertEqual(self.counts(facets, "body"), {"UPR": 3, "CRC": 2})
        self.assertEqual(self.counts(facets, "mechanism"), {"upr": 3, "treaty_body": 2})
        self.assertEqual(self.counts(facets, "cycle"), {"3": 1, "4": 2})
        self.assertEqual(self.counts(facets, "year"), {"2017": 1, "2022": 2, "2023": 2})
        self.assertEqual(self.counts(facets, "position"), {"supported": 2, "noted": 1})
        self.assertEqual(
            self.counts(facets, "group"), {"Children": 3, "Internally displaced persons": 2}
        )
        self.assertEqual(
            self.counts(facets, "theme"),
            {"Rights related to name, identity & nationality": 2, "Right to education": 1},
        )
        self.assertEqual(self.counts(facets, "sdg"), {"16": 1, "16.9": 1})
        self.assertEqual(self.counts(facets, "action"), {"4": 2, "5": 2})
        self.assertEqual(self.counts(facets, "protection"), {"yes": 3})

    def test_it_counts_and_filters_by_the_analysis(self) -> None:
        qs = search.filter_recommendations(query="protect")
        facets = search.facet_counts(qs, ["action", "protection"])

        self.assertEqual(self.counts(facets, "action"), {"4": 2})
        self.assertEqual(self.counts(facets, "protection"), {"yes": 1})
        self.assertEqual(facets["action"][0].label, "4 · general action")
        self.assertEqual(
            _paragraphs(search.filter_recommendations(protection="yes")), ["1", "2", "3"]
        )
        self.assertEqual(_paragraphs(search.filter_recommendations(protection="no")), ["4"])
        self.assertEqual(
            _paragraphs(search.filter_recommendations(protection="yes", action=[5])), ["2", "3"]
        )
        self.assertEqual(
            self.counts(search.search_facets({"action": ["5"]}), "action"), {"4": 2, "5": 2}
        )

    def test_it_counts_within_a_search(self) -> None:
        qs = search.filter_recommendations(query="displaced OR children")

        facets = search.facet_counts(qs)

        self.assertEqual(qs.count(), 3)
        self.assertEqual(self.counts(facets, "country"), {"ZZA": 2, "FRA": 1})
        self.assertEqual(self.counts(facets, "position"), {"supported": 1})
        self.assertEqual(
            self.counts(facets, "group"), {"Children": 3, "Internally displaced persons": 2}
        )
        self.assertEqual(self.counts(facets, "year"), {"2017": 1, "2022": 1, "2023": 1})

    def test_it_lists_values_in_order_with_labels(self) -> None:
        facets = search.facet_counts(Recommendation.objects.all(), ["country", "year", "mechanism"])

        self.assertEqual(facets["country"][0], search.FacetValue("ZZA", "Arcadia", 3))
        self.assertEqual([f.value for f in facets["year"]], ["2023", "2022", "2017"])
        self.assertEqual(facets["mechanism"][0].label, "Universal Periodic Review")

    def test_it_limits_values_and_says_there_are_more(self) -> None:
        facets = search.facet_counts(Recommendation.objects.all(), ["country", "body"], limit=1)

        self.assertEqual([f.value for f in facets["country"]], ["ZZA"])
        self.assertTrue(facets["country"].more)

    def test_it_filters_by_labels(self) -> None:
        self.assertEqual(
            _paragraphs(search.filter_recommendations(group="Children")), ["1", "3", "5"]
        )
        self.assertEqual(
            _paragraphs(
                search.filter_recommendations(group="Children", theme="Right to education")
            ),
            ["1"],
        )

    def test_it_filters_a_goal_with_its_targets(self) -> None:
        self.assertEqual(_paragraphs(search.filter_recommendations(sdg="16")), ["2", "3"])
        self.assertEqual(_paragraphs(search.filter_recommendations(sdg="16.9")), ["3"])

    def test_it_filters_by_column_values(self) -> None:
        self.assertEqual(
            _paragraphs(search.filter_recommendations(country=["zza"], cycle=4)), ["2"]
        )
        self.assertEqual(_paragraphs(search.filter_recommendations(position="none")), ["3", "5"])
        self.assertEqual(
            _paragraphs(search.filter_recommendations(year=[2017, 2023], mechanism="upr")),
            ["1", "4"],
        )

    def test_it_counts_a_filtered_facet_without_its_own_filter(self) -> None:
        facets = search.search_facets({"country": ["FRA"]})

        self.assertEqual(self.counts(facets, "country"), {"ZZA": 3, "FRA": 2})
        self.assertEqual(self.counts(facets, "body"), {"UPR": 1, "CRC": 1})

    def test_it_rejects_meaningless_filters(self) -> None:
        for kwargs in (
            {"year": "soon"},
            {"position": "maybe"},
            {"mechanism": "court"},
            {"protection": "perhaps"},
            {"action": 7},
        ):
            with self.subTest(**kwargs), self.assertRaises(search.InvalidFilter):
                search.filter_recommendations(**kwargs)

    def test_it_reads_filters_from_query_parameters(self) -> None:
        from django.http import QueryDict

        params = QueryDict("q=+torture+&country=FRA&country=DEU&year=&follow_up=true&page=2")

        self.assertEqual(
            search.filters_from_params(params),
            {"country": ["FRA", "DEU"], "follow_up": True, "query": "torture"},
        )
