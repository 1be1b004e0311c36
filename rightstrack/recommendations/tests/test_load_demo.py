from __future__ import annotations

import io
from collections import Counter

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import TestCase

from rightstrack.accounts.models import Membership
from rightstrack.recommendations import demo
from rightstrack.recommendations.models import (
    Label,
    Recommendation,
    RecommendationGroup,
    Term,
)


class LoadDemoTestCase(TestCase):
    # Every table is counted (or written by the demo), the job queue's included.
    databases = {"default", "jobs"}

    def load(self, *args: str) -> str:
        out = io.StringIO()
        call_command("load_demo", *args, stdout=out)
        return out.getvalue()

    def test_it_loads_all_three_mechanism_families(self) -> None:
        self.load("--password", "demo-pass-1")

        recs = Recommendation.objects.filter(country__code="XAR")
        self.assertEqual(recs.first().country.name, "Republic of Arcadia (fictional)")
        self.assertEqual(
            Counter(recs.values_list("mechanism", flat=True)),
            {"upr": 60, "treaty_body": 30, "special_procedures": 10},
        )
        self.assertEqual(set(recs.filter(mechanism="upr").values_list("cycle", flat=True)), {3, 4})
        self.assertEqual(
            set(recs.filter(mechanism="treaty_body").values_list("body__code", flat=True)),
            {"CRPD", "CEDAW"},
        )
        self.assertEqual(
            set(recs.exclude(position="").values_list("position", flat=True)),
            {"supported", "noted", "supported_in_part"},
        )
        self.assertTrue(all(r.recommending_states.exists() for r in recs.filter(mechanism="upr")))
        self.assertEqual(recs.filter(follow_up=True).exclude(follow_up_due="").count(), 6)

    def test_it_labels_displacement_from_the_built_in_taxonomies(self) -> None:
        self.load("--password", "demo-pass-1")

        idp = Term.objects.get(
            taxonomy__slug="groups_of_persons", name="Internally displaced persons"
        )
        self.assertGreater(Label.objects.filter(term=idp, source="document").count(), 20)
        self.assertFalse(Term.objects.filter(sort__gte=10_000).exists())  # no term made up

    def test_it_creates_the_demo_people_and_prints_the_login(self) -> None:
        output = self.load("--password", "demo-pass-1")

        self.assertIn(
            "Demo login: http://127.0.0.1:8000/accounts/login/ user alice, password demo-pass-1",
            output,
        )
        alice = authenticate(username="alice", password="demo-pass-1")
        self.assertTrue(alice.is_superuser)
        self.assertEqual(
            dict(Membership.objects.values_list("user__username", "role")),
            {"alice": "admin", "bob": "focal_point", "carol": "viewer"},
        )

    def test_it_makes_a_random_password_by_default(self) -> None:
        output = self.load()

        password = output.strip().splitlines()[-1].rsplit(" ", 1)[1]
        self.assertGreaterEqual(len(password), 10)
        self.assertIsNotNone(authenticate(username="bob", password=password))

    def test_it_is_idempotent(self) -> None:
        self.load("--password", "demo-pass-1")

        output = self.load("--password", "demo-pass-1")

        self.assertIn(
            "imported 0 new, 0 updated, 100 unchanged recommendations from arcadia.csv", output
        )
        self.assertEqual(Recommendation.objects.count(), 100)
        self.assertEqual(RecommendationGroup.objects.count(), len(demo.GROUPS))
        self.assertEqual(Membership.objects.count(), 3)

    def test_it_groups_repeated_recommendations(self) -> None:
        self.load("--password", "demo-pass-1")

        group = RecommendationGroup.objects.get(title="Adopt a law on internally displaced persons")
        self.assertEqual(
            sorted(group.memberships.values_list("recommendation__mechanism", flat=True)),
            ["special_procedures", "upr", "upr"],
        )
