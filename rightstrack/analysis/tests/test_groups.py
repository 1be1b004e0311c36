from __future__ import annotations

from datetime import date

from django.core.management import call_command

from rightstrack.analysis import services
from rightstrack.analysis.exceptions import GroupError
from rightstrack.analysis.tests.util import AnalysisTestCase
from rightstrack.recommendations.models import GroupMembership, Recommendation, RecommendationGroup
from rightstrack.test import make_body, make_country, make_recommendation

DOMESTIC_VIOLENCE = [
    "Adopt a comprehensive law criminalising domestic violence, including marital rape.",
    "Adopt comprehensive legislation that criminalises domestic violence and marital rape.",
    "The Committee recommends that the State party adopt a comprehensive law criminalising "
    "domestic violence, including marital rape.",
]
DEATH_PENALTY = [
    "Abolish the death penalty and ratify the Second Optional Protocol to the Covenant.",
    "Abolish the death penalty and ratify the Second Optional Protocol to the ICCPR.",
]
OTHER = "Establish a national human rights institution in line with the Paris Principles."


def _members(group: RecommendationGroup) -> set[str]:
    return set(group.memberships.values_list("recommendation__text", flat=True))


class ProposeGroupsTestCase(AnalysisTestCase):
    def setUp(self) -> None:
        super().setUp()
        cedaw = make_body("CEDAW", "treaty_body")
        self.recs = [
            make_recommendation(text=t, year=2015 + i) for i, t in enumerate(DOMESTIC_VIOLENCE[:2])
        ]
        self.recs.append(make_recommendation(text=DOMESTIC_VIOLENCE[2], body=cedaw, year=2018))
        self.recs += [make_recommendation(text=t, year=2019) for t in DEATH_PENALTY]
        self.recs.append(make_recommendation(text=OTHER, year=2020))
        self.all = Recommendation.objects.filter(country=self.country)

    def test_it_proposes_groups_with_key_phrases_and_similarity(self) -> None:
        groups = services.propose_groups(self.all)

        self.assertEqual(sorted(len(_members(g)) for g in groups), [2, 3])
        violence = next(g for g in groups if len(_members(g)) == 3)
        self.assertEqual(_members(violence), set(DOMESTIC_VIOLENCE))
        self.assertEqual(violence.status, RecommendationGroup.Status.PROPOSED)
        self.assertIn("domestic violence", violence.key_phrases.lower())
        self.assertTrue(violence.method.startswith("lexical "))
        self.assertTrue(all(0 < m.similarity <= 1 for m in violence.memberships.all()))

    def test_it_replaces_earlier_proposals_but_not_confirmed_groups(self) -> None:
        first = services.propose_groups(self.all)
        violence = next(g for g in first if len(_members(g)) == 3)
        services.confirm_group(violence, user=self.alice)

        second = services.propose_groups(self.all)

        self.assertEqual(RecommendationGroup.objects.count(), 2)
        self.assertEqual([_members(g) for g in second], [set(DEATH_PENALTY)])
        violence.refresh_from_db()
        self.assertEqual(violence.status, RecommendationGroup.Status.CONFIRMED)
        self.assertEqual(_members(violence), set(DOMESTIC_VIOLENCE))

    def test_it_confirms_a_group(self) -> None:
        group = services.propose_groups(self.all)[0]

        services.confirm_group(group, user=self.bob)

        group.refresh_from_db()
        self.assertEqual(group.status, RecommendationGroup.Status.CONFIRMED)
        self.assertEqual(group.confirmed_by, self.bob)
        self.assertIsNotNone(group.confirmed)

    def test_it_splits_a_group(self) -> None:
        group = next(g for g in services.propose_groups(self.all) if len(_members(g)) == 3)
        cedaw = self.recs[2]

        new = services.split_group(group, [cedaw.pk], user=self.alice)

        self.assertEqual(_members(new), {cedaw.text})
        self.assertEqual(_members(group), set(DOMESTIC_VIOLENCE[:2]))
        for g in (group, new):
            g.refresh_from_db()
            self.assertEqual((g.status, g.confirmed_by), ("confirmed", self.alice))
        self.assertIn("domestic violence", group.key_phrases.lower())

    def test_it_refuses_to_split_off_every_member(self) -> None:
        group = services.propose_groups(self.all)[0]
        ids = list(group.memberships.values_list("recommendation_id", flat=True))

        with self.assertRaises(GroupError):
            services.split_group(group, ids, user=self.alice)
        with self.assertRaises(GroupError):
            services.split_group(group, [self.recs[-1].pk], user=self.alice)

    def test_it_merges_groups(self) -> None:
        a, b = services.propose_groups(self.all)

        merged = services.merge_groups([a, b], user=self.alice)

        self.assertEqual(merged.pk, a.pk)
        self.assertEqual(_members(merged), set(DOMESTIC_VIOLENCE) | set(DEATH_PENALTY))
        self.assertFalse(RecommendationGroup.objects.filter(pk=b.pk).exists())
        self.assertEqual((merged.status, merged.confirmed_by), ("confirmed", self.alice))
        self.assertEqual(GroupMembership.objects.count(), 5)

    def test_it_refuses_to_merge_one_group(self) -> None:
        a, _ = services.propose_groups(self.all)

        with self.assertRaises(GroupError):
            services.merge_groups([a, a], user=self.alice)

    def test_the_command_groups_one_country_and_marks_repeats(self) -> None:
        make_recommendation(
            text=DEATH_PENALTY[0], country=make_country("ZZB", "Borduria"), year=2019
        )
        out = _Sink()

        call_command("group_recommendations", "--country", "ZZA", stdout=out)

        self.assertIn("proposed 2 groups", out.text)
        self.assertEqual(RecommendationGroup.objects.count(), 2)
        self.assertFalse(
            GroupMembership.objects.filter(recommendation__country__code="ZZB").exists()
        )


class MarkRepeatsTestCase(AnalysisTestCase):
    def test_it_links_a_later_recommendation_to_the_earlier_one(self) -> None:
        old = make_recommendation(text=DOMESTIC_VIOLENCE[0], year=2010, cycle=1)
        cedaw = make_recommendation(
            text=DOMESTIC_VIOLENCE[2], body=make_body("CEDAW", "treaty_body"), year=2014
        )
        new = make_recommendation(text=DOMESTIC_VIOLENCE[1], year=2019, cycle=3)
        unrelated = make_recommendation(text=OTHER, year=2019)

        count = services.mark_repeats(self.country)

        self.assertEqual(count, 2)
        for rec in (old, cedaw, new, unrelated):
            rec.refresh_from_db()
        self.assertIsNone(old.repeats)
        self.assertEqual(cedaw.repeats, old)
        self.assertIn(new.repeats, (old, cedaw))
        self.assertIsNone(unrelated.repeats)

    def test_it_never_links_recommendations_of_the_same_document_date(self) -> None:
        day = date(2019, 5, 1)
        a = make_recommendation(text=DEATH_PENALTY[0], year=2019, date=day)
        b = make_recommendation(text=DEATH_PENALTY[1], year=2019, date=day)
        later = make_recommendation(text=DEATH_PENALTY[1], year=2019, date=date(2019, 11, 1))

        services.mark_repeats(self.country)

        a.refresh_from_db(), b.refresh_from_db(), later.refresh_from_db()
        self.assertIsNone(a.repeats)
        self.assertIsNone(b.repeats)
        self.assertIn(later.repeats, (a, b))

    def test_it_clears_links_no_longer_found(self) -> None:
        old = make_recommendation(text=OTHER, year=2010)
        rec = make_recommendation(text=DEATH_PENALTY[0], year=2019, repeats=old)

        services.mark_repeats(self.country)

        rec.refresh_from_db()
        self.assertIsNone(rec.repeats)


class _Sink:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass
