from __future__ import annotations

import csv
import io
import json

from django.core.management import CommandError, call_command
from django.test import TestCase

from rightstrack.recommendations.models import Analysis
from rightstrack.test import make_body, make_country, make_recommendation


class SearchRecommendationsTestCase(TestCase):
    def setUp(self) -> None:
        self.france = make_country("FRA", "France")
        self.one = make_recommendation(
            country=self.france,
            paragraph="118.5",
            document_symbol="A/HRC/38/4",
            position="supported",
            text="Ratify the Convention on the Rights of Persons with Disabilities.",
        )
        make_recommendation(
            country=make_country("ZZA", "Arcadia"),
            body=make_body("CRPD", "treaty_body"),
            text="Ratify the Optional Protocol.",
        )
        refugees = make_recommendation(country=self.france, text="Protect refugees.")
        Analysis.objects.create(
            recommendation=refugees, action_category=4, protection_relevant=True
        )
        Analysis.objects.create(recommendation=self.one, action_category=5)

    def run_command(self, *args: str) -> str:
        out = io.StringIO()
        call_command("search_recommendations", *args, stdout=out)
        return out.getvalue()

    def test_it_writes_the_contract_csv_columns(self) -> None:
        output = self.run_command("ratify", "--country", "France", "--format", "csv")

        rows = list(csv.DictReader(io.StringIO(output)))
        self.assertEqual(
            list(rows[0]),
            [
                "id",
                "country",
                "mechanism",
                "body",
                "document_symbol",
                "paragraph",
                "position",
                "text",
            ],
        )
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["id"], str(self.one.code))
        self.assertEqual(rows[0]["country"], "France")
        self.assertEqual(rows[0]["paragraph"], "118.5")
        self.assertEqual(rows[0]["position"], "supported")

    def test_it_prints_only_the_count(self) -> None:
        self.assertEqual(self.run_command("ratify", "--count").strip(), "2")
        self.assertEqual(self.run_command("--country", "FRA", "--count").strip(), "2")
        self.assertEqual(self.run_command("--mechanism", "treaty_body", "--count").strip(), "1")

    def test_it_filters_by_the_analysis(self) -> None:
        self.assertEqual(self.run_command("--protection-relevant", "--count").strip(), "1")
        self.assertEqual(self.run_command("--action", "5", "--count").strip(), "1")
        self.assertEqual(self.run_command("--action", "4", "--action", "5", "--count").strip(), "2")

    def test_it_writes_json(self) -> None:
        rows = json.loads(self.run_command("--body", "CRPD", "--format", "json"))

        self.assertEqual([r["country"] for r in rows], ["Arcadia"])

    def test_it_limits_the_rows(self) -> None:
        output = self.run_command("--limit", "1", "--format", "csv")

        self.assertEqual(len(list(csv.DictReader(io.StringIO(output)))), 1)

    def test_it_prints_a_table(self) -> None:
        output = self.run_command("refugees")

        self.assertIn("France | UPR", output)
        self.assertIn("Protect refugees.", output)
        self.assertIn("1 shown", output)

    def test_it_rejects_an_unknown_country(self) -> None:
        with self.assertRaises(CommandError) as caught:
            self.run_command("--country", "Narnia")

        self.assertEqual(caught.exception.returncode, 2)
        self.assertIn("Narnia", str(caught.exception))
