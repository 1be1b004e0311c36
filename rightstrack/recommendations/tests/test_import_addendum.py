from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from rightstrack.conftest import SHARED_RAW
from rightstrack.recommendations.models import ImportBatch, Recommendation

SLOVENIA = SHARED_RAW / "upr-slovenia-docs"
REPORT = SLOVENIA / "wg-reports" / "A_HRC_59_15_cycle4.pdf"
ADDENDUM = SLOVENIA / "addenda-responses" / "A_HRC_59_15_Add1_cycle4.pdf"

pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.django_db,
    pytest.mark.skipif(not SLOVENIA.is_dir(), reason="../shared/data/raw is absent"),
]


def run_import(path: Path) -> str:
    out = io.StringIO()
    call_command("import_recommendations", str(path), "--no-analyse", stdout=out)
    return out.getvalue().strip()


def test_it_completes_a_report_with_the_positions_of_its_addendum() -> None:
    run_import(REPORT)

    line = run_import(ADDENDUM)

    assert line == f"imported 0 new, 254 updated, 0 unchanged recommendations from {ADDENDUM}"
    positions = dict(
        Recommendation.objects.values_list("position").annotate(n=Count("id")).order_by()
    )
    assert positions == {"supported": 217, "noted": 37}
    assert set(Recommendation.objects.values_list("position_source", flat=True)) == {
        "A/HRC/59/15/Add.1"
    }
    assert run_import(ADDENDUM).startswith("imported 0 new, 0 updated, 254 unchanged")


def test_it_refuses_an_addendum_before_its_report() -> None:
    with pytest.raises(CommandError, match=r"import that report first") as raised:
        run_import(ADDENDUM)

    assert raised.value.returncode == 2
    assert Recommendation.objects.count() == 0
    assert ImportBatch.objects.count() == 0
