"""Imports of the real files in ../shared/data (skipped when the folder is absent)."""

from __future__ import annotations

import csv
import html
import io
import re
from collections import Counter

import pytest
from django.test import TestCase

from rightstrack.conftest import SHARED_RAW
from rightstrack.recommendations import services
from rightstrack.recommendations.models import Recommendation

MATRICES = SHARED_RAW / "upr-slovenia-docs" / "thematic-lists"
UPR_INFO = SHARED_RAW / "upr-info-terman" / "upr-info-export-sessions1-20"

#: file -> (recommendations, supported, noted), as counted in SOURCE.md.
SLOVENIA = {
    "cycle2_UPR20_Slovenia_thematic_list.docx": (163, 142, 21),
    "cycle3_UPR34_Slovenia_thematic_list.docx": (215, 182, 33),
    "cycle4_UPR48_Slovenia_thematic_list.docx": (254, 217, 37),
}


def needs(path):  # type: ignore[no-untyped-def]
    return pytest.mark.skipif(not path.is_dir(), reason=f"{path} is absent")


@pytest.mark.shared_data
@needs(MATRICES)
class SloveniaMatricesTestCase(TestCase):
    def test_it_imports_each_matrix_with_its_positions(self) -> None:
        for name, (total, supported, noted) in SLOVENIA.items():
            with self.subTest(name):
                result = services.import_file(MATRICES / name, kind="ohchr-matrix")

                self.assertEqual((result.created, result.updated, result.unchanged), (total, 0, 0))
                positions = Counter(
                    Recommendation.objects.filter(import_batch=result.batch).values_list(
                        "position", flat=True
                    )
                )
                self.assertEqual(positions, {"supported": supported, "noted": noted})

    def test_it_adds_nothing_on_a_second_import(self) -> None:
        path = MATRICES / "cycle4_UPR48_Slovenia_thematic_list.docx"
        services.import_file(path)
        labels = Recommendation.labels.rel.related_model.objects.count()

        result = services.import_file(path)

        self.assertEqual((result.created, result.updated, result.unchanged), (0, 0, 254))
        self.assertEqual(Recommendation.objects.count(), 254)
        self.assertEqual(Recommendation.labels.rel.related_model.objects.count(), labels)


def distinct_upr_info_recommendations() -> tuple[int, int, int]:
    """Return (rows, distinct (State under review, session, text), distinct (that, co-sponsor)).

    Counted straight from the CSVs, independently of the importer: Latin-1, CR line endings.
    """
    rows, recommendations, sponsorships = 0, set(), set()
    for name in ("1-5.csv", "6-9.csv", "10-13.csv"):
        text = (UPR_INFO / name).read_bytes().decode("latin-1")
        for row in csv.DictReader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n"))):
            rows += 1
            words = re.sub(r"[^\w\s]", " ", html.unescape(row["Text"]).lower())
            key = (row["To"].strip(), int(row["Session"]), " ".join(words.split()))
            recommendations.add(key)
            sponsor = html.unescape(row["From"]).strip()
            if sponsor not in ("", "Unknown", "(Unknown)"):
                sponsorships.add((key, sponsor))
    return rows, len(recommendations), len(sponsorships)


@pytest.mark.shared_data
@needs(UPR_INFO)
class UprInfoSessionsTestCase(TestCase):
    def test_it_imports_one_recommendation_per_state_session_and_text(self) -> None:
        rows, expected, sponsorships = distinct_upr_info_recommendations()

        created = sum(
            services.import_file(UPR_INFO / name, kind="upr-info", analyse=False).created
            for name in ("1-5.csv", "6-9.csv", "10-13.csv")
        )

        self.assertEqual(rows, 23_484)
        self.assertEqual(created, expected)
        self.assertEqual(Recommendation.objects.count(), expected)
        through = Recommendation.recommending_states.through
        self.assertEqual(through.objects.count(), sponsorships)
