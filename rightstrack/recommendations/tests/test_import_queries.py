"""An import costs a fixed number of queries per chunk, not per row (two sizes compared)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rightstrack.formats.records import LabelIn, RecordIn
from rightstrack.recommendations import services


def records(n: int, offset: int = 0) -> list[RecordIn]:
    return [
        RecordIn(
            text=f"Ratify the Convention, step {i}.",
            mechanism="upr",
            body="UPR",
            country=("SVN", "KEN", "CHL")[i % 3],
            document_symbol=f"A/HRC/{40 + i % 3}/15",
            paragraph=f"120.{i}",
            session=str(30 + i % 3),
            recommending_states=("FRA", "DEU"),
            position="supported",
            labels=(LabelIn("uhri_themes", "Right to health"), LabelIn("sdg_targets", "3.8")),
            sub_items=(("a", "First"), ("b", "Second")) if i % 2 else (),
        )
        for i in range(offset, offset + n)
    ]


def count(batch: list[RecordIn]) -> int:
    with CaptureQueriesContext(connection) as queries:
        services.import_records(batch, kind="uhri", file_name="x.csv")
    return len(queries)


@pytest.mark.django_db
def test_new_changed_and_unchanged_records_cost_the_same_queries_at_two_sizes() -> None:
    services.load_reference_data()
    services.import_records(records(3, 5000), kind="uhri", file_name="warm.csv")  # references

    small, large = count(records(20)), count(records(400, 1000))
    assert large == small

    again_small, again_large = count(records(20)), count(records(400, 1000))
    assert again_large == again_small < small  # unchanged: one lookup per chunk

    changed = [r.__class__(**{**r.__dict__, "text": r.text + " Now."}) for r in records(20)]
    changed_large = [
        r.__class__(**{**r.__dict__, "text": r.text + " Now."}) for r in records(400, 1000)
    ]
    assert count(changed) == count(changed_large)
