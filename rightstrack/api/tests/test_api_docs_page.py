"""The API documentation page (/api/v1/docs) works offline: every script and style is ours."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders
from django.test import TestCase


class ApiDocsPageTestCase(TestCase):
    def test_the_docs_page_loads_only_local_static_files(self) -> None:
        response = self.client.get("/api/v1/docs")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        references = re.findall(r'(?:src|href)="([^"]+)"', html)
        self.assertTrue(any(r.endswith("swagger-ui-bundle.js") for r in references), references)
        for ref in references:
            with self.subTest(ref):
                self.assertFalse(re.match(r"^(https?:)?//", ref), f"{ref} is not local")
                self.assertTrue(ref.startswith("/static/"), ref)
                # The file is shipped (django-ninja's static files, "ninja" in INSTALLED_APPS).
                self.assertIsNotNone(finders.find(ref.removeprefix("/static/")), ref)
        self.assertIn('"url": "/api/v1/openapi.json"', html)

    def test_the_shipped_scripts_fetch_nothing_from_elsewhere(self) -> None:
        init = finders.find("ninja/swagger-ui-init.js")
        self.assertIsNotNone(init)
        with open(init, encoding="utf-8") as fp:
            self.assertNotRegex(fp.read(), r"https?://")
