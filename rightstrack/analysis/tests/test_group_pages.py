from __future__ import annotations

from rightstrack.accounts.models import Membership
from rightstrack.analysis import services
from rightstrack.analysis.tests.test_groups import DEATH_PENALTY, DOMESTIC_VIOLENCE, OTHER
from rightstrack.analysis.tests.util import AnalysisTestCase
from rightstrack.engine.cluster.grouping import group_title
from rightstrack.recommendations.models import Recommendation, RecommendationGroup
from rightstrack.test import make_body, make_country, make_recommendation


class GroupPagesTestCase(AnalysisTestCase):
    def setUp(self) -> None:
        super().setUp()
        cedaw = make_body("CEDAW", "treaty_body")
        self.recs = [
            make_recommendation(text=DOMESTIC_VIOLENCE[0], year=2012, cycle=2),
            make_recommendation(text=DOMESTIC_VIOLENCE[1], year=2017, cycle=3),
            make_recommendation(text=DOMESTIC_VIOLENCE[2], year=2018, body=cedaw),
            *[make_recommendation(text=t, year=2019) for t in DEATH_PENALTY],
            make_recommendation(text=OTHER, year=2020),
        ]
        found = services.propose_groups(Recommendation.objects.all())
        self.violence = next(g for g in found if g.memberships.count() == 3)
        self.death = next(g for g in found if g.pk != self.violence.pk)
        self.url = f"/groups/{self.violence.code}/"

    def test_it_requires_login(self) -> None:
        for url in ("/groups/", self.url):
            response = self.client.get(url)

            self.assertRedirects(
                response, f"/accounts/login/?next={url}", fetch_redirect_response=False
            )

    def test_it_lists_groups(self) -> None:
        self.client.force_login(self.carol)

        response = self.client.get("/groups/", {"country": "ZZA", "status": "proposed"})

        self.assertContains(response, "2 groups")
        self.assertContains(response, f'href="/groups/{self.violence.code}/"')
        self.assertContains(response, "CEDAW, UPR")

    def test_it_shows_each_groups_size_once_when_filtered_by_state(self) -> None:
        # Filtering by State joined the memberships again: a group of 3 showed 9 (issue 14 §4).
        self.client.force_login(self.carol)

        response = self.client.get("/groups/", {"country": "ZZA"})

        sizes = [g.size for g in response.context["page"].object_list]
        self.assertEqual(
            sorted(sizes), sorted(g.memberships.count() for g in (self.violence, self.death))
        )
        self.assertIn(3, sizes)

    def test_it_names_a_mandate_by_its_name_not_its_code(self) -> None:
        mandate = make_body(
            "sr-idps", "special_procedures", "Special Rapporteur on internally displaced persons"
        )
        pair = [
            make_recommendation(text="Adopt a law on internally displaced persons now.", body=b)
            for b in (mandate, make_body())
        ]
        services.propose_groups(Recommendation.objects.filter(pk__in=[r.pk for r in pair]))
        self.client.force_login(self.carol)

        response = self.client.get("/groups/")

        self.assertContains(response, "Special Rapporteur on internally displaced persons, UPR")
        self.assertNotContains(response, "sr-idps")

    def test_it_lists_groups_in_constant_queries(self) -> None:
        for n in range(10):
            pair = [
                make_recommendation(text=f"Ratify the convention on topic {n} {w}.") for w in "ab"
            ]
            services.propose_groups(Recommendation.objects.filter(pk__in=[r.pk for r in pair]))
        self.client.force_login(self.carol)

        with self.assertNumQueries(7):
            response = self.client.get("/groups/")

        self.assertContains(response, "12 groups")

    def test_it_shows_members_side_by_side(self) -> None:
        self.client.force_login(self.carol)

        response = self.client.get(self.url)

        for text in DOMESTIC_VIOLENCE:
            self.assertContains(response, text)
        self.assertContains(response, "Treaty body")
        self.assertContains(response, "cycle 3")
        self.assertContains(response, "domestic violence")
        self.assertNotContains(response, "Confirm this group")

    def test_it_confirms(self) -> None:
        self.client.force_login(self.alice)

        response = self.client.post(f"{self.url}confirm/")

        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        self.violence.refresh_from_db()
        self.assertEqual(
            (self.violence.status, self.violence.confirmed_by), ("confirmed", self.alice)
        )

    def test_it_splits(self) -> None:
        self.client.force_login(self.alice)

        response = self.client.post(f"{self.url}split/", {"recommendation": [self.recs[2].pk]})

        new = RecommendationGroup.objects.get(memberships__recommendation=self.recs[2])
        self.assertRedirects(response, f"/groups/{new.code}/", fetch_redirect_response=False)
        self.assertEqual(self.violence.memberships.count(), 2)
        # Both keep a name a person recognises: a member's opening words, not word pairs.
        self.violence.refresh_from_db()
        kept = [m.recommendation.text for m in self.violence.memberships.all()]
        self.assertIn(self.violence.title, [group_title(t) for t in kept])
        self.assertEqual(
            new.title,
            "Adopt a comprehensive law criminalising domestic violence, including marital rape",
        )
        self.assertNotIn(";", new.title)

    def test_it_explains_a_refused_split(self) -> None:
        self.client.force_login(self.alice)

        response = self.client.post(f"{self.url}split/", {"recommendation": []}, follow=True)

        self.assertContains(response, "Select some, but not all")
        self.assertEqual(self.violence.memberships.count(), 3)

    def test_it_merges(self) -> None:
        self.client.force_login(self.alice)

        self.client.post(f"{self.url}merge/", {"other": [str(self.death.code)]})

        self.assertEqual(self.violence.memberships.count(), 5)
        self.assertFalse(RecommendationGroup.objects.filter(pk=self.death.pk).exists())

    def test_it_proposes_groups_for_a_country(self) -> None:
        self.client.force_login(self.alice)

        response = self.client.post("/groups/propose/", {"country": "ZZA", "threshold": "0.5"})

        self.assertRedirects(
            response, "/groups/?country=ZZA&status=proposed", fetch_redirect_response=False
        )
        self.assertEqual(RecommendationGroup.objects.filter(status="proposed").count(), 2)

    def test_it_requires_a_reviewing_role(self) -> None:
        for user in (self.carol, self.bob, self.dan):
            self.client.force_login(user)

            self.assertEqual(self.client.post(f"{self.url}confirm/").status_code, 403)
            self.assertEqual(
                self.client.post(
                    f"{self.url}split/", {"recommendation": [self.recs[0].pk]}
                ).status_code,
                403,
            )
            self.assertEqual(
                self.client.post(
                    f"{self.url}merge/", {"other": [str(self.death.code)]}
                ).status_code,
                403,
            )
            self.assertEqual(
                self.client.post("/groups/propose/", {"country": "ZZA"}).status_code, 403
            )
        self.violence.refresh_from_db()
        self.assertEqual(self.violence.status, "proposed")
        self.assertEqual(RecommendationGroup.objects.count(), 2)

    def test_it_checks_the_state_a_role_is_limited_to(self) -> None:
        Membership.objects.filter(user=self.alice).update(country=make_country("ZZB", "Borduria"))
        self.client.force_login(self.alice)

        self.assertEqual(self.client.post(f"{self.url}confirm/").status_code, 403)

    def test_it_requires_login_for_actions(self) -> None:
        response = self.client.post(f"{self.url}confirm/")

        self.assertEqual(response.status_code, 302)
        self.violence.refresh_from_db()
        self.assertEqual(self.violence.status, "proposed")
