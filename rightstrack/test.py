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


def make_institution(name: str, kind: str, country: Country | None, **extra: Any) -> Institution:
    return Institution.objects.create(name=name, kind=kind, country=country, **extra)


def make_person(username: str, institution: Institution, role: str) -> User:
    """Create a person with one membership; their password is "password"."""
    user = User.objects.create_user(username, f"{username}@example.org", "password")
    Membership.objects.create(user=user, institution=institution, role=role)
    return user


class FollowUpTestCase(TestCase):
    """Personas of two States, for follow-up tests (docs/roles.md).

    Arcadia (ZZA): Cora coordinates its national mechanism; Bob is the focal point and Vera the
    validator of its Ministry of Justice; Hugo the focal point and Carol a viewer at its
    Ministry of Health; Nina a contributor at its human rights commission (NHRI); Cleo the
    protection cluster coordinator and Pat a focal point of a cluster partner. Borduria (ZZB):
    Boris coordinates its mechanism and Bea is a focal point of its Ministry of Justice. Alice
    administers the whole installation; Dan has no role at all.
    """

    def setUp(self) -> None:
        super().setUp()
        self.country = make_country("ZZA", "Arcadia")
        self.other_country = make_country("ZZB", "Borduria")
        self.nmrf = make_institution("National Mechanism", "nmrf", self.country)
        self.justice = make_institution("Ministry of Justice", "ministry", self.country)
        self.health = make_institution("Ministry of Health", "ministry", self.country)
        self.nhri = make_institution("Human Rights Commission", "nhri", self.country)
        self.cluster = make_institution("Protection Cluster", "cluster", self.country)
        self.partner = make_institution("Field Partner", "cluster", self.country)
        self.other_nmrf = make_institution("National Mechanism", "nmrf", self.other_country)
        self.other_justice = make_institution("Ministry of Justice", "ministry", self.other_country)

        self.alice = make_person("alice", self.nmrf, "admin")
        self.cora = make_person("cora", self.nmrf, "coordinator")
        self.bob = make_person("bob", self.justice, "focal_point")
        self.vera = make_person("vera", self.justice, "validator")
        self.hugo = make_person("hugo", self.health, "focal_point")
        self.carol = make_person("carol", self.health, "viewer")
        self.nina = make_person("nina", self.nhri, "contributor")
        self.cleo = make_person("cleo", self.cluster, "cluster_coordinator")
        self.pat = make_person("pat", self.partner, "focal_point")
        self.boris = make_person("boris", self.other_nmrf, "coordinator")
        self.bea = make_person("bea", self.other_justice, "focal_point")
        self.dan = User.objects.create_user("dan", "dan@example.org", "password")

        body = make_body(
            "CRPD", "treaty_body", "Committee on the Rights of Persons with Disabilities"
        )
        self.rec = make_recommendation(
            country=self.country, body=body, document_symbol="CRPD/C/ZZA/CO/1", paragraph="12"
        )
        self.other_rec = make_recommendation(
            country=self.country, body=body, document_symbol="CRPD/C/ZZA/CO/1", paragraph="14"
        )
        self.foreign_rec = make_recommendation(
            country=self.other_country,
            body=body,
            document_symbol="CRPD/C/ZZB/CO/1",
            paragraph="12",
        )
