"""Every error answer of the API has one shape, as the OpenAPI document says (ErrorOut):
`{"detail": ..., "error": ...}`, the same line twice; a 409 adds the current object."""

from __future__ import annotations

from rightstrack.accounts.models import ApiToken
from rightstrack.test import FollowUpTestCase
from rightstrack.tracking import services


class ErrorShapeTestCase(FollowUpTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.assignment, _new = services.assign(self.cora, self.rec, self.justice)
        self.write = {"Authorization": f"Bearer {ApiToken.issue(self.cora)[1]}"}
        read_only = ApiToken.issue(self.cora, scope=ApiToken.Scope.READ)[1]
        self.read = {"Authorization": f"Bearer {read_only}"}

    def assertError(self, response, status: int, fragment: str) -> dict:  # type: ignore[no-untyped-def]
        self.assertEqual(response.status_code, status, response.content[:300])
        body = response.json()
        self.assertEqual(body["detail"], body["error"])
        self.assertIn(fragment, body["detail"])
        return body

    def test_every_kind_of_error_has_detail_and_error(self) -> None:
        url = f"/api/v1/assignments/{self.assignment.code}"
        patch = {"content_type": "application/json"}
        # 400 from the NUL guard (before any view), from the schema, and from the service.
        self.assertError(self.client.get("/api/v1/recommendations", {"q": "a\x00"}), 400, "NUL")
        self.assertError(self.client.get("/api/v1/actions?page_size=201"), 401, "token")
        self.assertError(
            self.client.get("/api/v1/actions?page_size=201", headers=self.write), 400, "page_size"
        )
        self.assertError(
            self.client.patch(url, {"version": 1}, headers=self.write, **patch), 400, "role"
        )
        # 401, 403 (a read-only token writing), 404.
        self.assertError(self.client.get("/api/v1/me"), 401, "token")
        self.assertError(
            self.client.patch(url, {"version": 1, "note": "x"}, headers=self.read, **patch),
            403,
            "read-only",
        )
        self.assertError(
            self.client.get(
                "/api/v1/assignments/00000000-0000-0000-0000-000000000000", headers=self.write
            ),
            404,
            "not found",
        )
        # 409 with the current object.
        self.client.patch(url, {"version": 1, "role": "supporting"}, headers=self.write, **patch)
        body = self.assertError(
            self.client.patch(url, {"version": 1, "note": "second"}, headers=self.write, **patch),
            409,
            "someone else changed this",
        )
        self.assertEqual((body["current"]["role"], body["current"]["version"]), ("supporting", 2))
