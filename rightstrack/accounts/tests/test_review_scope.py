"""Reviewing classifier suggestions and groups is a capability of the person's Scope."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from rightstrack.accounts.models import Membership
from rightstrack.accounts.permissions import scope_for
from rightstrack.test import FollowUpTestCase, make_country, make_institution


def fresh(user):  # type: ignore[no-untyped-def]
    """Load the person again, as a new request does (the Scope is cached on the object)."""
    return get_user_model().objects.get(pk=user.pk)


class ReviewScopeTestCase(FollowUpTestCase):
    def test_roles_not_limited_to_a_state_review_every_state(self) -> None:
        for person in (self.alice, self.cora, self.vera, self.nina, self.cleo):
            scope = scope_for(fresh(person))

            self.assertIsNone(scope.review_countries(), person.username)
            self.assertTrue(scope.may_review(self.other_country.pk), person.username)
            self.assertTrue(scope.reviews_any)

    def test_focal_points_viewers_and_strangers_do_not_review(self) -> None:
        for person in (self.bob, self.carol, self.pat, self.dan):
            scope = scope_for(fresh(person))

            self.assertEqual(scope.review_countries(), set(), person.username)
            self.assertFalse(scope.may_review(self.country.pk), person.username)
            self.assertFalse(scope.reviews_any, person.username)
            self.assertFalse(scope.may_review_all([]), person.username)

    def test_a_role_limited_to_a_state_reviews_only_that_state_even_an_administrator(
        self,
    ) -> None:
        Membership.objects.filter(user=self.alice).update(country=self.other_country)
        scope = scope_for(fresh(self.alice))

        self.assertTrue(scope.admin)
        self.assertEqual(scope.review_countries(), {self.other_country.pk})
        self.assertTrue(scope.may_review(self.other_country.pk))
        self.assertFalse(scope.may_review(self.country.pk))
        self.assertTrue(scope.may_review_all([self.other_country.pk]))
        self.assertFalse(scope.may_review_all([self.other_country.pk, self.country.pk]))

    def test_a_superuser_reviews_every_state_without_a_membership(self) -> None:
        root = get_user_model().objects.create_superuser("root", "root@example.org", "pw")

        self.assertIsNone(scope_for(fresh(root)).review_countries())

    def test_a_deactivated_institution_gives_no_review_right(self) -> None:
        self.justice.active = False
        self.justice.save()

        self.assertFalse(scope_for(fresh(self.vera)).reviews_any)

    def test_memberships_in_two_states_review_both(self) -> None:
        third = make_country("ZZC", "Carpania")
        lab = make_institution("Lab", "cso", third)
        Membership.objects.create(user=self.bob, institution=lab, role="contributor", country=third)
        Membership.objects.create(
            user=self.bob, institution=self.health, role="validator", country=self.country
        )
        scope = scope_for(fresh(self.bob))

        self.assertEqual(scope.review_countries(), {third.pk, self.country.pk})
        self.assertFalse(scope.may_review(self.other_country.pk))

    def test_a_read_only_token_reviews_nothing(self) -> None:
        user = fresh(self.cora)
        user._rightstrack_token = type("Token", (), {"can_write": False})()

        self.assertFalse(scope_for(user).reviews_any)
