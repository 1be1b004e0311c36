"""A version from the client (the one it read, to detect a stale edit) is bounded: a number too
big for the database's integer answers 400 naming `version`, never an OverflowError (500)."""

from __future__ import annotations

from decimal import Decimal

from rightstrack.accounts.models import ApiToken
from rightstrack.test import FollowUpTestCase
from rightstrack.tracking import services
from rightstrack.tracking.exceptions import Invalid
from rightstrack.tracking.models import Assignment

HUGE = [2**31, 2**63, 10**30, -(2**63) - 1, 0, -1]


class VersionBoundsTestCase(FollowUpTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.assignment, _new = services.assign(self.cora, self.rec, self.justice)
        self.token = ApiToken.issue(self.cora)[1]

    def patch(self, body: str):  # type: ignore[no-untyped-def]
        return self.client.patch(
            f"/api/v1/assignments/{self.assignment.code}",
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {self.token}"},
        )

    def test_the_api_answers_400_naming_version_for_an_out_of_range_one(self) -> None:
        for value in HUGE:
            with self.subTest(version=value):
                response = self.patch(f'{{"version": {value}, "note": "x"}}')
                self.assertEqual(response.status_code, 400, response.content)
                self.assertIn("version", response.json()["detail"])
        # A float overflow, and a number of 5,000 digits (past Python's int-from-text limit:
        # the body is not read as JSON at all).
        response = self.patch('{"version": 1e400, "note": "x"}')
        self.assertEqual(response.status_code, 400, response.content)
        self.assertIn("version", response.json()["detail"])
        response = self.patch(f'{{"version": {"9" * 5000}, "note": "x"}}')
        self.assertEqual(response.status_code, 400, response.content[:200])
        self.assertEqual(Assignment.objects.get().version, 1)
        self.assertEqual(Assignment.objects.get().note, "")
        # The version as read still works.
        self.assertEqual(self.patch('{"version": 1, "note": "x"}').status_code, 200)

    def test_the_service_refuses_an_unbounded_version_with_invalid(self) -> None:
        for value in [*HUGE, float("inf"), Decimal("Infinity"), "9" * 5000, "12x", None, True]:
            with self.subTest(version=str(value)[:10]), self.assertRaises(Invalid) as caught:
                services.change_assignment(self.cora, self.assignment, version=value, note="y")
            self.assertEqual(caught.exception.field, "version")
        self.assertEqual(Assignment.objects.get().version, 1)
        # A stale (but possible) version is still a conflict, not a bad request.
        services.change_assignment(self.cora, self.assignment, version="1", note="y")
        self.assertEqual(Assignment.objects.get().version, 2)
