from __future__ import annotations

import uuid

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from rightstrack.recommendations.models import (
    Analysis,
    GroupMembership,
    ImportBatch,
    Label,
    RecommendationGroup,
    Taxonomy,
    Term,
)
from rightstrack.test import BaseTestCase, make_body, make_recommendation

#: The personas hash four passwords per test; a fast hasher keeps these tests quick.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class RecommendationPageTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        batch = ImportBatch.objects.create(kind="uhri", file_name="uhri-export.xlsx", status="done")
        self.rec = make_recommendation(
            body=make_body(
                "CEDAW",
                "treaty_body",
                "Committee on the Elimination of Discrimination against Women",
            ),
            document_symbol="CEDAW/C/ZZA/CO/8",
            paragraph="25(b)",
            session="80",
            year=2021,
            text="Adopt a law against domestic violence.",
            heading="Gender-based violence",
            concern_paragraph="The Committee is concerned about the absence of a law.",
            follow_up=True,
            follow_up_due="2023-11-01",
            import_batch=batch,
        )
        themes = Taxonomy.objects.create(slug="uhri_themes", name="UHRI themes")
        gbv = Term.objects.create(taxonomy=themes, name="Sexual & gender-based violence")
        Label.objects.create(recommendation=self.rec, term=gbv, source="document", origin="UHRI")
        women = Term.objects.create(taxonomy=themes, name="Discrimination against women")
        Label.objects.create(
            recommendation=self.rec,
            term=women,
            source="classifier",
            confidence=0.87,
            review_state="suggested",
        )
        Analysis.objects.create(
            recommendation=self.rec, action_category=5, action_verb="adopt", concrete_action=True
        )
        self.url = f"/recommendations/{self.rec.code}/"

    def test_it_shows_everything_known(self) -> None:
        response = self.client.get(self.url)

        for text in (
            "Adopt a law against domestic violence.",
            "CEDAW/C/ZZA/CO/8",
            "25(b)",
            "Arcadia",
            "Committee on the Elimination of Discrimination against Women",
            "Gender-based violence",
            "The Committee is concerned",
            "2023-11-01",
            "uhri-export.xlsx",
            "UHRI themes",
            "Sexual &amp; gender-based violence",
            "Source document",
            "confidence 0.87",
            "suggested, not yet reviewed",
            "Action category",
            "adopt",
        ):
            with self.subTest(text=text):
                self.assertContains(response, text)

    def test_it_shows_the_position_and_recommending_states(self) -> None:
        upr = make_recommendation(
            position="supported_in_part",
            position_source="A/HRC/47/11/Add.1",
            recommending_states=["FRA"],
            cycle=3,
        )

        response = self.client.get(upr.get_absolute_url())

        self.assertContains(response, "Supported in part")
        self.assertContains(response, "A/HRC/47/11/Add.1")
        self.assertContains(response, "?recommending_state=FRA")

    def test_it_shows_group_members(self) -> None:
        other = make_recommendation(text="Enact legislation on domestic violence.")
        group = RecommendationGroup.objects.create(title="Domestic violence law")
        GroupMembership.objects.create(group=group, recommendation=self.rec)
        GroupMembership.objects.create(group=group, recommendation=other)

        response = self.client.get(self.url)

        self.assertContains(response, "Domestic violence law")
        self.assertContains(response, other.get_absolute_url())

    def test_it_returns_404_for_an_unknown_code(self) -> None:
        response = self.client.get(f"/recommendations/{uuid.uuid4()}/")

        self.assertEqual(response.status_code, 404)

    def test_it_uses_a_constant_number_of_queries(self) -> None:
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url)
        themes = Taxonomy.objects.get(slug="uhri_themes")
        for n in range(20):
            Label.objects.create(
                recommendation=self.rec,
                term=Term.objects.create(taxonomy=themes, name=f"T{n}"),
                source="person",
            )
        self.rec.recommending_states.set([])
        group = RecommendationGroup.objects.create(title="Many")
        GroupMembership.objects.create(group=group, recommendation=self.rec)
        for _ in range(10):
            GroupMembership.objects.create(group=group, recommendation=make_recommendation())

        with CaptureQueriesContext(connection) as many:
            self.client.get(self.url)

        # The group adds its two queries once, whatever its size; labels add none.
        self.assertLessEqual(len(many), len(few) + 2)
