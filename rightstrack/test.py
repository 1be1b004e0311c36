"""Test base class with personas, and tiny make_* helpers (no factory library)."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth.models import User
from django.test import TestCase

from rightstrack.accounts.models import Institution, Membership
from rightstrack.recommendations.models import Body, Country, Recommendation

_serial = itertools.count(1)


def make_country(code: str = "ZZA", name: str = "Arcadia") -> Country:
    country, _ = Country.objects.get_or_create(code=code, defaults={"name": name})
    return country


def make_body(code: str = "UPR", mechanism: str = "upr", name: str = "") -> Body:
    body, _ = Body.objects.get_or_create(
        code=code, defaults={"mechanism": mechanism, "name": name or code}
    )
    return body


def make_recommendation(**overrides: Any) -> Recommendation:
    """Create a recommendation; every field can be overridden, States given as codes."""
    states = overrides.pop("recommending_states", ())
    n = next(_serial)
    body = overrides.pop("body", None) or make_body()
    fields: dict[str, Any] = {
        "key": f"test-{n}",
        "country": overrides.pop("country", None) or make_country(),
        "body": body,
        "mechanism": body.mechanism,
        "paragraph": f"100.{n}",
        "text": f"Ratify the Convention number {n}.",
        "year": 2024,
    }
    fields.update(overrides)
    rec = Recommendation.objects.create(**fields)
    if states:
        rec.recommending_states.set([make_country(code, code) for code in states])
    return rec


class BaseTestCase(TestCase):
    """Personas: Alice coordinates the national mechanism (admin); Bob is the focal point at
    the Ministry of Justice; Carol has read-only access at the Ministry of Health; Dan has no
    access at all."""

    def setUp(self) -> None:
        super().setUp()
        self.country = make_country()
        self.nmrf = Institution.objects.create(
            name="National Mechanism", kind="nmrf", country=self.country
        )
        self.justice = Institution.objects.create(
            name="Ministry of Justice", kind="ministry", country=self.country
        )
        self.health = Institution.objects.create(
            name="Ministry of Health", kind="ministry", country=self.country
        )

        self.alice = User.objects.create_user("alice", "alice@example.org", "password")
        Membership.objects.create(user=self.alice, institution=self.nmrf, role="admin")
        self.bob = User.objects.create_user("bob", "bob@example.org", "password")
        Membership.objects.create(user=self.bob, institution=self.justice, role="focal_point")
        self.carol = User.objects.create_user("carol", "carol@example.org", "password")
        Membership.objects.create(user=self.carol, institution=self.health, role="viewer")
        self.dan = User.objects.create_user("dan", "dan@example.org", "password")
