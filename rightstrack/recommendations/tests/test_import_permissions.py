"""Only those allowed may import, and only into the States they may edit (issue 11 §0).

Every persona of rightstrack.test uploads the same small file on the page and through the API.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from rightstrack.accounts.models import ApiToken
from rightstrack.recommendations import services
from rightstrack.recommendations.models import Country, ImportBatch, Recommendation
from rightstrack.test import FollowUpTestCase

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

#: persona -> may import a file of recommendations to their own State (Slovenia here).
MAY_IMPORT = {
    "alice": True,  # administrator
    "cora": True,  # NMRF coordinator
    "cleo": True,  # cluster coordinator of the State
    "bob": False,  # focal point
    "vera": False,  # validator
    "hugo": False,  # focal point
    "carol": False,  # viewer
    "nina": False,  # NHRI contributor
    "pat": False,  # cluster partner's focal point
    "bea": False,  # another State's focal point
    "dan": False,  # no role, no institution
}


def csv_file(
    country: str = "Slovenia", paragraph: str = "7", text: str = "Ratify the OP."
) -> bytes:
    return (
        "Text,Country,Body,Document symbol,Paragraph,Position\n"
        f'"{text}",{country},UPR,A/HRC/99/1,{paragraph},Supported\n'
    ).encode()


@override_settings(PASSWORD_HASHERS=FAST_HASHERS)
class ImportPermissionTestCase(FollowUpTestCase):
    def setUp(self) -> None:
        super().setUp()
        # The personas' States become real ones, so that a file can name them.
        Country.objects.filter(pk=self.country.pk).update(code="SVN", name="Slovenia")
        Country.objects.filter(pk=self.other_country.pk).update(code="HRV", name="Croatia")

    def upload_page(self, user, data: bytes):  # type: ignore[no-untyped-def]
        if user is not None:
            self.client.force_login(user)
        upload = SimpleUploadedFile("list.csv", data, content_type="text/csv")
        return self.client.post("/import/", {"file": upload, "kind": "generic"})

    def upload_api(self, user, data: bytes, scope: str = "write"):  # type: ignore[no-untyped-def]
        _token, plain = ApiToken.issue(user, scope=scope)
        upload = SimpleUploadedFile("list.csv", data, content_type="text/csv")
        return self.client.post(
            "/api/v1/imports",
            {"file": upload, "kind": "generic"},
            headers={"Authorization": f"Bearer {plain}"},
        )

    def state(self) -> tuple[int, int]:
        return Recommendation.objects.count(), ImportBatch.objects.count()

    def test_the_page_as_every_persona(self) -> None:
        for name, allowed in MAY_IMPORT.items():
            with self.subTest(name):
                before = self.state()
                response = self.upload_page(getattr(self, name), csv_file(paragraph=name))
                self.client.logout()
                if allowed:
                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(self.state()[0], before[0] + 1)
                else:
                    self.assertEqual(response.status_code, 403)
                    self.assertEqual(self.state(), before)

    def test_the_api_as_every_persona(self) -> None:
        for name, allowed in MAY_IMPORT.items():
            with self.subTest(name):
                before = self.state()
                response = self.upload_api(getattr(self, name), csv_file(paragraph=name))
                if allowed:
                    self.assertEqual(response.status_code, 200, response.content)
                    self.assertEqual(response.json()["created"], 1)
                else:
                    self.assertEqual(response.status_code, 403)
                    self.assertEqual(self.state(), before)

    def test_a_read_only_token_and_anonymous_are_refused(self) -> None:
        self.assertEqual(self.upload_api(self.alice, csv_file(), scope="read").status_code, 403)
        self.assertEqual(
            self.client.post(
                "/api/v1/imports", {"file": SimpleUploadedFile("a.csv", b"x")}
            ).status_code,
            401,
        )
        self.assertEqual(self.upload_page(None, csv_file()).status_code, 302)

    def test_a_coordinator_imports_only_into_their_own_state(self) -> None:
        before = self.state()
        response = self.upload_page(self.boris, csv_file())  # Boris coordinates Croatia

        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "list.csv, row 2", status_code=400)
        self.assertContains(response, "SVN", status_code=400)
        self.assertEqual(self.state(), before)
        self.assertEqual(self.upload_page(self.boris, csv_file("Croatia")).status_code, 200)

    def test_a_file_naming_another_states_paragraph_cannot_rewrite_it(self) -> None:
        self.assertEqual(self.upload_page(self.cora, csv_file(text="Ratify.")).status_code, 200)
        self.client.logout()
        stored = Recommendation.objects.get(document_symbol="A/HRC/99/1")

        # Croatia's coordinator sends Slovenia's document symbol and paragraph as Croatia's.
        response = self.upload_api(self.boris, csv_file("Croatia", text="Rewritten."))

        self.assertEqual(response.status_code, 400)
        self.assertIn("row 2", response.json()["error"])
        self.assertIn("SVN", response.json()["error"])
        stored.refresh_from_db()
        self.assertEqual(stored.text, "Ratify.")


@pytest.mark.django_db
def test_the_operator_may_import_anything_and_import_countries_decides() -> None:
    assert services.import_countries(None) is None
