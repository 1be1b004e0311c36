from __future__ import annotations

from types import SimpleNamespace
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from rightstrack.accounts.models import ApiToken
from rightstrack.formats.exceptions import ImportFormatError
from rightstrack.test import BaseTestCase

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class ImportsApiTestCase(BaseTestCase):
    url = "/api/v1/imports"

    def setUp(self) -> None:
        super().setUp()
        _token, self.plain = ApiToken.issue(self.alice)

    def post(self, **headers: str):  # type: ignore[no-untyped-def]
        upload = SimpleUploadedFile("list.csv", b"Text\nRatify\n", content_type="text/csv")
        return self.client.post(self.url, {"file": upload, "kind": "generic"}, headers=headers)

    def test_it_requires_a_token(self) -> None:
        response = self.post()

        self.assertEqual(response.status_code, 401)
        self.assertIn("token", response.json()["error"])

    def test_it_imports_with_a_token(self) -> None:
        result = SimpleNamespace(
            file_name="list.csv", kind="generic", created=1, updated=0, unchanged=0
        )

        with mock.patch(
            "rightstrack.recommendations.services.import_file", return_value=result
        ) as imported:
            response = self.post(Authorization=f"Bearer {self.plain}")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["created"], 1)
        self.assertEqual(imported.call_args.kwargs["user"], self.alice)
        self.assertEqual(imported.call_args.kwargs["kind"], "generic")

    def test_it_answers_400_for_a_bad_file(self) -> None:
        error = ImportFormatError("missing column 'Text'", path="list.csv", row=1)

        with mock.patch("rightstrack.recommendations.services.import_file", side_effect=error):
            response = self.post(Authorization=f"Bearer {self.plain}")

        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["detail"], "list.csv, row 1: missing column 'Text'")
