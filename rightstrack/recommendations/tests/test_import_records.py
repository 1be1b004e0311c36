from __future__ import annotations

from datetime import date
from unittest import mock

from django.test import TestCase

from rightstrack.formats.records import LabelIn, RecordIn
from rightstrack.recommendations import services
from rightstrack.recommendations.models import (
    Body,
    Country,
    Document,
    ImportBatch,
    Label,
    Recommendation,
    Review,
    Taxonomy,
    Term,
)


def upr(text: str, *states: str, paragraph: str = "", **fields: object) -> RecordIn:
    values: dict[str, object] = {
        "text": text,
        "mechanism": "upr",
        "body": "UPR",
        "country": "SVN",
        "session": "34",
        "recommending_states": states,
        "document_symbol": "A/HRC/43/15" if paragraph else "",
        "paragraph": paragraph,
    }
    values.update(fields)
    return RecordIn(**values)  # type: ignore[arg-type]


class ImportRecordsTestCase(TestCase):
    def test_it_creates_recommendations_with_states_review_and_document(self) -> None:
        records = [
            upr(
                "Ratify the Optional Protocol.",
                "FRA",
                "DEU",
                paragraph="143.1",
                position="supported",
                document_date=date(2019, 12, 16),
            ),
            upr("Adopt a national action plan on IDPs.", "KEN", paragraph="143.2"),
        ]

        result = services.import_records(records, kind="generic", file_name="list.csv")

        self.assertEqual((result.created, result.updated, result.unchanged), (2, 0, 0))
        rec = Recommendation.objects.get(paragraph="143.1")
        self.assertEqual(
            sorted(rec.recommending_states.values_list("code", flat=True)), ["DEU", "FRA"]
        )
        self.assertEqual(rec.country.code, "SVN")
        self.assertEqual((rec.mechanism, rec.body.code, rec.position), ("upr", "UPR", "supported"))
        self.assertEqual((rec.year, rec.cycle, rec.session), (2019, 3, "34"))
        self.assertEqual(rec.document.symbol, "A/HRC/43/15")
        self.assertEqual(rec.document.kind, Document.Kind.UPR_REPORT)
        self.assertEqual(rec.review, Review.objects.get())
        self.assertEqual(rec.import_batch, result.batch)
        self.assertEqual(Document.objects.count(), 1)

    def test_it_is_idempotent(self) -> None:
        records = [
            upr(
                "Ratify the Optional Protocol.",
                "FRA",
                paragraph="143.1",
                labels=(LabelIn("uhri_themes", "Right to health"),),
            )
        ]
        services.import_records(records, kind="generic", file_name="list.csv")
        counts = self._counts()

        result = services.import_records(records, kind="generic", file_name="list.csv")

        self.assertEqual((result.created, result.updated, result.unchanged), (0, 0, 1))
        self.assertEqual(
            result.summary(), "imported 0 new, 0 updated, 1 unchanged recommendations from list.csv"
        )
        counts["batches"] += 1
        self.assertEqual(self._counts(), counts)

    def test_it_updates_changed_fields_states_and_labels(self) -> None:
        services.import_records(
            [
                upr(
                    "Ratify it.",
                    "FRA",
                    paragraph="143.1",
                    labels=(LabelIn("uhri_themes", "Right to health"),),
                )
            ],
            kind="generic",
            file_name="a.csv",
        )

        result = services.import_records(
            [
                upr(
                    "Ratify it.",
                    "FRA",
                    "ITA",
                    paragraph="143.1",
                    position="noted",
                    labels=(LabelIn("uhri_themes", "Right to education"),),
                )
            ],
            kind="generic",
            file_name="b.csv",
        )

        self.assertEqual((result.created, result.updated, result.unchanged), (0, 1, 0))
        rec = Recommendation.objects.get()
        self.assertEqual(rec.position, "noted")
        self.assertEqual(
            sorted(rec.recommending_states.values_list("code", flat=True)), ["FRA", "ITA"]
        )
        self.assertEqual(
            list(rec.labels.values_list("term__name", flat=True)), ["Right to education"]
        )
        self.assertEqual(rec.import_batch, result.batch)

    def test_it_keeps_labels_set_by_a_person(self) -> None:
        services.import_records(
            [upr("Ratify it.", paragraph="1", labels=(LabelIn("uhri_themes", "Right to health"),))],
            kind="generic",
            file_name="a.csv",
        )
        rec = Recommendation.objects.get()
        term = Term.objects.get(taxonomy__slug="uhri_themes", name="Right to health")
        Label.objects.create(recommendation=rec, term=term, source="person")

        services.import_records(
            [upr("Ratify it.", paragraph="1", labels=(LabelIn("uhri_themes", "Right to work"),))],
            kind="generic",
            file_name="a.csv",
        )

        # The file's own label is replaced; the person's stays.
        self.assertEqual(
            sorted(rec.labels.values_list("source", "term__name")),
            [("document", "Right to work"), ("person", "Right to health")],
        )

    def test_it_merges_records_with_the_same_key(self) -> None:
        records = [
            upr("Ratify the Convention.", "FRA", labels=(LabelIn("upr_info_issues", "Justice"),)),
            upr("Ratify  the convention", "DEU", labels=(LabelIn("upr_info_issues", "justice"),)),
        ]

        result = services.import_records(records, kind="upr-info", file_name="u.csv")

        self.assertEqual(result.created, 1)
        rec = Recommendation.objects.get()
        self.assertEqual(
            sorted(rec.recommending_states.values_list("code", flat=True)), ["DEU", "FRA"]
        )
        self.assertEqual(rec.labels.count(), 1)
        self.assertEqual(rec.year, 2019)

    def test_it_creates_a_body_per_special_procedure_mandate(self) -> None:
        record = RecordIn(
            text="Adopt a law on internal displacement.",
            mechanism="special_procedures",
            body="Special Rapporteur on the human rights of internally displaced persons",
            country="UKR",
            document_symbol="A/HRC/53/35/Add.2",
            paragraph="88(a)",
        )

        services.import_records([record, record], kind="generic", file_name="sp.csv")

        body = Recommendation.objects.get().body
        self.assertEqual(body.mechanism, "special_procedures")
        self.assertEqual(
            body.name, "Special Rapporteur on the human rights of internally displaced persons"
        )
        self.assertEqual(Document.objects.get().kind, Document.Kind.SP_REPORT)

    def test_it_reports_progress(self) -> None:
        calls: list[tuple[int, int]] = []

        services.import_records(
            [upr(f"Recommendation {n}.", paragraph=str(n)) for n in range(3)],
            kind="generic",
            file_name="a.csv",
            progress=lambda done, total: calls.append((done, total)),
        )

        self.assertEqual(calls, [(3, 3)])

    def test_it_skips_records_with_no_state_concerned(self) -> None:
        records = [upr("Fine.", paragraph="1"), upr("Thematic.", paragraph="2", country="")]

        result = services.import_records(records, kind="uhri", file_name="a.csv")

        self.assertEqual((result.created, result.skipped), (1, 1))
        self.assertEqual(Recommendation.objects.get().text, "Fine.")

    def test_it_writes_nothing_when_it_fails(self) -> None:
        services.load_reference_data()
        counts = self._counts()
        records = [
            upr(f"Recommendation {n}.", "FRA", paragraph=str(n)) for n in range(services.CHUNK + 5)
        ]
        # The second chunk fails after the first was written.
        fail = mock.patch.object(
            services, "_ensure_documents", side_effect=[None, RuntimeError("disk full")]
        )

        with fail, self.assertRaisesMessage(RuntimeError, "disk full"):
            services.import_records(records, kind="generic", file_name="a.csv")

        self.assertEqual(self._counts(), counts)
        self.assertFalse(ImportBatch.objects.exists())

    def test_it_loads_reference_data_idempotently(self) -> None:
        first = services.load_reference_data()

        second = services.load_reference_data()

        self.assertGreater(first.countries, 190)
        self.assertEqual(second.changed, 0)
        self.assertEqual(
            Body.objects.get(code="CRPD").name,
            "Committee on the Rights of Persons with Disabilities",
        )
        self.assertEqual(Country.objects.get(code="SVN").name, "Slovenia")

    def _counts(self) -> dict[str, int]:
        return {
            "recommendations": Recommendation.objects.count(),
            "labels": Label.objects.count(),
            "documents": Document.objects.count(),
            "reviews": Review.objects.count(),
            "bodies": Body.objects.count(),
            "countries": Country.objects.count(),
            "terms": Term.objects.count(),
            "taxonomies": Taxonomy.objects.count(),
            "batches": ImportBatch.objects.count(),
            "states": Recommendation.recommending_states.through.objects.count(),
        }
