"""A big write keeps the search index and the data version in bulk (search_index.bulk_writes).

On SQLite the import takes the full-text insert/update triggers and the data version triggers
off for its transaction and does their work per chunk: what it imports must be found by the
full-text search exactly as with the triggers, the triggers must be back afterwards (and after
a failed import), and the data version must change. The analysis, run over several engine
processes, must store the same as in one process.
"""

from __future__ import annotations

import pytest
from django.db import connection

from rightstrack.analysis.services import analyse_recommendations
from rightstrack.formats.exceptions import ImportFormatError
from rightstrack.formats.records import LabelIn, RecordIn
from rightstrack.recommendations import services
from rightstrack.recommendations.models import Analysis, Label, Recommendation
from rightstrack.recommendations.search import apply_fulltext, data_version

TEXTS = [
    "Ratify the Optional Protocol to the Convention against Torture.",
    "Adopt a national action plan on the rights of persons with disabilities.",
    "Ensure access to safe drinking water for Roma communities.",
    "Strengthen the independence of the national human rights institution.",
    "Criminalise domestic violence and train the police in handling complaints.",
    "Guarantee free primary education for refugee and asylum-seeking children.",
    "Abolish the death penalty and commute all death sentences.",
    "Protect journalists and human rights defenders against harassment.",
]


def record(i: int, text: str | None = None, country: str = "SVN") -> RecordIn:
    return RecordIn(
        text=text or TEXTS[i % len(TEXTS)],
        mechanism="upr",
        body="UPR",
        country=country,
        document_symbol="A/HRC/41/15",
        paragraph=f"120.{i}",
        session="34",
        recommending_states=("FRA",),
        labels=(LabelIn("uhri_themes", "Right to health"),),
        source_row=i + 2,
    )


def triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()}


def found(query: str) -> set[str]:
    return set(
        apply_fulltext(Recommendation.objects.all(), query, rank=False).values_list(
            "paragraph", flat=True
        )
    )


@pytest.mark.django_db
def test_imported_and_changed_texts_are_found_and_the_triggers_come_back(monkeypatch) -> None:
    services.load_reference_data()
    before = triggers() if connection.vendor == "sqlite" else set()
    version = data_version()
    monkeypatch.setattr(services, "CHUNK", 3)  # several chunks
    services.import_records([record(i) for i in range(8)], kind="uhri", file_name="first.csv")
    assert found("torture") == {"120.0"}
    assert found("refugee") == {"120.5"}
    assert data_version() != version
    if connection.vendor == "sqlite":
        assert triggers() == before

    # A re-import that changes two texts: the new words are found, the old ones no longer.
    changed = [record(i) for i in range(8)]
    changed[0] = record(0, "Ratify the Convention on the Rights of Migrant Workers.")
    changed[6] = record(6, "Establish an independent police complaints mechanism.")
    version = data_version()
    result = services.import_records(changed, kind="uhri", file_name="second.csv")
    assert (result.created, result.updated, result.unchanged) == (0, 2, 6)
    assert found("torture") == set()
    assert found("death") == set()
    assert found("migrant") == {"120.0"}
    assert found("police") == {"120.4", "120.6"}
    assert data_version() != version
    if connection.vendor == "sqlite":
        assert triggers() == before
        with connection.cursor() as cursor:
            # FTS5's own check that the index matches the table's texts.
            cursor.execute(
                "INSERT INTO recommendations_recommendation_fts"
                "(recommendations_recommendation_fts) VALUES ('integrity-check')"
            )


@pytest.mark.django_db
def test_a_failed_import_leaves_triggers_index_and_records_as_they_were(monkeypatch) -> None:
    services.load_reference_data()
    services.import_records([record(0)], kind="uhri", file_name="first.csv")
    before = triggers() if connection.vendor == "sqlite" else set()
    monkeypatch.setattr(services, "CHUNK", 2)
    rows = [record(i) for i in range(1, 6)]
    rows[3] = record(4, country="XXX")  # an unknown State, in the second chunk
    with pytest.raises(ImportFormatError):
        services.import_records(rows, kind="uhri", file_name="bad.csv", countries={"SVN"})
    assert Recommendation.objects.count() == 1
    assert found("disabilities") == set()
    assert found("torture") == {"120.0"}
    if connection.vendor == "sqlite":
        assert triggers() == before
    # The next import is indexed as usual.
    services.import_records([record(1)], kind="uhri", file_name="again.csv")
    assert found("disabilities") == {"120.1"}


def stored() -> tuple[list[tuple], list[tuple]]:
    analyses = list(
        Analysis.objects.order_by("recommendation__paragraph").values_list(
            "recommendation__paragraph",
            "action_category",
            "action_verb",
            "concrete_action",
            "rights_holders_stated",
            "detail",
            "protection_relevant",
            "confidence",
            "reasons",
        )
    )
    labels = sorted(
        Label.objects.filter(source=Label.Source.CLASSIFIER).values_list(
            "recommendation__paragraph", "term__code", "term__name", "confidence", "review_state"
        )
    )
    return analyses, labels


@pytest.mark.django_db
def test_analysis_over_several_processes_stores_the_same_as_in_one() -> None:
    services.load_reference_data()
    services.import_records([record(i) for i in range(8)], kind="uhri", file_name="a.csv")
    ids = list(Recommendation.objects.values_list("id", flat=True))
    assert analyse_recommendations(ids, batch_size=3, workers=1) == 8
    one = stored()
    Analysis.objects.all().delete()
    Label.objects.filter(source=Label.Source.CLASSIFIER).delete()
    assert analyse_recommendations(ids, batch_size=3, workers=2) == 8
    assert stored() == one
    assert len(one[0]) == 8 and one[1]  # something was suggested
