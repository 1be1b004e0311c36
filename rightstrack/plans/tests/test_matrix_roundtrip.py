"""The matrix export reads back through `rightstrack import` without loss (real Slovenia lists)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from rightstrack.formats.registry import guess_importer_kind
from rightstrack.plans.models import ExportLog
from rightstrack.recommendations.models import Recommendation
from rightstrack.recommendations.services import import_file

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, tuple]:
    """Paragraph -> (text, recommending States, position, source, labels) from the database."""
    out = {}
    for rec in Recommendation.objects.prefetch_related(
        "recommending_states", "labels__term__taxonomy"
    ):
        out[rec.paragraph] = (
            rec.text,
            tuple(c.code for c in rec.recommending_states.order_by("code")),
            rec.position,
            rec.position_source,
            rec.country.code,
            frozenset((lb.term.taxonomy.slug, lb.term.name) for lb in rec.labels.all()),
        )
    return out


@pytest.mark.shared_data
@pytest.mark.parametrize("name", ["cycle2_UPR20", "cycle3_UPR34", "cycle4_UPR48"])
@pytest.mark.parametrize(("fmt", "kind"), [("docx", "ohchr-matrix"), ("xlsx", "generic")])
def test_the_matrix_of_each_slovenia_list_round_trips(
    shared_raw: Path, tmp_path: Path, name: str, fmt: str, kind: str
) -> None:
    source = (
        shared_raw / "upr-slovenia-docs" / "thematic-lists" / f"{name}_Slovenia_thematic_list.docx"
    )
    import_file(source, analyse=False)
    before = snapshot()
    assert len(before) > 150
    assert any(labels for *_, labels in before.values())
    out = tmp_path / f"matrix.{fmt}"

    call_command("export_recommendations", "matrix", "-o", str(out), "--country", "Slovenia")

    assert guess_importer_kind(out) == kind
    Recommendation.objects.all().delete()
    result = import_file(out, analyse=False)
    assert result.created == len(before)
    assert snapshot() == before
    log = ExportLog.objects.get()
    assert (log.kind, log.format, log.filters, log.via, log.rows) == (
        "matrix",
        fmt,
        {"country": ["SVN"]},
        "cli",
        len(before),
    )
