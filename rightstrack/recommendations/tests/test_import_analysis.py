from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase

from rightstrack.recommendations.models import Analysis, Label, Recommendation
from rightstrack.recommendations.tests.test_import_recommendations import upr_info_bytes


class ImportAnalysisTestCase(TestCase):
    def setUp(self) -> None:
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.path = Path(tmp.name) / "upr-info.csv"
        self.path.write_bytes(upr_info_bytes())

    def test_it_analyses_imported_recommendations(self) -> None:
        call_command("import_recommendations", str(self.path), stdout=io.StringIO())

        law = Recommendation.objects.get(text__startswith="Adopt a law")
        self.assertEqual(law.analysis.action_category, 5)
        self.assertTrue(law.analysis.protection_relevant)
        suggested = Label.objects.filter(recommendation=law, source="classifier")
        self.assertTrue(suggested.exists())
        self.assertFalse(suggested.exclude(review_state="suggested").exists())
        # Terms the export printed stay document labels and are never suggested again.
        printed = set(
            Label.objects.filter(recommendation=law, source="document").values_list(
                "term", flat=True
            )
        )
        self.assertTrue(printed)
        self.assertFalse(printed & set(suggested.values_list("term", flat=True)))

    def test_it_skips_analysis_when_asked(self) -> None:
        call_command("import_recommendations", str(self.path), "--no-analyse", stdout=io.StringIO())

        self.assertEqual(Recommendation.objects.count(), 2)
        self.assertEqual(Analysis.objects.count(), 0)
        self.assertFalse(Label.objects.filter(source="classifier").exists())
