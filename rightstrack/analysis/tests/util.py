"""A base test case for this app: the personas, the built-in taxonomies, a fast hasher."""

from __future__ import annotations

from django.test import override_settings

from rightstrack.recommendations.models import Label, Recommendation, Term
from rightstrack.recommendations.services import load_reference_data
from rightstrack.test import BaseTestCase

#: The personas hash four passwords per test; a fast hasher keeps these tests quick.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
GROUPS = "groups_of_persons"


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class AnalysisTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        load_reference_data()


def term(name: str, slug: str = GROUPS) -> Term:
    return Term.objects.get(taxonomy__slug=slug, name=name)


def suggest(rec: Recommendation, name: str, slug: str = GROUPS, confidence: float = 0.8) -> Label:
    """Create a classifier suggestion of the term *name* for *rec*."""
    return Label.objects.create(
        recommendation=rec,
        term=term(name, slug),
        source=Label.Source.CLASSIFIER,
        confidence=confidence,
        origin="builtin-test",
        review_state=Label.ReviewState.SUGGESTED,
    )
